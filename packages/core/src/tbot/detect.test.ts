import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTbot, parseTbotVersion } from './detect';
import { askTbotVersion } from './version-answer';

describe('tbot version (teleport-behaviour.md §1.4)', () => {
  it('parses OSS and Enterprise version lines', () => {
    expect(parseTbotVersion('Teleport v17.4.2 git:v17.4.2-0-gabc1234 go1.23.7\n')).toEqual({
      version: '17.4.2',
      enterprise: false,
    });
    expect(parseTbotVersion('Teleport Enterprise v18.6.4 git:x go1.24')).toEqual({
      version: '18.6.4',
      enterprise: true,
    });
    expect(parseTbotVersion('command not found')).toBeUndefined();
  });

  it('runs the binary and names the setup step when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'detect-tbot-'));
    const fake = join(dir, 'tbot');
    await writeFile(fake, '#!/bin/sh\necho "Teleport v17.4.2 git:v17.4.2 go1.23"\n');
    await chmod(fake, 0o755);
    await expect(detectTbot({ PATH: dir }, fake)).resolves.toEqual({
      path: fake,
      version: '17.4.2',
      enterprise: false,
    });
    await expect(
      detectTbot({ PATH: dir }, join(dir, 'missing'), 'run setup first'),
    ).rejects.toThrow('tbot was not found on PATH: run setup first');
    await writeFile(fake, '#!/bin/sh\necho nonsense\n');
    await expect(detectTbot({ PATH: dir }, fake, 'run setup first')).rejects.toThrow(
      `'${fake} version' did not print a Teleport version: run setup first`,
    );
  });
});

describe('tbot version asked early (askTbotVersion)', () => {
  it('answers as plain data, which detectTbot reads as if it had asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ask-tbot-'));
    const fake = join(dir, 'tbot');
    await writeFile(fake, '#!/bin/sh\necho "Teleport Enterprise v18.6.4 git:x go1.24"\n');
    await chmod(fake, 0o755);
    const answer = await askTbotVersion({ PATH: dir });
    // Only data: it crosses from one bundle to another, whose classes differ.
    expect(structuredClone(answer)).toEqual(answer);
    expect(answer).toMatchObject({ path: 'tbot', notFound: false, code: 0 });
    await expect(detectTbot({}, 'unused', 'hint', Promise.resolve(answer))).resolves.toEqual({
      path: 'tbot',
      version: '18.6.4',
      enterprise: true,
    });
  });

  it('never rejects: a missing tbot and one that cannot start become the same errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ask-tbot-'));
    const missing = await askTbotVersion({ PATH: dir });
    expect(missing).toMatchObject({ notFound: true, code: null });
    await expect(
      detectTbot({}, 'tbot', 'run setup first', Promise.resolve(missing)),
    ).rejects.toThrow('tbot was not found on PATH: run setup first');
    const notExecutable = join(dir, 'tbot');
    await writeFile(notExecutable, 'not a program');
    await chmod(notExecutable, 0o644);
    const refused = await askTbotVersion({ PATH: dir }, notExecutable);
    expect(refused.startError).toMatch(/EACCES/);
    await expect(detectTbot({}, notExecutable, 'hint', Promise.resolve(refused))).rejects.toThrow(
      /EACCES/,
    );
  });
});

describe('a tbot that never answers', () => {
  it('is stopped after the time limit, with a one-line error that says what to check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hung-tbot-'));
    const hung = join(dir, 'tbot');
    await writeFile(hung, '#!/bin/sh\nexec /bin/sleep 60\n');
    await chmod(hung, 0o755);
    const started = Date.now();
    const answer = await askTbotVersion({ PATH: dir }, 'tbot', 300);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer).toMatchObject({ timedOut: true, timeoutMs: 300 });
    await expect(
      detectTbot({}, 'tbot', 'run setup first', Promise.resolve(answer)),
    ).rejects.toThrow(
      "'tbot version' did not answer within 0.3s, so it was stopped: the tbot this job finds (`command -v tbot`) is not Teleport's, or cannot run here; run setup first",
    );
  });
});
