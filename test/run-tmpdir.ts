/**
 * Vitest's global setup: one temporary folder for the whole run, as `TMPDIR` of every test
 * process, removed when the run ends. Tests make their folders with `mkdtemp(tmpdir())` and
 * many jobs leave theirs (a job's work folder is what a test inspects after it); without this,
 * each run left a few hundred folders and gigabytes in the system's temporary folder.
 *
 * The folder has `/tmp`'s mode (1777, sticky), so tests that run programs as other local users
 * see the same rules there as in `/tmp`. It is removed from the main process's `exit`, not a
 * teardown: the projects inherit this setup, and one project's teardown may come while
 * another's tests still run.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARK = 'TELEPORT_CI_TEST_TMPDIR';

export default function setup(): void {
  if (process.env[MARK]) return;
  const dir = mkdtempSync(join(tmpdir(), 'teleport-ci-tests-'));
  chmodSync(dir, 0o1777);
  process.env[MARK] = dir;
  process.env.TMPDIR = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}
