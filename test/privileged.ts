// The one way tests run a command as root. A few tests need it: the SSH double's sshd (it
// switches to the login user after a certificate login), creating its login users and the
// system users of `teleport-ci daemon install` (useradd), and the daemon install itself. As
// root the command runs directly; as an ordinary user (a GitHub-hosted runner, a developer's
// laptop) it runs through `sudo -n`, which must not ask for a password. Neither: every caller
// fails with one line naming what needed root and the fix. CONTRIBUTING.md lists the callers.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type RunOptions, type RunResult, run } from './double/ssh/exec';

export const PRIVILEGE_FIX = 'run as root or give this user passwordless sudo';

type Access = { how: 'root' | 'sudo' } | { how: 'none'; why: string };
let probed: Access | undefined;

/** How this process reaches root: probed once, then remembered. */
export function rootAccess(): Access {
  probed ??= probeRootAccess();
  return probed;
}

/** Root when uid 0, else `sudo -n true` decides (`sudo` is another program in this module's tests). */
export function probeRootAccess(uid = process.getuid?.(), sudo = 'sudo'): Access {
  if (uid === 0) return { how: 'root' };
  const r = spawnSync(sudo, ['-n', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return { how: 'sudo' };
  const why = r.error
    ? `${sudo} cannot run: ${r.error.message}`
    : r.stderr.trim().split('\n')[0] || `${sudo} -n true exited ${r.status}`;
  return { how: 'none', why };
}

/** The one-line error for `what` (e.g. "starting sshd") when root is out of reach. */
export function noRootError(what: string, why: string): Error {
  return new Error(`${what} needs root: ${PRIVILEGE_FIX} (${why})`);
}

/** Throws `noRootError` unless root is reachable; returns how. */
export function requireRoot(what: string, access = rootAccess()): 'root' | 'sudo' {
  const a = access;
  if (a.how === 'none') throw noRootError(what, a.why);
  return a.how;
}

/**
 * The program and arguments that run `cmd args` as root. `env` is set for the command itself:
 * sudo resets the environment, so the variables travel as `env K=V` arguments (keep secrets
 * out of them: they show in `ps`).
 */
export function rootCommand(
  what: string,
  cmd: string,
  args: readonly string[],
  env?: Record<string, string>,
): { file: string; args: string[] } {
  const how = requireRoot(what);
  const withEnv = env
    ? ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...args]
    : [cmd, ...args];
  if (how === 'root') return { file: withEnv[0]!, args: withEnv.slice(1) };
  return { file: 'sudo', args: ['-n', ...withEnv] };
}

/** Runs `cmd args` as root and collects its output; never rejects on a non-zero exit. */
export function runAsRoot(
  what: string,
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const c = rootCommand(what, cmd, args);
  return run(c.file, c.args, opts);
}

/** Like `runAsRoot`, but rejects with the command line and its stderr on a non-zero exit. */
export async function runAsRootOk(
  what: string,
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const r = await runAsRoot(what, cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${what}: ${cmd} ${args.join(' ')} exited with ${r.code ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
  return r;
}

/** A long-running program started as root, with what it takes to stop it. */
export interface RootProcess {
  /** The spawned process: the program itself as root, `sudo` otherwise. Its stderr is piped. */
  child: ChildProcess;
  /** The program's own process id (known once it started). */
  pid: Promise<number>;
  /** Sends `signal` to the program (as root: an ordinary user may not signal it). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The same, synchronously (for `process.on('exit')`). */
  killSync(signal: NodeJS.Signals): void;
}

/**
 * Starts `cmd args` as root, stdin ignored, stdout ignored, stderr piped. Through sudo, a
 * shell prints its own pid and then `exec`s the program, so the program keeps that pid and can
 * be signalled by it (signalling sudo itself is unreliable: sudo ignores signals from the
 * process group of the command, which is ours).
 */
export function spawnAsRoot(what: string, cmd: string, args: readonly string[]): RootProcess {
  const how = requireRoot(what);
  if (how === 'root') {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = new Promise<number>((res, rej) => {
      child.once('spawn', () => res(child.pid!));
      child.once('error', rej);
    });
    return {
      child,
      pid,
      kill: async (signal) => void child.kill(signal),
      killSync: (signal) => void child.kill(signal),
    };
  }
  const child = spawn('sudo', ['-n', 'sh', '-c', 'echo "$$"; exec "$0" "$@"', cmd, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = new Promise<number>((res, rej) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => {
      lines.close();
      child.stdout?.resume(); // the program's own stdout, if any, is dropped
      const n = Number(l.trim());
      if (Number.isInteger(n) && n > 1) res(n);
      else rej(new Error(`${what}: expected a process id from sudo sh, got ${JSON.stringify(l)}`));
    });
    child.once('error', rej);
    child.once('exit', (code, signal) =>
      rej(new Error(`${what}: sudo exited (${code ?? signal}) before the program started`)),
    );
  });
  let known: number | undefined; // for killSync, which cannot wait
  pid.then((n) => (known = n)).catch(() => {}); // nor may an unread failure go unhandled
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid,
    kill: async (signal) => {
      if (!running()) return;
      const n = await pid.catch(() => undefined);
      if (n === undefined) child.kill(signal);
      else await run('sudo', ['-n', 'kill', '-s', signal, String(n)]);
    },
    killSync: (signal) => {
      if (!running()) return;
      // Before the pid line arrives, sudo is all there is to signal.
      if (known) spawnSync('sudo', ['-n', 'kill', '-s', signal, String(known)], { timeout: 5000 });
      else child.kill(signal);
    },
  };
}
