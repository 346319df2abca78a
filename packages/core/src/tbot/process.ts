import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { UserError } from '../errors';
import type { Logger } from '../platform/platform';
import { execCapture } from './exec';

/** tbot's environment: the job's, minus what tbot would take over the config. */
export function tbotEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...extra };
  // Earlier auth steps export these for tsh/tctl; tbot reads them as CLI defaults, which
  // override the config and, both set, make it refuse to start (teleport-behaviour.md §2.3).
  delete env.TELEPORT_PROXY;
  delete env.TELEPORT_AUTH_SERVER;
  delete env.TELEPORT_BOT_TOKEN;
  // `--config-string`'s variable: with our `-c`, tbot refuses both ("cannot specify both").
  delete env.TBOT_CONFIG;
  return env;
}

/**
 * tbot's own reason for failing: its `ERROR:` line (teleport-behaviour.md §1.6) with the indented lines that
 * follow it (trace wraps causes outer first, one per line), else its last line.
 */
export function tbotFailureReason(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd())
    .filter((l) => l.trim() !== '');
  const at = lines.findIndex((l) => l.trimStart().startsWith('ERROR:'));
  if (at < 0) return lines.at(-1)?.trim() ?? 'no output';
  const parts = [lines[at]!.trim().replace(/^ERROR:\s*/, '')];
  for (const line of lines.slice(at + 1)) {
    if (!/^\s/.test(line)) break;
    parts.push(line.trim());
  }
  return parts.filter(Boolean).join(': ');
}

export class TbotFailedError extends UserError {
  constructor(
    readonly reason: string,
    readonly output: string,
  ) {
    super(`tbot failed: ${reason}`);
  }
}

/**
 * `tbot start -c <config>`, with `--debug` for debug logs: the config's `debug: true` only
 * enables pprof, the logger is set up from the flag (teleport-behaviour.md §1.1), as the official actions do.
 */
export function tbotStartArgs(configPath: string, debug: boolean): string[] {
  return ['start', '-c', configPath, ...(debug ? ['--debug'] : [])];
}

export { DEFAULT_ONESHOT_TIMEOUT_MS } from './timeouts';

/**
 * Runs `tbot start -c <config>` once, streaming its output to the debug log; stops it (and
 * what it started) when it runs past `timeoutMs`: a hung join must not hold the job until the
 * platform's own step timeout (6 hours on GitHub).
 */
export async function runTbotOnce(opts: {
  tbotPath: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** Pass `--debug` (the job runs in debug mode). */
  debug?: boolean;
  log: Logger;
  timeoutMs: number;
}): Promise<void> {
  const args = tbotStartArgs(opts.configPath, opts.debug ?? false);
  const result = await execCapture(opts.tbotPath, args, {
    env: opts.env,
    onLine: (line) => opts.log.debug(`tbot: ${line}`),
    timeoutMs: opts.timeoutMs,
  });
  const output = `${result.stderr}\n${result.stdout}`;
  if (result.timedOut) {
    const last = output.trim() ? `; its last words: ${tbotFailureReason(output)}` : '';
    throw new UserError(
      `tbot did not finish joining the cluster and writing the credentials within ${formatDuration(opts.timeoutMs)}, so it was stopped (raise 'timeout-ms' if it needs longer)${last}`,
    );
  }
  if (result.signal) {
    const last = output.trim() ? `; its last words: ${tbotFailureReason(output)}` : '';
    throw new TbotFailedError(`it was killed by ${result.signal}${last}`, output);
  }
  if (result.code !== 0) {
    throw new TbotFailedError(tbotFailureReason(output), output);
  }
}

export interface BackgroundTbot {
  pid: number;
  logPath: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often a starting background tbot's `/readyz` is asked (it was 250 ms: a ready tunnel
 *  waited 125 ms on average for the next look), and a stopping tbot's pid checked. */
const READY_POLL_MS = 50;
const EXIT_POLL_MS = 20;

/**
 * One GET of tbot's diagnostics (plain HTTP on loopback), within 2 s; `undefined` when it does
 * not answer. Through `node:http`, not `fetch`: the first `fetch` loads Node's bundled undici,
 * some 30 ms of a tunnel step on Node.js 24.
 */
function probe(url: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (answer?: { status: number; body: string }) => {
      clearTimeout(timer);
      resolve(answer);
    };
    const req = httpGet(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      // Cut off or failed mid-answer: no verdict (a settled promise ignores this after 'end').
      res.on('close', () => done());
      res.on('error', () => done());
    });
    req.on('error', () => done());
    timer = setTimeout(() => req.destroy(), 2000);
  });
}

/** Whether something accepts connections at `host:port`. */
function listening(hostPort: string): Promise<boolean> {
  const at = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a process with this pid exists (ours or not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts tbot detached (it outlives this step; the post step stops it), logging to a file,
 * then polls its diagnostics `/readyz` endpoint (teleport-behaviour.md §5.4) until its services are healthy.
 */
export async function startTbotBackground(opts: {
  tbotPath: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** Pass `--debug` (the job runs in debug mode). */
  debug?: boolean;
  logPath: string;
  diagAddr: string;
  timeoutMs: number;
  log: Logger;
  /** Called as soon as tbot runs, before readiness: whoever stops it later must know it. */
  onStart?: (pid: number) => Promise<void>;
}): Promise<BackgroundTbot> {
  // Readiness is asked of whatever listens on the diagnostics address: it must be this tbot.
  if (await listening(opts.diagAddr)) {
    throw new UserError(
      `Something already listens on ${opts.diagAddr}, where tbot's diagnostics would answer (another tunnel in this job?): give this step its own 'diag-port'`,
    );
  }
  const logFile = await open(opts.logPath, 'a', 0o600);
  const child = spawn(opts.tbotPath, tbotStartArgs(opts.configPath, opts.debug ?? false), {
    env: opts.env,
    detached: true,
    stdio: ['ignore', logFile.fd, logFile.fd],
  });
  await logFile.close();
  const pid = child.pid;
  if (pid === undefined) throw new UserError(`Could not start ${opts.tbotPath}`);
  child.unref();
  const running: BackgroundTbot = { pid, logPath: opts.logPath };
  await opts.onStart?.(pid);
  if (opts.timeoutMs <= 0) return running;

  // `/wait` answers once every service has made its first report, healthy or not, so a 503
  // there is no verdict: `/readyz` is polled until healthy or the timeout, as the official
  // actions do (teleport-behaviour.md §5.4). The last unhealthy answer says why on timeout.
  const deadline = Date.now() + opts.timeoutMs;
  const readyUrl = `http://${opts.diagAddr}/readyz`;
  let lastUnhealthy = '';
  while (Date.now() < deadline) {
    if (!isRunning(pid)) {
      const output = await readFile(opts.logPath, 'utf8').catch(() => '');
      throw new TbotFailedError(tbotFailureReason(output), output);
    }
    const answer = await probe(readyUrl);
    if (answer?.status === 200) return running;
    if (answer?.status === 503) lastUnhealthy = answer.body;
    // A probe is one request on loopback: asking often costs little, and the step goes on as
    // soon as tbot is ready rather than up to a whole interval later.
    await sleep(READY_POLL_MS);
  }
  const output = await readFile(opts.logPath, 'utf8').catch(() => '');
  await stopTbot(running);
  if (lastUnhealthy) {
    throw new UserError(
      `tbot started but was not healthy within ${formatDuration(opts.timeoutMs)}: ${unhealthyReason(lastUnhealthy)} (raise 'timeout-ms' if it needs longer)`,
    );
  }
  const last = output.trim() ? `; its last words: ${tbotFailureReason(output)}` : '';
  throw new UserError(
    `tbot did not become ready within ${formatDuration(opts.timeoutMs)} (raise 'timeout-ms' if it needs longer)${last}`,
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10}s`;
}

/** Names the unhealthy services in a `/readyz` body (teleport-behaviour.md §5.4). */
export function unhealthyReason(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      services?: Record<string, { status?: string; reason?: string }>;
    };
    const bad = Object.entries(parsed.services ?? {}).filter(([, s]) => s.status !== 'healthy');
    if (bad.length > 0)
      return bad.map(([name, s]) => `${name}: ${s.reason ?? s.status}`).join('; ');
  } catch {
    // not JSON: fall through
  }
  return body.trim() || 'no reason given';
}

/** Stops a background tbot (SIGTERM, then SIGKILL) and waits until it is gone. */
export async function stopTbot(
  tbot: Pick<BackgroundTbot, 'pid'>,
  graceMs = 5000,
): Promise<boolean> {
  if (!isRunning(tbot.pid)) return false;
  try {
    process.kill(-tbot.pid, 'SIGTERM'); // its process group: tbot and anything it started
  } catch {
    process.kill(tbot.pid, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (isRunning(tbot.pid) && Date.now() < deadline) await sleep(EXIT_POLL_MS);
  if (isRunning(tbot.pid)) {
    try {
      process.kill(-tbot.pid, 'SIGKILL');
    } catch {
      process.kill(tbot.pid, 'SIGKILL');
    }
  }
  return true;
}
