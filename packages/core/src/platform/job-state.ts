import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';

// What the commands of one CI job hand to `teleport-ci cleanup`: which tbot they started and
// which folders they wrote. Another local user on a shared runner must not be able to plant
// or change it, so it lives only in a folder this user owns and nobody else may enter, checked
// before every use; and every run of every command is recorded, so cleanup undoes them all.

/** One run of one command: the state its post step needs. */
export interface RunRecord {
  command: string;
  state: Record<string, string>;
}

interface StateDocument {
  version: 1;
  runs: RunRecord[];
}

const uid = () => process.getuid?.() ?? -1;

/**
 * Checks that `dir` is a real folder (not a link) owned by this user with no access for
 * anyone else; creates it (0700) first when `create` is set and it does not exist.
 */
export async function ensurePrivateFolder(dir: string, create: boolean): Promise<void> {
  if (create) {
    await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
    await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  const fix = 'remove it, or name a private folder of your own with TELEPORT_CI_STATE_DIR';
  const info = await lstat(dir).catch(() => undefined);
  if (!info) throw new UserError(`The state folder ${dir} does not exist: ${fix}`);
  if (!info.isDirectory() || info.isSymbolicLink()) {
    throw new UserError(`The state folder ${dir} is not a folder (a link or a file): ${fix}`);
  }
  if (uid() >= 0 && info.uid !== uid()) {
    throw new UserError(
      `The state folder ${dir} belongs to another user (uid ${info.uid}): ${fix}`,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    throw new UserError(
      `The state folder ${dir} is open to other users (mode ${(info.mode & 0o777).toString(8)}): ${fix}`,
    );
  }
}

/**
 * Where a job's state is kept unless the user names a file: a private folder in the user's
 * own state directory (never a predictable name in a shared temp folder), else one named
 * after the user in the temp folder, which is then checked like any other.
 */
export function defaultStateFolder(env: NodeJS.ProcessEnv): string {
  if (env.TELEPORT_CI_STATE_DIR) return env.TELEPORT_CI_STATE_DIR;
  const usableHome = env.HOME && env.HOME !== '/' ? env.HOME : undefined;
  const states = env.XDG_STATE_HOME || (usableHome && join(usableHome, '.local', 'state'));
  if (states) return join(states, 'teleport-ci');
  return join(env.TMPDIR || tmpdir(), `teleport-ci-${uid()}`);
}

export function stateFileName(ciName: string, jobId: string): string {
  return `${ciName}-${jobId}`.replace(/[^\w.-]/g, '_').slice(0, 200) + '.json';
}

function parseDocument(text: string, file: string): StateDocument {
  const bad = new UserError(`${file} is not a teleport-ci state file: delete it`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad;
  }
  const runs = (doc as StateDocument | null)?.runs;
  if (!Array.isArray(runs)) throw bad;
  for (const run of runs as unknown[]) {
    const r = run as RunRecord;
    if (typeof r?.command !== 'string' || typeof r.state !== 'object' || r.state === null)
      throw bad;
    if (Object.values(r.state).some((v) => typeof v !== 'string')) throw bad;
  }
  return { version: 1, runs };
}

/** The state of one job: a file of run records in a private folder. */
export class JobState {
  private constructor(readonly file: string) {}

  /** Opens the state file `file`, checking (and with `create`, making) its private folder. */
  static async open(file: string, create: boolean): Promise<JobState> {
    await ensurePrivateFolder(dirname(file), create);
    return new JobState(file);
  }

  /** Every recorded run, oldest first; none when the file does not exist. */
  async runs(): Promise<RunRecord[]> {
    let text: string;
    try {
      // O_NOFOLLOW: a link planted in place of the file is refused, not followed.
      const handle = await open(this.file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
        throw new UserError(`${this.file} is a link, not a teleport-ci state file: delete it`);
      }
      throw err;
    }
    return parseDocument(text, this.file).runs;
  }

  /** Adds a run and returns a function that records its state, saving the file each time. */
  async startRun(command: string): Promise<(name: string, value: string) => Promise<void>> {
    const index = (await this.runs()).length;
    return async (name, value) => {
      const runs = await this.runs();
      runs[index] ??= { command, state: {} };
      runs[index].state[name] = value;
      await this.write({ version: 1, runs });
    };
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }

  /** Writes the whole file at once (a new private file renamed over the old one). */
  private async write(doc: StateDocument): Promise<void> {
    const temp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(JSON.stringify(doc, null, 2));
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}

/** Reads a file only if it is this user's regular file (not a link), for logs named in state. */
export async function readOwnFile(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile() || (uid() >= 0 && info.uid !== uid())) return undefined;
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
