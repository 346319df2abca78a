import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors';
import { HttpStatusError, httpClient, TruncatedBodyError } from '../net/http';
import type { Logger } from '../platform/platform';

export class ChecksumMismatchError extends UserError {}

export interface ExtractRequest {
  url: string;
  /** Lower-case hex SHA-256 the whole download must have. */
  expectedSha256: string;
  /** Emptied, then filled with the members, one path component stripped. */
  stagingDir: string;
  /** Archive member paths, e.g. `teleport/tbot`. */
  members: string[];
  log: Logger;
  /** Minimum time between progress lines. */
  progressIntervalMs?: number;
}

/** Counts and hashes the bytes on their way to `tar`, and logs progress now and then. */
class HashingMeter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private readonly started = Date.now();
  private lastReport = Date.now();

  constructor(
    private readonly total: number | undefined,
    private readonly report: (line: string) => void,
    private readonly intervalMs: number,
  ) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (e?: Error | null, d?: Buffer) => void,
  ) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const now = Date.now();
    if (now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      const mb = this.bytes / 1e6;
      const rate = mb / Math.max((now - this.started) / 1000, 0.001);
      const of = this.total
        ? ` ${Math.floor((100 * this.bytes) / this.total)}% (${mb.toFixed(1)} of ${(this.total / 1e6).toFixed(1)} MB)`
        : ` ${mb.toFixed(1)} MB`;
      this.report(`Downloading:${of} at ${rate.toFixed(1)} MB/s`);
    }
    done(null, chunk);
  }
}

interface TarRun {
  stdin: NodeJS.WritableStream;
  exit: Promise<{ code: number | null; stderr: string }>;
}

function startTar(stagingDir: string, members: string[]): TarRun {
  // System tar (GNU or bsdtar) does the gunzip and extraction in other processes, so
  // this one only moves bytes and hashes them: the pipeline runs on several cores.
  const tar = spawn(
    'tar',
    ['-xzf', '-', '-C', stagingDir, '--strip-components=1', '--no-same-owner', ...members],
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
export async function downloadAndExtract(req: ExtractRequest): Promise<{ bytes: number }> {
  await rm(req.stagingDir, { recursive: true, force: true });
  await mkdir(req.stagingDir, { recursive: true });

  const response = await httpClient().get(req.url);
  const status = response.message.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.message.resume();
    throw new HttpStatusError(req.url, status);
  }
  const lengthHeader = response.message.headers['content-length'];
  const total = lengthHeader ? Number(lengthHeader) : undefined;
  const meter = new HashingMeter(
    total,
    (line) => req.log.info(line),
    req.progressIntervalMs ?? 5000,
  );
  const tar = startTar(req.stagingDir, req.members);

  const [piped, tarResult] = await Promise.allSettled([
    pipeline(response.message, meter, tar.stdin),
    tar.exit,
  ]);
  const exit = tarResult.status === 'fulfilled' ? tarResult.value : { code: -1, stderr: '' };
  const truncated =
    (total !== undefined && meter.bytes !== total) ||
    (piped.status === 'rejected' && !response.message.complete);
  if (truncated) {
    throw new TruncatedBodyError(`connection closed after ${meter.bytes} of ${total ?? '?'} bytes`);
  }

  const actual = meter.hash.digest('hex');
  if (actual !== req.expectedSha256) {
    throw new ChecksumMismatchError(
      `Checksum mismatch for ${req.url}: expected SHA-256 ${req.expectedSha256}, got ${actual}; nothing was installed (check 'sha256' or the mirror)`,
    );
  }
  if (exit.code !== 0) {
    const missing = [...exit.stderr.matchAll(/([^\s:]+): Not found in archive/g)].map((m) => m[1]);
    if (missing.length > 0) {
      throw new UserError(
        `The tarball ${req.url} has no ${missing.join(', ')}: check 'binaries' (and 'edition', which decides the top folder)`,
      );
    }
    const detail = exit.stderr.trim().split('\n')[0] || `tar exited with ${exit.code}`;
    throw new UserError(`Could not extract ${req.url}: ${detail}`);
  }
  return { bytes: meter.bytes };
}
