/**
 * A job environment without Node.js: a folder to use as the whole PATH, holding a POSIX shell
 * (`sh`, dash or busybox) and the handful of tools a minimal image has (coreutils-like basics,
 * `curl` or `wget`, `tar`, `sha256sum`), each a link to this machine's program. No `node`,
 * `npm`, `npx` or `bash` unless asked for.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What every image has, coreutils or busybox. */
const BASICS = [
  'cat',
  'chmod',
  'cut',
  'dirname',
  'env',
  'find',
  'grep',
  'head',
  'id',
  'ls',
  'mkdir',
  'mktemp',
  'mv',
  'rm',
  'sed',
  'sleep',
  'stat',
  'tail',
  'tr',
  'uname',
  'kill',
  'ps',
];

export interface ShellOnlyOptions {
  /** The program behind `sh`: dash (Debian's sh) or busybox (Alpine's). */
  shell?: 'dash' | 'busybox';
  /** Which download tool the image has. */
  download?: 'curl' | 'wget' | 'none';
  /** Which checksum tool: coreutils' sha256sum, or none. */
  checksum?: 'sha256sum' | 'none';
  /** Also `tar`, `gzip`, `ssh`, `ssh-keygen` and the like, by name. */
  extra?: string[];
  /** Basics this image lacks (e.g. `stat`). */
  omit?: string[];
  /**
   * Runners that start every job with `bash` (gitlab-ci-local does) meet, in an image without
   * bash, what such an image's runner uses instead: its `sh`. Links `bash` to the same shell.
   */
  bashIsSh?: boolean;
}

function which(name: string): string {
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`${name} is not installed: run scripts/prereqs test`);
}

/** Makes `dir` (created) the PATH of a Node-less image; returns it. */
export async function makeShellOnlyPath(dir: string, opts: ShellOnlyOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const link = (name: string, target: string) => symlink(target, join(dir, name));
  const shell = opts.shell ?? 'dash';
  const shellPath = which(shell);
  // busybox picks its applet from the name it is called by, as Alpine's links do.
  await link('sh', shellPath);
  if (opts.bashIsSh) {
    // busybox has no `bash` applet: a script hands over to its sh.
    if (shell === 'busybox') {
      await writeFile(join(dir, 'bash'), `#!${shellPath} sh\nexec ${shellPath} sh "$@"\n`, {
        mode: 0o755,
      });
    } else {
      await link('bash', shellPath);
    }
  }
  const tools = [...BASICS.filter((t) => !opts.omit?.includes(t)), ...(opts.extra ?? [])];
  if ((opts.download ?? 'curl') !== 'none') tools.push(opts.download ?? 'curl');
  if ((opts.checksum ?? 'sha256sum') !== 'none') tools.push('sha256sum');
  for (const tool of new Set(tools)) {
    if (shell === 'busybox' && BASICS.includes(tool)) {
      await link(tool, shellPath); // Alpine's basics are busybox applets
    } else {
      await link(tool, which(tool));
    }
  }
  return dir;
}
