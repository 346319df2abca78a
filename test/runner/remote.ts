/**
 * `uses: owner/repo@ref` and `uses: owner/repo/path@ref` without a network: the test maps
 * `owner/repo@ref` to a local folder (`RunnerOptions.remoteActions`), and the folder is copied
 * where the runner downloads actions (`<workDir>/_actions/<owner>/<repo>/<ref>`), once per job,
 * so the action runs from outside the repository under test, as on GitHub.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

export interface RemoteActionRef {
  owner: string;
  repo: string;
  /** Folder inside the repository ('' for the root). */
  path: string;
  ref: string;
}

// The runner's form: owner and repo without '/' or '@', an optional path, '@' and a ref.
const REMOTE_RE = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s]+)?)@([^\s@]+)$/;

/** `owner/repo[/path]@ref` → its parts; undefined when `uses` isn't of that form. */
export function parseRemoteUses(uses: string): RemoteActionRef | undefined {
  const m = REMOTE_RE.exec(uses);
  if (!m) return undefined;
  const path = m[3]!.replace(/^\/+|\/+$/g, '');
  const dots = (part: string) => part === '..' || part === '.';
  if (dots(m[1]!) || dots(m[2]!) || path.split('/').some(dots)) return undefined;
  return { owner: m[1]!, repo: m[2]!, path, ref: m[4]! };
}

/** The `remoteActions` entry for a ref: keys are `owner/repo@ref`, owner/repo case-insensitive. */
function lookup(
  mapping: Record<string, string>,
  { owner, repo, ref }: RemoteActionRef,
): string | undefined {
  const wanted = `${owner}/${repo}`.toLowerCase();
  for (const [key, dir] of Object.entries(mapping)) {
    const at = key.lastIndexOf('@');
    if (key.slice(0, at).toLowerCase() === wanted && key.slice(at + 1) === ref) return dir;
  }
  return undefined;
}

/**
 * What a download of the repository at a ref holds, when `source` is a git work tree: the
 * files git tracks or would add (not what it ignores: `node_modules`, build caches, ...), and
 * the folders on their way, as paths relative to `source`. `undefined` for a plain folder.
 */
async function repositoryContent(source: string): Promise<Set<string> | undefined> {
  const listed = await promisify(execFile)(
    'git',
    ['-C', source, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch(() => undefined);
  if (!listed) return undefined;
  const wanted = new Set<string>();
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    for (let path = file; path !== '.' && !wanted.has(path); path = dirname(path)) wanted.add(path);
  }
  return wanted;
}

/**
 * The folder a remote action runs from: the mapped local copy, copied under
 * `<workDir>/_actions/<owner>/<repo>/<ref>` on first use in the job, plus the action's path.
 */
export async function resolveRemoteAction(
  uses: string,
  ref: RemoteActionRef,
  mapping: Record<string, string> | undefined,
  workDir: string,
): Promise<string> {
  const source = lookup(mapping ?? {}, ref);
  if (!source) {
    throw new Error(
      `The runner emulation has no copy of '${ref.owner}/${ref.repo}@${ref.ref}' (for '${uses}'): map it to a local folder in RunnerOptions.remoteActions; it never downloads actions.`,
    );
  }
  if (!existsSync(source)) {
    throw new Error(
      `RunnerOptions.remoteActions['${ref.owner}/${ref.repo}@${ref.ref}']: '${source}' does not exist`,
    );
  }
  const downloaded = join(workDir, '_actions', ref.owner, ref.repo, ref.ref);
  if (!existsSync(downloaded)) {
    await mkdir(downloaded, { recursive: true });
    const wanted = await repositoryContent(source);
    await cp(source, downloaded, {
      recursive: true,
      filter: (src) => {
        const path = relative(source, src);
        if (path === '') return true;
        return wanted ? wanted.has(path) : !/(^|[\\/])(\.git|node_modules)$/.test(path);
      },
    });
  }
  return ref.path ? join(downloaded, ref.path) : downloaded;
}
