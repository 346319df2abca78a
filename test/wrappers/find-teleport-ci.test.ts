/**
 * The wrappers' one piece of shell that finds or fetches teleport-ci
 * (packages/cli/sh/find-teleport-ci.sh), run by dash, busybox sh and bash in a PATH with no
 * Node.js, against loopback servers standing in for the GitHub release (the standalone
 * executable) and the npm registry. The "executables" here are small sh scripts: what is
 * tested is the order of resolution, the checksum and the private folders.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAGMENT, type ReleaseStamp, stampFragment } from '../../scripts/gen-wrappers';
import { repoRoot } from '../../scripts/repo-root';
import { createTestCa, type TestCa } from '../double';
import { type NpmRegistry, startNpmRegistry } from './npm-registry';
import { type FileServer, startFileServer } from './serve-files';
import { makeShellOnlyPath } from './shell-only';

const exec = promisify(execFile);
const VERSION = '1.2.3';
const FAKE_BIN = '#!/bin/sh\necho "standalone teleport-ci $*"\n';
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

let base: string;
let release: FileServer;
let ca: TestCa;
let secureRelease: FileServer;
let registry: NpmRegistry;
let counter = 0;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'find-teleport-ci-'));
  release = await startFileServer();
  release.serve(`/v${VERSION}/teleport-ci-linux-amd64`, FAKE_BIN);
  ca = await createTestCa(base);
  secureRelease = await startFileServer({ ca });
  secureRelease.serve(`/v${VERSION}/teleport-ci-linux-amd64`, FAKE_BIN);
  registry = await startNpmRegistry(VERSION, '#!/bin/sh\necho "npm teleport-ci $*"\n');
});
afterAll(async () => {
  await Promise.all([release?.close(), secureRelease?.close(), registry?.close()]);
  await rm(base, { recursive: true, force: true });
});

function stamp(over: Partial<ReleaseStamp['sha256']> = {}): ReleaseStamp {
  return {
    version: VERSION,
    url: `${release.url}/v${VERSION}`,
    sha256: { 'linux-amd64': sha256(FAKE_BIN), 'linux-arm64': sha256('arm64'), ...over },
  };
}

interface Job {
  dir: string;
  home: string;
  path: string;
  fragment: string;
}

type Shell = 'dash' | 'busybox' | 'bash';

async function newJob(
  shell: Shell,
  opts: Parameters<typeof makeShellOnlyPath>[1] & { stamp?: ReleaseStamp } = {},
): Promise<Job> {
  counter += 1;
  const dir = join(base, `job${counter}`);
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const path = await makeShellOnlyPath(join(dir, 'bin'), {
    ...opts,
    shell: shell === 'busybox' ? 'busybox' : 'dash',
  });
  const text = await readFile(join(repoRoot, FRAGMENT), 'utf8');
  const fragment = join(dir, 'find-teleport-ci.sh');
  await writeFile(fragment, stampFragment(text, opts.stamp ?? stamp()));
  return { dir, home, path, fragment };
}

const SHELLS: Record<Shell, string[]> = {
  dash: ['/usr/bin/dash'],
  busybox: ['/usr/bin/busybox', 'sh'],
  bash: ['/bin/bash', '--posix'],
};

/** Sources the fragment, finds teleport-ci and runs it with `version`. */
async function find(
  shell: Shell,
  job: Job,
  env: Record<string, string> = {},
  pathDirs: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, ...args] = SHELLS[shell];
  const script = `. "$1" && teleport_ci_find && echo "found=$TELEPORT_CI" && "$TELEPORT_CI" version`;
  try {
    const r = await exec(program!, [...args, '-c', script, 'sh', job.fragment], {
      env: { PATH: [...pathDirs, job.path].join(':'), HOME: job.home, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const downloads = (job: Job) => join(job.home, '.cache', 'teleport-ci', 'downloads');

describe.each(['dash', 'busybox', 'bash'] as const)('find-teleport-ci.sh under %s', (shell) => {
  it('downloads the standalone executable, checks its SHA-256 and runs it', async () => {
    const job = await newJob(shell);
    const before = release.requests.length;
    const r = await find(shell, job);
    expect(r.stderr).toContain(
      `teleport-ci: downloading ${release.url}/v${VERSION}/teleport-ci-linux-amd64`,
    );
    expect(r.code, r.stderr).toBe(0);
    const kept = join(downloads(job), `teleport-ci-${VERSION}-linux-amd64`);
    expect(r.stdout).toBe(`found=${kept}\nstandalone teleport-ci version\n`);
    expect((await readdir(downloads(job))).sort()).toEqual([
      `teleport-ci-${VERSION}-linux-amd64`,
      `teleport-ci-${VERSION}-linux-amd64.verified`,
    ]);
    expect(release.requests.length).toBe(before + 1);

    // A later step of the job reuses it without downloading.
    const again = await find(shell, job);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(release.requests.length).toBe(before + 1);
  });

  it('a kept copy that changed is downloaded again, not run', async () => {
    const job = await newJob(shell);
    expect((await find(shell, job)).code).toBe(0);
    const kept = join(downloads(job), `teleport-ci-${VERSION}-linux-amd64`);
    await writeFile(kept, '#!/bin/sh\necho tampered\n');
    const r = await find(shell, job);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('does not match the pinned SHA-256: downloading it again');
    expect(r.stdout).not.toContain('tampered');
    expect(r.stdout).toContain('standalone teleport-ci version');
  });

  it('refuses a download whose SHA-256 is not the pinned one: nothing runs, nothing is kept', async () => {
    const job = await newJob(shell, { stamp: stamp({ 'linux-amd64': sha256('another build') }) });
    const r = await find(shell, job);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const line = r.stderr.trim().split('\n').at(-1);
    expect(line).toBe(
      `teleport-ci: the file at ${release.url}/v${VERSION}/teleport-ci-linux-amd64 has SHA-256 ${sha256(FAKE_BIN)}, not the ${sha256('another build')} this release pins: nothing was run; check TELEPORT_CI_DOWNLOAD_URL (a mirror must serve this release's teleport-ci ${VERSION})`,
    );
    expect(await readdir(downloads(job))).toEqual([]);
  });

  it('TELEPORT_CI_BIN comes first; one that is not executable is an error', async () => {
    const job = await newJob(shell);
    const mine = join(job.dir, 'my-teleport-ci');
    await writeFile(mine, '#!/bin/sh\necho "mine $*"\n', { mode: 0o755 });
    const r = await find(shell, job, { TELEPORT_CI_BIN: mine });
    expect(r.stdout).toBe(`found=${mine}\nmine version\n`);
    await chmod(mine, 0o644);
    const bad = await find(shell, job, { TELEPORT_CI_BIN: mine });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe(
      `teleport-ci: TELEPORT_CI_BIN is '${mine}', which is not an executable file: give the path of teleport-ci, or unset it`,
    );
  });

  it('then teleport-ci on PATH', async () => {
    const job = await newJob(shell);
    const onPath = join(job.dir, 'on-path');
    await mkdir(onPath);
    await writeFile(join(onPath, 'teleport-ci'), '#!/bin/sh\necho "on PATH $*"\n', { mode: 0o755 });
    const r = await find(shell, job, {}, [onPath]);
    expect(r.stdout).toBe(`found=${join(onPath, 'teleport-ci')}\non PATH version\n`);
    expect(existsSync(downloads(job))).toBe(false);
  });

  it("never shows a mirror's password: the URL is printed as user:password -> ***", async () => {
    const job = await newJob(shell);
    const mirror = release.url.replace('://', '://ci-bot:mirror-s3cret@');
    const ok = await find(shell, job, { TELEPORT_CI_DOWNLOAD_URL: `${mirror}/v${VERSION}` });
    expect(ok.code, ok.stderr).toBe(0);
    const shown = release.url.replace('://', '://***@');
    expect(ok.stderr).toContain(`downloading ${shown}/v${VERSION}/teleport-ci-linux-amd64`);
    const missing = await find(shell, await newJob(shell), {
      TELEPORT_CI_DOWNLOAD_URL: `${mirror}/no-such-release`,
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`could not download ${shown}/no-such-release/`);
    for (const r of [ok, missing]) expect(r.stderr + r.stdout).not.toContain('mirror-s3cret');
  });

  it('with wget instead of curl', async () => {
    const job = await newJob(shell, { download: 'wget' });
    const r = await find(shell, job);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('standalone teleport-ci version');
  });

  it('says what to do without a download tool, a checksum tool, or a released checksum', async () => {
    const none = await find(shell, await newJob(shell, { download: 'none' }));
    expect(none.stderr.trim().split('\n').at(-1)).toBe(
      'teleport-ci: this image has neither curl nor wget to download teleport-ci: install one, use an image with Node.js 20 or later, or set TELEPORT_CI_BIN',
    );
    if (shell !== 'busybox') {
      // busybox brings its own sha256sum applet.
      const noSum = await find(shell, await newJob(shell, { checksum: 'none' }));
      expect(noSum.code).not.toBe(0);
      expect(noSum.stderr).toContain(
        'teleport-ci: this image has neither sha256sum, shasum nor openssl, so the downloaded teleport-ci cannot be verified',
      );
    }
    const unreleased = await find(
      shell,
      await newJob(shell, { stamp: stamp({ 'linux-amd64': '' }) }),
    );
    expect(unreleased.stderr.trim()).toBe(
      'teleport-ci: this copy of the wrapper is not a release, so no checksum is pinned for the standalone teleport-ci: use a released version, an image with Node.js 20 or later, or set TELEPORT_CI_BIN',
    );
  });

  it('names what is supported on another OS or architecture', async () => {
    const job = await newJob(shell);
    const fake = join(job.dir, 'fake-uname');
    await mkdir(fake);
    const uname = join(fake, 'uname');
    await writeFile(uname, '#!/bin/sh\n[ "$1" = -s ] && echo Linux || echo riscv64\n', {
      mode: 0o755,
    });
    const riscv = await find(shell, job, {}, [fake]);
    expect(riscv.stderr.trim()).toBe(
      'teleport-ci: no standalone teleport-ci is built for riscv64 (only amd64 and arm64): install Node.js 20 or later in the image, or set TELEPORT_CI_BIN',
    );
    await writeFile(uname, '#!/bin/sh\n[ "$1" = -s ] && echo Darwin || echo arm64\n');
    const mac = await find(shell, job, {}, [fake]);
    expect(mac.stderr.trim()).toBe(
      'teleport-ci: no standalone teleport-ci is built for Darwin: install Node.js 20 or later in the image (the npm package is then used), or set TELEPORT_CI_BIN',
    );
  });

  it('refuses a TELEPORT_CI_HOME that other users may write to', async () => {
    const job = await newJob(shell);
    const shared = join(job.dir, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    const r = await find(shell, job, { TELEPORT_CI_HOME: shared });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      `teleport-ci: ${shared} is not a private folder of this user (a link, another owner, or writable by others): remove it, or set TELEPORT_CI_HOME to another folder`,
    );
    expect(await readdir(shared)).toEqual([]);
  });
});

/**
 * A `sha256sum` in front of the image's own that counts its runs in `<dir>/hashes`: how many
 * times the fragment hashed the executable.
 */
async function countingHasher(job: Job): Promise<{ dir: string; count: () => Promise<number> }> {
  const dir = join(job.dir, 'counting');
  const log = join(dir, 'hashes');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'sha256sum'),
    `#!/bin/sh\necho hash >>'${log}'\nexec /usr/bin/sha256sum "$@"\n`,
    { mode: 0o755 },
  );
  const count = async () =>
    existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter(Boolean).length : 0;
  return { dir, count };
}

const keptPath = (job: Job) => join(downloads(job), `teleport-ci-${VERSION}-linux-amd64`);

describe.each(['dash', 'busybox', 'bash'] as const)(
  'the record of a checked file, under %s',
  (shell) => {
    it('a later use in the job reuses the record: no second hash', async () => {
      const job = await newJob(shell);
      const hasher = await countingHasher(job);
      const first = await find(shell, job, {}, [hasher.dir]);
      expect(first.code, first.stderr).toBe(0);
      expect(await hasher.count()).toBe(1);
      // The record: the pinned sha and what `stat` says of the file that was checked.
      const kept = keptPath(job);
      const info = await stat(kept, { bigint: true });
      const record = await readFile(`${kept}.verified`, 'utf8');
      const fields = record.trim().split(' ');
      expect(fields.slice(0, 7)).toEqual([
        sha256(FAKE_BIN),
        String(process.getuid?.()),
        '81ed',
        String(info.dev),
        String(info.ino),
        String(info.size),
        String(info.mtimeMs / 1000n),
      ]);
      // ctime to the nanosecond, as `stat -c %z` prints it
      expect(record).toContain(`.${String(info.ctimeNs % 1_000_000_000n).padStart(9, '0')} `);
      expect((await stat(`${kept}.verified`)).mode & 0o777).toBe(0o600);
      for (let i = 0; i < 2; i++) {
        const again = await find(shell, job, {}, [hasher.dir]);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toContain('standalone teleport-ci version');
      }
      expect(await hasher.count()).toBe(1);
    });

    it('a copy restored from a cache (with its record) is hashed once, then recorded', async () => {
      const job = await newJob(shell);
      expect((await find(shell, job)).code).toBe(0);
      // What a CI cache restore does: new files with the saved contents, modes and mtimes.
      const restored = join(job.dir, 'restored');
      await mkdir(join(restored, 'downloads'), { recursive: true, mode: 0o700 });
      for (const name of await readdir(downloads(job))) {
        const from = join(downloads(job), name);
        const to = join(restored, 'downloads', name);
        await copyFile(from, to);
        const s = await stat(from);
        await chmod(to, s.mode & 0o777);
        await utimes(to, s.atime, s.mtime);
      }
      const hasher = await countingHasher(job);
      const env = { TELEPORT_CI_HOME: restored };
      const r = await find(shell, job, env, [hasher.dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(await hasher.count()).toBe(1);
      expect((await find(shell, job, env, [hasher.dir])).code).toBe(0);
      expect(await hasher.count()).toBe(1);
    });

    it('a record does not cover a file that was written, touched or replaced since', async () => {
      const job = await newJob(shell);
      const hasher = await countingHasher(job);
      expect((await find(shell, job, {}, [hasher.dir])).code).toBe(0);
      const kept = keptPath(job);
      const original = await stat(kept);

      // Tampered with the same size, its mtime put back: the ctime still tells.
      const tampered = '#!/bin/sh\necho "TAMPERED"\n'.padEnd(FAKE_BIN.length, '#');
      expect(tampered.length).toBe(FAKE_BIN.length);
      await writeFile(kept, tampered);
      await utimes(kept, original.atime, original.mtime);
      const r1 = await find(shell, job, {}, [hasher.dir]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stderr).toContain('does not match the pinned SHA-256: downloading it again');
      expect(r1.stdout).not.toContain('TAMPERED');
      expect(await hasher.count()).toBe(3); // first, the tampered copy, the new download

      // Touched (same content): checked again, and recorded again.
      await utimes(kept, new Date(), new Date());
      const r2 = await find(shell, job, {}, [hasher.dir]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).toBe('');
      expect(await hasher.count()).toBe(4);
      expect((await find(shell, job, {}, [hasher.dir])).code).toBe(0);
      expect(await hasher.count()).toBe(4);

      // Replaced by another file (renamed over it), the record left as it was.
      const other = join(downloads(job), 'other');
      await writeFile(other, tampered, { mode: 0o755 });
      await rename(other, kept);
      const r3 = await find(shell, job, {}, [hasher.dir]);
      expect(r3.code, r3.stderr).toBe(0);
      expect(r3.stdout).not.toContain('TAMPERED');
      expect(r3.stderr).toContain('does not match the pinned SHA-256');
    });

    it('a record forged for a tampered file counts only as a mode-600 file beside a mode-755 one', async () => {
      const job = await newJob(shell);
      expect((await find(shell, job)).code).toBe(0);
      const kept = keptPath(job);
      const tampered = '#!/bin/sh\necho "TAMPERED"\n';
      const forge = async (mode = 0o755) => {
        await rm(`${kept}.verified`, { force: true });
        await writeFile(kept, tampered);
        await chmod(kept, mode);
        const { stdout } = await exec('stat', ['-c', '%u %f %d %i %s %Y %z', kept]);
        return `${sha256(FAKE_BIN)} ${stdout.trim()}\n`;
      };
      // Sanity: a forged record written as the fragment writes one is believed (only this user can
      // write into the private folder, so this needs the user's own rights).
      await writeFile(`${kept}.verified`, await forge(), { mode: 0o600 });
      const believed = await find(shell, job);
      expect(believed.stdout).toContain('TAMPERED');

      // Readable by others (not the mode the fragment writes), or a link: not a record.
      const forged = await forge();
      await writeFile(`${kept}.verified`, forged, { mode: 0o644 });
      await chmod(`${kept}.verified`, 0o644);
      const r1 = await find(shell, job);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.stdout).not.toContain('TAMPERED');

      const elsewhere = join(job.dir, 'record-elsewhere');
      const forged2 = await forge();
      await writeFile(elsewhere, forged2, { mode: 0o600 });
      await symlink(elsewhere, `${kept}.verified`);
      const r2 = await find(shell, job);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stdout).not.toContain('TAMPERED');

      // The executable writable by its group: the record does not count.
      const forged3 = await forge(0o775);
      expect(forged3).toContain(' 81fd ');
      await writeFile(`${kept}.verified`, forged3, { mode: 0o600 });
      const r3 = await find(shell, job);
      expect(r3.code, r3.stderr).toBe(0);
      expect(r3.stdout).not.toContain('TAMPERED');
    });

    it('a file that changes while it is hashed is not the one checked: not recorded, not run', async () => {
      const job = await newJob(shell);
      expect((await find(shell, job)).code).toBe(0);
      const kept = keptPath(job);
      await utimes(kept, new Date(), new Date()); // the record no longer matches: hashed next time
      // A sha256sum that touches the file once it has read it, as a writer racing the check would.
      const racing = join(job.dir, 'racing');
      await mkdir(racing);
      await writeFile(
        join(racing, 'sha256sum'),
        `#!/bin/sh\n/usr/bin/sha256sum "$@"\n[ "$1" = '${kept}' ] && /usr/bin/touch "$1"\nexit 0\n`,
        { mode: 0o755 },
      );
      const before = release.requests.length;
      const r = await find(shell, job, {}, [racing]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('does not match the pinned SHA-256: downloading it again');
      expect(release.requests.length).toBe(before + 1);
    });

    it('jobs sharing the folder may check the same file at once: neither spoils the other', async () => {
      const job = await newJob(shell);
      expect((await find(shell, job)).code).toBe(0);
      const kept = keptPath(job);
      await chmod(kept, 0o700); // as a cache may restore it: the first check makes it 755
      expect((await find(shell, job)).code).toBe(0);
      await utimes(kept, new Date(), new Date()); // no record matches: both jobs hash it
      const slow = join(job.dir, 'slow');
      await mkdir(slow);
      await writeFile(
        join(slow, 'sha256sum'),
        '#!/bin/sh\nsleep 1\nexec /usr/bin/sha256sum "$@"\n',
        {
          mode: 0o755,
        },
      );
      const before = release.requests.length;
      const both = await Promise.all([find(shell, job, {}, [slow]), find(shell, job, {}, [slow])]);
      for (const r of both) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toContain('standalone teleport-ci version');
      }
      expect(release.requests.length).toBe(before);
      expect((await stat(kept)).mode & 0o777).toBe(0o755);
    });

    it('a downloads folder others may write to is refused, record or not: nothing runs', async () => {
      const job = await newJob(shell);
      expect((await find(shell, job)).code).toBe(0);
      expect(existsSync(`${keptPath(job)}.verified`)).toBe(true);
      await chmod(downloads(job), 0o777);
      const r = await find(shell, job);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(
        `teleport-ci: ${downloads(job)} is not a private folder of this user (a link, another owner, or writable by others): remove it, or set TELEPORT_CI_HOME to another folder`,
      );
    });

    it('without `stat`, every use hashes (no record)', async () => {
      const job = await newJob(shell, { omit: ['stat'] });
      const hasher = await countingHasher(job);
      for (let i = 1; i <= 2; i++) {
        const r = await find(shell, job, {}, [hasher.dir]);
        expect(r.code, r.stderr).toBe(0);
        expect(await hasher.count()).toBe(i);
      }
      expect(existsSync(`${keptPath(job)}.verified`)).toBe(false);
    });
  },
);

describe('find-teleport-ci.sh with Node.js', () => {
  it('installs the pinned npm package once into a private prefix, and reuses it', async () => {
    const job = await newJob('dash');
    const env = {
      npm_config_registry: `${registry.url}/`,
      npm_config_cache: join(job.dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
    };
    const node = dirname(process.execPath);
    const r = await find('dash', job, env, [node]);
    expect(r.code, r.stderr).toBe(0);
    const prefix = join(job.home, '.cache', 'teleport-ci', 'npm', VERSION);
    expect(r.stderr).toContain(
      `teleport-ci: installing @teleport-actions/cli@${VERSION} with npm into ${prefix}`,
    );
    expect(r.stdout).toBe(
      `found=${prefix}/node_modules/.bin/teleport-ci\nnpm teleport-ci version\n`,
    );
    const asked = registry.tarballRequests();
    const again = await find('dash', job, env, [node]);
    expect(again.stdout).toContain('npm teleport-ci version');
    expect(again.stderr).toBe('');
    expect(registry.tarballRequests()).toBe(asked);
    expect(existsSync(downloads(job))).toBe(false);
  });
});

describe('find-teleport-ci.sh over HTTPS', () => {
  it('downloads with curl trusting the CA the job names (CURL_CA_BUNDLE)', async () => {
    const job = await newJob('dash', {
      stamp: { ...stamp(), url: `${secureRelease.url}/v${VERSION}` },
    });
    const r = await find('dash', job, { CURL_CA_BUNDLE: ca.certPath });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('standalone teleport-ci version');
  });
});

describe('find-teleport-ci.sh is POSIX sh', () => {
  it('passes shellcheck -s sh, dash -n and busybox sh -n', async () => {
    const file = join(repoRoot, FRAGMENT);
    await exec('shellcheck', ['-s', 'sh', file]);
    await exec('dash', ['-n', file]);
    await exec('busybox', ['sh', '-n', file]);
  });
});
