/**
 * Runs the GitLab CI/CD component offline with gitlab-ci-local: static checks, rendering, execution.
 *
 * `makeComponentRepo()` builds a throwaway git repository holding a copy of the component
 * project (`packages/gitlab`: `templates/`, README), with a fake `origin` remote, and commits it.
 * gitlab-ci-local then reads `include: component: $CI_SERVER_FQDN/<project path>/<name>@<HEAD sha>`
 * from that working tree, as GitLab would from the project. Pipelines are written next to it
 * (uncommitted, so HEAD does not move) and run with `repo.run()`: `--preview` to render, a job
 * name to execute it with the shell executor.
 *
 * Reusable for runs against the real `teleport-ci` and the Teleport double: pass `variables`
 * (e.g. TBOT_GITLAB_JWT, TELEPORT_CI_BIN, GITLAB_CI=true: gitlab-ci-local sets GITLAB_CI=false)
 * and `env` (PATH, ...).
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  FRAGMENT,
  inlineFragment,
  type ReleaseStamp,
  stampFragment,
} from '../../scripts/gen-wrappers';
import { repoRoot } from '../../scripts/repo-root';

export { repoRoot } from '../../scripts/repo-root';

export const componentDir = join(repoRoot, 'packages', 'gitlab');

const require = createRequire(import.meta.url);
/** The pinned gitlab-ci-local's entry point (4.74+ needs Node 22). */
export const gclEntry = join(
  dirname(require.resolve('gitlab-ci-local/package.json')),
  'dist',
  'index.js',
);

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

/** Runs a command asynchronously (no spawnSync: tests may serve doubles in-process). */
export function exec(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      output += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      output += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr, output });
    });
  });
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  const r = await exec('git', args, { cwd, env });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.output}`);
  return r.stdout.trim();
}

/** Variables by which `teleport-ci` (and tbot) recognise a CI platform. */
const HOST_CI_VARIABLES = [
  'CI',
  'GITLAB_CI',
  'GITHUB_ACTIONS',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'RUNNER_TEMP',
  'RUNNER_TOOL_CACHE',
  'CIRCLECI',
  'CIRCLE_OIDC_TOKEN',
  'JENKINS_URL',
  'BITBUCKET_BUILD_NUMBER',
  'TF_BUILD',
  'TBOT_GITLAB_JWT',
];

export interface RunOptions {
  /** Pipeline file, relative to the repo (default `.gitlab-ci.yml`). */
  file?: string;
  /** `--variable NAME=value` each (job variables; they override predefined ones). */
  variables?: Record<string, string>;
  /** Extra environment for gitlab-ci-local (jobs on the shell executor inherit it). */
  env?: NodeJS.ProcessEnv;
  /**
   * Make jobs look like real GitLab: gitlab-ci-local predefines GITLAB_CI=false, which hides
   * GitLab from the real `teleport-ci`'s platform detection. Sets it to `true` (warning muted).
   */
  asGitLab?: boolean;
  /** `--force-shell-executor`: run jobs that have an `image:` on the host. */
  forceShellExecutor?: boolean;
  timeoutMs?: number;
}

export interface ComponentRepo {
  dir: string;
  /** HEAD: the ref that makes gitlab-ci-local read the component from the working tree. */
  sha: string;
  /** `teleport/ci-components`, from the fake origin. */
  projectPath: string;
  /** A private HOME for jobs and gitlab-ci-local's own `~/.gitlab-ci-local`. */
  home: string;
  /** `$CI_SERVER_FQDN/<project>/<name>@<sha>` for `include: component:`. */
  component(name: string): string;
  /** Writes a pipeline file (a YAML string, or an object dumped as YAML). */
  writePipeline(content: string | object, file?: string): Promise<string>;
  /** Runs gitlab-ci-local in the repo with `args` (e.g. `['--preview']` or `['deploy']`). */
  run(args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** `--preview`, parsed. Throws with gitlab-ci-local's output when it fails. */
  preview(opts?: RunOptions): Promise<Record<string, unknown>>;
  cleanup(): Promise<void>;
}

export interface MakeRepoOptions {
  /** Group/project of the fake origin. */
  projectPath?: string;
  /** The component project to copy (default: packages/gitlab). */
  source?: string;
  /** Extra files to commit with it, by relative path (e.g. a modified template). */
  files?: Record<string, string>;
}

/** A temp git repo with a copy of the component project, a fake origin, and one commit. */
export async function makeComponentRepo(opts: MakeRepoOptions = {}): Promise<ComponentRepo> {
  const projectPath = opts.projectPath ?? 'teleport/ci-components';
  const base = await mkdtemp(join(tmpdir(), 'gitlab-component-'));
  const dir = join(base, 'repo');
  const home = join(base, 'home');
  await mkdir(dir);
  await mkdir(home);
  const source = opts.source ?? componentDir;
  await cp(join(source, 'templates'), join(dir, 'templates'), { recursive: true });
  await cp(join(source, 'README.md'), join(dir, 'README.md')).catch(() => undefined);
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  await writeFile(join(dir, '.gitignore'), '.gitlab-ci-local/\n');
  await git(dir, 'init', '-q', '-b', 'main');
  // gitlab-ci-local reads the user from git config (CI_COMMIT_AUTHOR, GITLAB_USER_*).
  await git(dir, 'config', 'user.name', 'test');
  await git(dir, 'config', 'user.email', 'test@example.com');
  // An https origin: for scp-style `git@host:group/project` remotes gitlab-ci-local runs
  // `ssh -G` to learn the port, which needs OpenSSH (and would meet a fake `ssh` on PATH).
  await git(dir, 'remote', 'add', 'origin', `https://gitlab.example.com/${projectPath}.git`);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'component project');
  // A remote HEAD, so gitlab-ci-local does not warn that it cannot find the default branch.
  await git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  await git(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  const sha = await git(dir, 'rev-parse', 'HEAD');

  const run = async (args: string[], runOpts: RunOptions = {}): Promise<ExecResult> => {
    // gitlab-ci-local wants a relative --cwd: run it from the repo instead.
    const argv = [gclEntry, '--home', home, '--no-color'];
    if (runOpts.file) argv.push('--file', runOpts.file);
    if (runOpts.forceShellExecutor) argv.push('--force-shell-executor');
    const variables = { ...(runOpts.asGitLab ? { GITLAB_CI: 'true' } : {}), ...runOpts.variables };
    for (const [k, v] of Object.entries(variables)) argv.push('--variable', `${k}=${v}`);
    argv.push(...args);
    return exec(process.execPath, argv, {
      cwd: dir,
      timeoutMs: runOpts.timeoutMs,
      env: {
        ...process.env,
        HOME: home,
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        // The host's CI must not leak into the jobs (the tests may run in GitHub Actions, and
        // teleport-ci detects its platform from these).
        ...Object.fromEntries(HOST_CI_VARIABLES.map((k) => [k, undefined])),
        ...(runOpts.asGitLab ? { GCL_IGNORE_PREDEFINED_VARS: 'GITLAB_CI' } : {}),
        ...runOpts.env,
      },
    });
  };

  return {
    dir,
    sha,
    projectPath,
    home,
    component: (name) => `$CI_SERVER_FQDN/${projectPath}/${name}@${sha}`,
    async writePipeline(content, file = '.gitlab-ci.yml') {
      const text = typeof content === 'string' ? content : stringify(content);
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
      return file;
    },
    run,
    async preview(runOpts = {}) {
      const r = await run(['--preview'], runOpts);
      if (r.code !== 0)
        throw new Error(`gitlab-ci-local --preview failed (${r.code}):\n${r.output}`);
      const start = r.stdout.indexOf('---\n');
      if (start < 0) throw new Error(`no YAML in --preview output:\n${r.output}`);
      return parse(r.stdout.slice(start)) as Record<string, unknown>;
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/**
 * The component's templates as a release ships them: find-teleport-ci.sh stamped with
 * `stamp` (relative path → text, for `makeComponentRepo({ files })`).
 */
export async function stampedTemplates(stamp: ReleaseStamp): Promise<Record<string, string>> {
  const fragment = stampFragment(await readFile(join(repoRoot, FRAGMENT), 'utf8'), stamp);
  const files: Record<string, string> = {};
  for (const name of await readdir(join(componentDir, 'templates'))) {
    const rel = join('templates', name);
    files[rel] = inlineFragment(await readFile(join(componentDir, rel), 'utf8'), fragment, rel);
  }
  return files;
}

export interface FakeCli {
  /** Folder with `teleport-ci` and `ssh` stubs: put it on PATH, or point TELEPORT_CI_BIN at `bin`. */
  dir: string;
  bin: string;
  /** JSON lines, one per call: `{ tool, argv, env }`. */
  log: string;
  calls(): Promise<FakeCall[]>;
}

export interface FakeCall {
  tool: 'teleport-ci' | 'ssh';
  argv: string[];
  env: Record<string, string | undefined>;
}

/**
 * A fake `teleport-ci` (and `ssh`) that record argv and the environment they saw, write dummy
 * credentials into a new folder in TMPDIR (deleted by `cleanup`), and print `export` lines like the real `--print-env`. Set
 * FAKE_TELEPORT_CI_FAIL=<command> to make that command fail as the real one does.
 */
export async function makeFakeCli(base: string): Promise<FakeCli> {
  const dir = join(base, 'fake-bin');
  const tools = join(base, 'fake-tools');
  const log = join(base, 'fake-calls.jsonl');
  await mkdir(dir, { recursive: true });
  await mkdir(tools, { recursive: true });
  const recorder = `
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const pick = ['TBOT_GITLAB_JWT', 'GITLAB_CI', 'CI_JOB_ID', 'PATH', 'TMPDIR', 'TELEPORT_CI', 'TELEPORT_CI_HOME', 'TELEPORT_CI_TOOL_CACHE', 'TELEPORT_BOT_TOKEN'];
function record(tool, argv) {
  const env = {};
  for (const k of pick) env[k] = process.env[k];
  fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool, argv, env }) + '\\n');
}
const q = (v) => "'" + String(v).split("'").join("'\\\\''") + "'";
`;
  const cli = `#!/usr/bin/env node
${recorder}
const argv = process.argv.slice(2);
record('teleport-ci', argv);
const cmd = argv[0];
const flag = (name) => { const i = argv.indexOf('--' + name); return i >= 0 ? argv[i + 1] : undefined; };
const die = (m) => { process.stderr.write('teleport-ci: ' + m + '\\n'); process.exit(1); };
if (process.env.FAKE_TELEPORT_CI_FAIL === cmd) die(cmd + ' failed (FAKE_TELEPORT_CI_FAIL)');
const lines = [];
// Like the real CLI: each auth command writes into a new private folder, which the job's
// cleanup deletes (the fake keeps the list in a file of the job, by CI_JOB_ID).
const made = path.join(process.env.HOME || os.tmpdir(), '.fake-teleport-ci-' + (process.env.CI_JOB_ID || 'local'));
let out;
const auth = (files) => {
  if (!process.env.TBOT_GITLAB_JWT) die('TBOT_GITLAB_JWT is not set: add id_tokens: TBOT_GITLAB_JWT: aud: <cluster name> to the job');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'teleport-ci-'));
  fs.chmodSync(out, 0o700);
  fs.appendFileSync(made, out + '\\n');
  for (const f of files) fs.writeFileSync(path.join(out, f), 'fake ' + f + ' for ' + process.env.TELEPORT_BOT_TOKEN + '\\n', { mode: 0o600 });
};
switch (cmd) {
  case 'setup':
    lines.push('export PATH=' + q(${JSON.stringify(tools)} + ':' + process.env.PATH));
    break;
  case 'auth':
    auth(['identity']);
    lines.push('export TELEPORT_PROXY=' + q(flag('proxy')));
    lines.push('export TELEPORT_AUTH_SERVER=' + q(flag('proxy')));
    lines.push('export TELEPORT_IDENTITY_FILE=' + q(path.join(out, 'identity')));
    lines.push('export TELEPORT_CI_IDENTITY_FILE=' + q(path.join(out, 'identity')));
    break;
  case 'auth-ssh':
    auth(['identity', 'ssh_config', 'known_hosts']);
    lines.push('export TELEPORT_SSH_CONFIG=' + q(path.join(out, 'ssh_config')));
    lines.push('export TELEPORT_CI_SSH_CONFIG=' + q(path.join(out, 'ssh_config')));
    lines.push('export TELEPORT_CI_KNOWN_HOSTS=' + q(path.join(out, 'known_hosts')));
    lines.push('export TELEPORT_CI_IDENTITY_FILE=' + q(path.join(out, 'identity')));
    break;
  case 'auth-k8s':
    auth(['identity', 'kubeconfig.yaml']);
    lines.push('export KUBECONFIG=' + q(path.join(out, 'kubeconfig.yaml')));
    break;
  case 'database-tunnel':
  case 'application-tunnel':
  case 'application-proxy': {
    auth([]);
    const listen = flag('listen');
    const uri = new URL(listen);
    lines.push('export TELEPORT_CI_' + cmd.toUpperCase().replace('-', '_') + '_URI=' + q(listen));
    lines.push('export TELEPORT_CI_' + cmd.toUpperCase().replace('-', '_') + '_PORT=' + q(uri.port));
    break;
  }
  case 'cleanup':
    for (const dir of (fs.existsSync(made) ? fs.readFileSync(made, 'utf8') : '').split('\\n').filter(Boolean)) {
      fs.rmSync(dir, { recursive: true, force: true });
      process.stdout.write('Deleted the credentials in ' + dir + '\\n');
    }
    fs.rmSync(made, { force: true });
    break;
  default:
    die('unknown command ' + cmd);
}
if (argv.includes('--print-env')) process.stdout.write(lines.map((l) => l + '\\n').join(''));
`;
  const ssh = `#!/usr/bin/env node
${recorder}
record('ssh', process.argv.slice(2));
process.stdout.write('fake ssh ran: ' + process.argv.slice(2).join(' ') + '\\n');
`;
  const tsh = `#!/bin/sh\necho "fake tsh $*"\n`;
  await writeFile(join(dir, 'teleport-ci'), cli, { mode: 0o755 });
  await writeFile(join(dir, 'ssh'), ssh, { mode: 0o755 });
  await writeFile(join(tools, 'tsh'), tsh, { mode: 0o755 });
  await writeFile(log, '');
  return {
    dir,
    bin: join(dir, 'teleport-ci'),
    log,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FakeCall);
    },
  };
}
