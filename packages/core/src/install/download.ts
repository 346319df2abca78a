import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors';
import { get, HttpStatusError, redactUrl, TruncatedBodyError } from '../net/http';
import type { Logger } from '../platform/platform';

const BATCH_BYTES = 1 << 20;

export class ChecksumMismatchError extends UserError {}

/** The server kept the connection open but (nearly) stopped sending; worth another try. */
export class StalledDownloadError extends TruncatedBodyError {}

/** Less than `minBytes` within `windowMs` ends the attempt: a trickle is not a download. */
export interface StallLimit {
  windowMs: number;
  minBytes: number;
}

// 64 kB in 30 s is ~2 kB/s: at that rate a 180 MB tarball would take a day.
export const DEFAULT_STALL: StallLimit = { windowMs: 30_000, minBytes: 64_000 };

export interface ExtractRequest {
  url: string;
  /** Lower-case hex SHA-256 the whole download must have. */
  expectedSha256: string;
  /** Emptied, then filled with the members, one path component stripped. */
  stagingDir: string;
  /** Archive member paths, e.g. `teleport/tbot` (a folder member brings its whole tree). */
  members: string[];
  /** Members extracted where the archive has them; their absence is no error. */
  optionalMembers?: string[];
  /**
   * The executables that must arrive as regular files, relative to the staging folder
   * (default: each member without its top folder); optional ones are checked if present.
   */
  files?: string[];
  log: Logger;
  /** Minimum time between progress lines. */
  progressIntervalMs?: number;
  stall?: StallLimit;
}

/** Logs a progress line at most every `intervalMs`: percent and MB/s. */
class Progress {
  private readonly started = Date.now();
  private lastReport = Date.now();

  constructor(
    private readonly total: number | undefined,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  tick(bytes: number): void {
    const now = Date.now();
    const live = this.log.progress;
    // A terminal bar redraws often; log lines come at most every `intervalMs`.
    if (now - this.lastReport < (live ? 100 : this.intervalMs) && bytes !== this.total) return;
    this.lastReport = now;
    const mb = bytes / 1e6;
    const rate = mb / Math.max((now - this.started) / 1000, 0.001);
    if (live) {
      live.call(this.log, bytes, this.total, rate);
      return;
    }
    if (bytes === this.total) return;
    const of = this.total
      ? ` ${Math.floor((100 * bytes) / this.total)}% (${mb.toFixed(1)} of ${(this.total / 1e6).toFixed(1)} MB)`
      : ` ${mb.toFixed(1)} MB`;
    this.log.info(`Downloading:${of} at ${rate.toFixed(1)} MB/s`);
  }
}

/** Resolves when a writable can take more, or is gone. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

interface TarRun {
  stdin: NodeJS.WritableStream;
  exit: Promise<{ code: number | null; stderr: string }>;
}

function startTar(stagingDir: string, members: string[]): TarRun {
  // System tar (GNU or bsdtar) writes the files in its own process; the gunzip runs on
  // libuv's thread pool (Node's zlib inflates about twice as fast as GNU gzip), and this
  // thread only receives and hashes: the pipeline spreads over the cores.
  const tar = spawn(
    'tar',
    ['-xf', '-', '-C', stagingDir, '--strip-components=1', '--no-same-owner', ...members],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  tar.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    tar.on('error', (err) => resolve({ code: -1, stderr: `cannot run tar: ${err.message}` }));
    tar.on('close', (code) => resolve({ code, stderr }));
  });
  // A failed tar closes its stdin early; the error surfaces through `exit` instead.
  tar.stdin.on('error', () => {});
  return { stdin: tar.stdin, exit };
}

/**
 * One pass over the download: bytes flow through SHA-256 into `tar`, which writes only the
 * requested members into the staging folder. The caller promotes the folder only after
 * this resolves, that is after the hash matched; nothing in it has been run.
 */
export async function downloadAndExtract(
  req: ExtractRequest,
): Promise<{ bytes: number; missing: string[] }> {
  await rm(req.stagingDir, { recursive: true, force: true });
  await mkdir(req.stagingDir, { recursive: true });

  const shown = redactUrl(req.url);
  const response = await get(req.url);
  const status = response.message.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.message.resume();
    throw new HttpStatusError(req.url, status);
  }
  const stall = req.stall ?? DEFAULT_STALL;
  let windowStart = 0;
  let windowStartedAt = Date.now();
  let waitingForDisk = false;
  const restartWindow = () => {
    windowStart = bytes;
    windowStartedAt = Date.now();
  };
  const lengthHeader = response.message.headers['content-length'];
  const total = lengthHeader ? Number(lengthHeader) : undefined;
  const progress = new Progress(total, req.log, req.progressIntervalMs ?? 5000);
  const hash = createHash('sha256');
  const optional = req.optionalMembers ?? [];
  const tar = startTar(req.stagingDir, [...req.members, ...optional]);
  const gunzip = createGunzip({ chunkSize: BATCH_BYTES });
  let unpackError: (Error & { code?: string }) | undefined;
  const unpacked = pipeline(gunzip, tar.stdin).catch((err: Error) => {
    unpackError = err;
  });

  // Every byte is hashed even if unpacking fails part-way, so a corrupt download is
  // reported as the checksum mismatch it is, not as a network fault. TLS hands over ~16 kB
  // records; zlib runs much faster (and with far fewer system calls) on ~1 MB batches.
  let bytes = 0;
  let readError: unknown;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const data = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    if (!unpackError && !gunzip.destroyed && !gunzip.write(data)) {
      // Waiting for the disk is not the server's stall: the window restarts afterwards.
      waitingForDisk = true;
      await drained(gunzip);
      waitingForDisk = false;
      restartWindow();
    }
  };
  // Checked several times per window, so a window restarted after a wait on the disk is
  // still judged over its full length.
  const watchdog = setInterval(
    () => {
      if (waitingForDisk) return restartWindow();
      if (Date.now() - windowStartedAt < stall.windowMs) return;
      const got = bytes - windowStart;
      if (got >= stall.minBytes) return restartWindow();
      const seconds = Math.round(stall.windowMs / 100) / 10;
      response.message.destroy(
        new StalledDownloadError(
          got === 0
            ? `no data from ${shown} for ${seconds} s`
            : `${shown} sent only ${got} bytes in ${seconds} s (at least ${stall.minBytes} expected)`,
        ),
      );
    },
    Math.max(10, stall.windowMs / 5),
  );
  try {
    for await (const chunk of response.message as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      progress.tick(bytes);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= BATCH_BYTES) await flush();
    }
  } catch (err) {
    readError = err;
  } finally {
    clearInterval(watchdog);
  }
  if (batchBytes > 0) await flush();
  if (!gunzip.destroyed) gunzip.end();
  await unpacked;
  const exit = await tar.exit;

  const endedEarly = unpackError?.code === 'Z_BUF_ERROR' && total === undefined;
  if (readError instanceof StalledDownloadError) throw readError;
  if (readError !== undefined || (total !== undefined && bytes !== total) || endedEarly) {
    throw new TruncatedBodyError(`connection closed after ${bytes} of ${total ?? '?'} bytes`);
  }

  const actual = hash.digest('hex');
  if (actual !== req.expectedSha256) {
    throw new ChecksumMismatchError(
      `Checksum mismatch for ${shown}: expected SHA-256 ${req.expectedSha256}, got ${actual}; nothing was installed (check 'sha256' or the mirror)`,
    );
  }
  // tar stops at the end-of-archive blocks and may close its stdin before the trailing
  // padding arrives; once it exited 0, only a gunzip error means a broken archive.
  if (unpackError?.code?.startsWith('Z_') && exit.code === 0) {
    throw new UserError(`Could not unpack ${shown}: ${unpackError.message}`);
  }
  const missing = [...exit.stderr.matchAll(/([^\s:]+): Not found in archive/g)].map((m) => m[1]!);
  const missingOptional = missing.filter((m) => optional.includes(m));
  if (exit.code !== 0 && !onlyMissing(exit.stderr, optional)) {
    const missingRequired = missing.filter((m) => !optional.includes(m));
    if (missingRequired.length > 0) {
      throw new UserError(
        `The tarball ${shown} has no ${missingRequired.join(', ')}: check 'binaries' (and 'edition', which decides the top folder)`,
      );
    }
    const detail = exit.stderr.trim().split('\n')[0] || `tar exited with ${exit.code}`;
    throw new UserError(`Could not extract ${shown}: ${detail}`);
  }
  const inStaging = (member: string) => member.split('/').slice(1).join('/');
  const files = req.files ?? req.members.map(inStaging);
  const arrived = optional.filter((m) => !missingOptional.includes(m)).map(inStaging);
  const top = req.members[0]?.split('/')[0] ?? '';
  await refuseNonFiles(
    req.stagingDir,
    top,
    [...files, ...arrived.filter((f) => !files.includes(f))],
    shown,
  );
  return { bytes, missing: missingOptional };
}

/**
 * Whether tar failed only because optional members were not in the archive: GNU tar and
 * bsdtar name each (`<member>: Not found in archive`) and end with a summary line.
 */
function onlyMissing(stderr: string, optional: readonly string[]): boolean {
  const lines = stderr.split('\n').filter((l) => l.trim());
  if (lines.length === 0) return false;
  return lines.every((line) => {
    const m = /([^\s:]+): Not found in archive/.exec(line);
    if (m) return optional.includes(m[1]!);
    return /Exiting with failure status due to previous errors|Error exit delayed from previous errors/.test(
      line,
    );
  });
}

/**
 * Each executable must have arrived as a regular file below real folders: a symbolic link
 * would make the caller's chmod (and the PATH) reach outside the staging folder, a folder is
 * no binary. `files` are relative to the staging folder.
 */
async function refuseNonFiles(stagingDir: string, top: string, files: string[], shown: string) {
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!(await lstat(join(stagingDir, folder))).isDirectory()) {
        throw new UserError(
          `The tarball ${shown} holds ${top}/${folder} as no folder, though ${top}/${file} is inside it: refusing it (check the mirror in 'cdn-base-url')`,
        );
      }
    }
    const member = `${top}/${file}`;
    const stats = await lstat(join(stagingDir, file));
    if (stats.isFile()) continue;
    const kind = stats.isSymbolicLink()
      ? 'a symbolic link'
      : stats.isDirectory()
        ? 'a folder'
        : 'a special file';
    throw new UserError(
      `The tarball ${shown} holds ${member} as ${kind}, not a file: refusing it (check the mirror in 'cdn-base-url')`,
    );
  }
}
