import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CacheSlot,
  discardStaging,
  findInCache,
  markerPath,
  promote,
  removeLeftovers,
  slotDir,
  stagingDirFor,
  withSlotLock,
} from './tool-cache';

const ARCHIVE = 'a'.repeat(64);

async function stage(slot: CacheSlot, names: string[], tag: string) {
  const dir = stagingDirFor(slot);
  await mkdir(dir, { recursive: true });
  for (const n of names) {
    await writeFile(join(dir, n), `#!/bin/sh\necho ${tag}\n`);
    await chmod(join(dir, n), 0o755);
  }
  return dir;
}

describe('tool cache', () => {
  it('uses the runner layout with a .complete marker', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    expect(await findInCache(slot, ['tbot'])).toBeUndefined();
    const dir = await promote(
      await stage(slot, ['tbot', 'tsh'], 'a'),
      slot,
      ['tbot', 'tsh'],
      ARCHIVE,
    );
    expect(dir).toBe(join(root, 'teleport', '17.4.2', 'amd64'));
    expect(await readdir(join(root, 'teleport', '17.4.2'))).toEqual(['amd64', 'amd64.complete']);
    expect(await findInCache(slot, ['tbot', 'tsh'])).toBe(dir);
    expect(await findInCache(slot, ['tbot', 'teleport'])).toBeUndefined();
  });

  it('keeps the first complete copy when two installs race', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const [a, b] = await Promise.all([stage(slot, ['tbot'], 'a'), stage(slot, ['tbot'], 'b')]);
    const dirs = await Promise.all([
      promote(a, slot, ['tbot'], ARCHIVE),
      promote(b, slot, ['tbot'], ARCHIVE),
    ]);
    expect(dirs[0]).toBe(dirs[1]);
    expect((await readdir(join(root, 'teleport', '17.4.2'))).sort()).toEqual([
      'amd64',
      'amd64.complete',
    ]);
  });

  it('replaces a copy that lacks a requested binary', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    await promote(await stage(slot, ['tbot'], 'a'), slot, ['tbot'], ARCHIVE);
    await promote(
      await stage(slot, ['tbot', 'teleport'], 'b'),
      slot,
      ['tbot', 'teleport'],
      ARCHIVE,
    );
    expect((await readdir(slotDir(slot))).sort()).toEqual(['tbot', 'teleport']);
  });

  it('replaces a slot without its .complete marker with the verified copy', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    // A job killed between its renames, or someone's hand-made folder: no marker.
    await mkdir(slotDir(slot), { recursive: true });
    await writeFile(join(slotDir(slot), 'tbot'), '#!/bin/sh\necho broken\n', { mode: 0o755 });
    const dir = await promote(await stage(slot, ['tbot'], 'good'), slot, ['tbot'], ARCHIVE);
    expect(await readFile(join(dir, 'tbot'), 'utf8')).toContain('echo good');
    expect(await findInCache(slot, ['tbot'])).toBe(dir);
    expect((await readdir(join(root, 'teleport', '17.4.2'))).sort()).toEqual([
      'amd64',
      'amd64.complete',
    ]);
  });

  it('replaces a slot recorded for another archive, and one written by another tool', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    await promote(
      await stage(slot, ['tbot', 'tsh'], 'other'),
      slot,
      ['tbot', 'tsh'],
      'b'.repeat(64),
    );
    let dir = await promote(await stage(slot, ['tbot'], 'good'), slot, ['tbot'], ARCHIVE);
    expect(await readdir(dir)).toEqual(['tbot']);
    await writeFile(markerPath(slot), ''); // @actions/tool-cache's empty marker
    dir = await promote(await stage(slot, ['tsh'], 'good'), slot, ['tsh'], ARCHIVE);
    expect(await readdir(dir)).toEqual(['tsh']);
  });

  it('re-checks a recorded slot on a hit: a changed binary is a miss, with a warning', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const dir = await promote(
      await stage(slot, ['tbot', 'tsh'], 'a'),
      slot,
      ['tbot', 'tsh'],
      ARCHIVE,
      { hash: true },
    );
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(await findInCache(slot, ['tbot'], { warn })).toBe(dir);
    await writeFile(join(dir, 'tbot'), '#!/bin/sh\necho evil\n');
    expect(await findInCache(slot, ['tsh'], { warn })).toBe(dir);
    expect(await findInCache(slot, ['tbot'], { warn })).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /does not match its record \(tbot has SHA-256 [0-9a-f]{64}, recorded [0-9a-f]{64}\); downloading again$/,
      ),
    ]);
    // A pinned hash of another archive is a miss, silently.
    expect(
      await findInCache(slot, ['tsh'], { archiveSha256: 'c'.repeat(64), warn }),
    ).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('catches a binary rewritten in place with its size and mtime restored', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const dir = await promote(await stage(slot, ['tbot'], 'a'), slot, ['tbot'], ARCHIVE);
    const tbot = join(dir, 'tbot');
    const before = await stat(tbot);
    const content = await readFile(tbot, 'utf8');
    await writeFile(tbot, content.replace('echo a', 'echo b')); // same size
    await utimes(tbot, before.atime, before.mtime);
    const warnings: string[] = [];
    expect(await findInCache(slot, ['tbot'], { warn: (m) => warnings.push(m) })).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('(tbot changed since it was installed)')]);
  });

  it('merges concurrent installs of different binaries; every one stays', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const sets = [
      ['tbot'],
      ['tsh', 'tctl'],
      ['teleport'],
      ['tbot', 'tsh'],
      ['tctl'],
      ['tbot', 'teleport'],
    ];
    const staged = await Promise.all(sets.map((s) => stage(slot, s, 'x')));
    const dirs = await Promise.all(staged.map((st, i) => promote(st, slot, sets[i]!, ARCHIVE)));
    for (const [i, dir] of dirs.entries()) {
      expect(await findInCache(slot, sets[i]!), String(sets[i])).toBe(dir);
    }
    expect((await readdir(slotDir(slot))).sort()).toEqual(['tbot', 'tctl', 'teleport', 'tsh']);
    expect((await readdir(join(root, 'teleport', '17.4.2'))).sort()).toEqual([
      'amd64',
      'amd64.complete',
    ]);
  });

  it('clears the leftovers of a dead job, not those of a live one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const live = await stage(slot, ['tbot'], 'a');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    const versionDir = join(root, 'teleport', '17.4.2');
    const deadStaging = join(versionDir, `.staging-${dead}@${hostname()}-${randomUUID()}`);
    const deadOld = join(versionDir, `.old-${dead}@${hostname()}-${randomUUID()}`);
    await mkdir(deadStaging);
    await mkdir(deadOld);
    await writeFile(`${slotDir(slot)}.lock`, `${dead}@${hostname()}`);
    await removeLeftovers(slot);
    expect(await readdir(versionDir)).toEqual([basename(live), 'amd64.lock']);
    // The dead job's lock is broken rather than waited for.
    await withSlotLock(slot, async () => {}, { timeoutMs: 1000 });
    expect(await readdir(versionDir)).toEqual([basename(live)]);
  });

  it('waits for a live lock, and breaks an empty lock left long ago', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const lock = `${slotDir(slot)}.lock`;
    await mkdir(join(root, 'teleport', '17.4.2'), { recursive: true });
    await writeFile(lock, `${process.pid}@${hostname()}`); // this process: alive
    await expect(withSlotLock(slot, async () => {}, { timeoutMs: 300 })).rejects.toThrow(
      /is locked by \d+@.+ \(.+amd64\.lock\); if no job is installing Teleport there, delete the lock file$/,
    );
    await writeFile(lock, ''); // a job killed between creating and writing its lock
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    expect(await withSlotLock(slot, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    expect(await readdir(join(root, 'teleport', '17.4.2'))).toEqual([]);
  });

  it('leaves nothing behind when a staging folder is discarded', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const staging = await stage(slot, ['tbot'], 'a');
    await discardStaging(staging, slot);
    expect(await readdir(root)).toEqual([]);
  });
});
