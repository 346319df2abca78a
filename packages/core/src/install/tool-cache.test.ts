import { chmod, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CacheSlot,
  discardStaging,
  findInCache,
  promote,
  slotDir,
  stagingDirFor,
} from './tool-cache';

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
    const dir = await promote(await stage(slot, ['tbot', 'tsh'], 'a'), slot, ['tbot', 'tsh']);
    expect(dir).toBe(join(root, 'teleport', '17.4.2', 'amd64'));
    expect(await readdir(join(root, 'teleport', '17.4.2'))).toEqual(['amd64', 'amd64.complete']);
    expect(await findInCache(slot, ['tbot', 'tsh'])).toBe(dir);
    expect(await findInCache(slot, ['tbot', 'teleport'])).toBeUndefined();
  });

  it('keeps the first complete copy when two installs race', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const [a, b] = await Promise.all([stage(slot, ['tbot'], 'a'), stage(slot, ['tbot'], 'b')]);
    const dirs = await Promise.all([promote(a, slot, ['tbot']), promote(b, slot, ['tbot'])]);
    expect(dirs[0]).toBe(dirs[1]);
    expect((await readdir(join(root, 'teleport', '17.4.2'))).sort()).toEqual([
      'amd64',
      'amd64.complete',
    ]);
  });

  it('replaces a copy that lacks a requested binary', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    await promote(await stage(slot, ['tbot'], 'a'), slot, ['tbot']);
    await promote(await stage(slot, ['tbot', 'teleport'], 'b'), slot, ['tbot', 'teleport']);
    expect((await readdir(slotDir(slot))).sort()).toEqual(['tbot', 'teleport']);
  });

  it('leaves nothing behind when a staging folder is discarded', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tc-'));
    const slot = { root, tool: 'teleport', version: '17.4.2', arch: 'amd64' };
    const staging = await stage(slot, ['tbot'], 'a');
    await discardStaging(staging, slot);
    expect(await readdir(root)).toEqual([]);
  });
});
