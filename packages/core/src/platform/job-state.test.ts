import { chmod, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultStateFolder,
  ensurePrivateFolder,
  JobState,
  readOwnFile,
  stateFileName,
} from './job-state';

const scratch = () => mkdtemp(join(tmpdir(), 'job-state-'));

describe("a job's state", () => {
  it('records every run of every command, in a private file', async () => {
    const folder = join(await scratch(), 'state');
    const state = await JobState.open(join(folder, 'gitlab-42.json'), true);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    const first = await state.startRun('database-tunnel');
    await first('tbot-pid', '100');
    const second = await state.startRun('database-tunnel');
    await second('tbot-pid', '200');
    await first('tbot-log', '/w/tbot.log');
    expect(await state.runs()).toEqual([
      { command: 'database-tunnel', state: { 'tbot-pid': '100', 'tbot-log': '/w/tbot.log' } },
      { command: 'database-tunnel', state: { 'tbot-pid': '200' } },
    ]);
    expect((await stat(state.file)).mode & 0o777).toBe(0o600);
    await state.remove();
    expect(await state.runs()).toEqual([]);
  });

  it('refuses a folder another user could have planted or can enter', async () => {
    const base = await scratch();
    const open = join(base, 'open');
    await mkdir(open, { mode: 0o777 });
    await chmod(open, 0o777);
    await expect(JobState.open(join(open, 's.json'), true)).rejects.toThrow(
      `The state folder ${open} is open to other users (mode 777): remove it, or name a private folder of your own with TELEPORT_CI_STATE_DIR`,
    );
    const link = join(base, 'link');
    await symlink(open, link);
    await expect(ensurePrivateFolder(link, true)).rejects.toThrow(/is not a folder \(a link/);
    await expect(ensurePrivateFolder(join(base, 'missing'), false)).rejects.toThrow(
      /does not exist/,
    );
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder owned by another user', async () => {
    const dir = join(await scratch(), 'theirs');
    await mkdir(dir, { mode: 0o700 });
    const { chown } = await import('node:fs/promises');
    await chown(dir, 65534, 65534);
    await expect(ensurePrivateFolder(dir, true)).rejects.toThrow(
      /belongs to another user \(uid 65534\)/,
    );
  });

  it('refuses a planted link or a file that is not ours in place of the state file', async () => {
    const folder = join(await scratch(), 'state');
    const state = await JobState.open(join(folder, 'j.json'), true);
    await symlink('/etc/passwd', state.file);
    await expect(state.runs()).rejects.toThrow(/is a link, not a teleport-ci state file/);
    await writeFile(join(folder, 'k.json'), '{"runs": [{"command": 1}]}');
    const other = await JobState.open(join(folder, 'k.json'), false);
    await expect(other.runs()).rejects.toThrow(/is not a teleport-ci state file: delete it/);
  });

  it("lives in the user's own state directory, never a predictable shared name", () => {
    expect(defaultStateFolder({ HOME: '/home/ci' })).toBe('/home/ci/.local/state/teleport-ci');
    expect(defaultStateFolder({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/teleport-ci');
    expect(defaultStateFolder({ TELEPORT_CI_STATE_DIR: '/mine', HOME: '/h' })).toBe('/mine');
    expect(defaultStateFolder({ HOME: '/', TMPDIR: '/t' })).toMatch(/^\/t\/teleport-ci-\d+$/);
    expect(stateFileName('gitlab', '42/../x')).toBe('gitlab-42_.._x.json');
  });

  it("reads a log only when it is this user's regular file", async () => {
    const dir = await scratch();
    const log = join(dir, 'tbot.log');
    await writeFile(log, 'hello');
    expect(await readOwnFile(log)).toBe('hello');
    await symlink(log, join(dir, 'link.log'));
    expect(await readOwnFile(join(dir, 'link.log'))).toBeUndefined();
    expect(await readOwnFile(dir)).toBeUndefined();
    expect(await readFile(log, 'utf8')).toBe('hello');
  });
});
