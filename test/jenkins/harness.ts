/**
 * Runs Jenkins pipeline snippets that call the shared library in packages/jenkins, with
 * `groovy` and the stand-in Pipeline runtime in stubs/PipelineStubs.groovy, and a fake or the
 * real `teleport-ci`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const LIBRARY = join(ROOT, 'packages/jenkins');
export const STEP_SOURCE = join(LIBRARY, 'vars/withTeleport.groovy');
export const STUBS = join(ROOT, 'test/jenkins/stubs/PipelineStubs.groovy');
export const FAKE_CLI = join(ROOT, 'test/jenkins/fixtures/fake-teleport-ci.sh');
export const CLI_BUNDLE = join(ROOT, 'packages/cli/dist/teleport-ci.cjs');

/** The Debian packages these tests need. */
export const GROOVY_PACKAGES = 'groovy default-jre-headless';

/** Why groovy cannot run here, or undefined when it can. */
export function groovyProblem(): string | undefined {
  const r = spawnSync('groovy', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    return `groovy is not installed (${r.error.message}): apt-get install -y --no-install-recommends ${GROOVY_PACKAGES}`;
  }
  if (r.status !== 0) return `groovy --version failed: ${r.stderr || r.stdout}`;
  return undefined;
}

/**
 * Groovy is required: without it the suite fails with the install command, unless
 * SKIP_GROOVY_TESTS=1 says to skip it on purpose.
 */
export const SKIP_GROOVY = process.env.SKIP_GROOVY_TESTS === '1';

/** Groovy single-quoted string literal: no interpolation; backslash, quote, line breaks escaped. */
export function groovyString(value: string): string {
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')}'`;
}

/** A Groovy map literal's entries (`key: 'value', ...`) from a record. */
export function groovyArgs(options: Record<string, string | number | boolean | string[]>): string {
  return Object.entries(options)
    .map(([k, v]) => {
      if (Array.isArray(v)) return `${k}: [${v.map(groovyString).join(', ')}]`;
      if (typeof v === 'string') return `${k}: ${groovyString(v)}`;
      return `${k}: ${v}`;
    })
    .join(', ');
}

const sandboxes: string[] = [];
afterAll(async () => {
  if (process.env.KEEP_JENKINS_SANDBOX) return;
  await Promise.all(sandboxes.map((d) => rm(d, { recursive: true, force: true })));
});

export interface Sandbox {
  root: string;
  /** WORKSPACE */
  workspace: string;
  /** WORKSPACE_TMP (Jenkins sets it to `<workspace>@tmp`); it may not exist yet. */
  workspaceTmp: string;
  /** HOME for the build: a sacrificial folder holding `keep-me`. */
  home: string;
  /** Where pipeline snippets write what they saw ($RESULTS). */
  results: string;
  /** Holds `teleport-ci`, the fake, when `fake` was asked for. */
  bin: string;
  /** The fake's records ($FAKE_TELEPORT_CI_DIR). */
  fakeDir: string;
}

/** A fresh folder tree for one build. `workspaceTmp` may be named to test odd paths. */
export async function sandbox(opts: { fake?: boolean; workspaceTmpName?: string } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'jenkins-lib-'));
  sandboxes.push(root);
  const workspace = join(root, 'workspace');
  const s: Sandbox = {
    root,
    workspace,
    workspaceTmp: opts.workspaceTmpName ? join(root, opts.workspaceTmpName) : `${workspace}@tmp`,
    home: join(root, 'home'),
    results: join(root, 'results'),
    bin: join(root, 'bin'),
    fakeDir: join(root, 'fake'),
  };
  for (const d of [workspace, s.home, s.results, s.bin, s.fakeDir, join(root, 'stub-tmp')])
    await mkdir(d, { recursive: true });
  await copyFile(FAKE_CLI, join(s.home, 'keep-me'));
  if (opts.fake) await copyFile(FAKE_CLI, join(s.bin, 'teleport-ci'));
  return s;
}

export interface BuildResult {
  code: number | null;
  /** stdout and stderr together, in order: the build log. */
  log: string;
  ms: number;
}

/** Runs a pipeline snippet in the stand-in runtime. */
export async function runPipeline(
  s: Sandbox,
  pipeline: string,
  opts: {
    env?: Record<string, string | undefined>;
    credentials?: Record<string, string>;
    /** The shell `sh` runs: /bin/sh (dash, as Jenkins) by default. */
    shell?: string;
    /** The library's folder (vars/, resources/): packages/jenkins by default. */
    library?: string;
    /** PATH of the build's `sh` steps, when it differs from the one groovy runs with. */
    agentPath?: string;
    timeoutMs?: number;
  } = {},
): Promise<BuildResult> {
  const file = join(s.root, `pipeline-${Date.now()}-${Math.random().toString(36).slice(2)}.groovy`);
  await writeFile(file, pipeline);
  const env: Record<string, string> = {};
  const base: Record<string, string | undefined> = {
    PATH: [s.bin, dirname(process.execPath), process.env.PATH].join(':'),
    HOME: s.home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    JAVA_HOME: process.env.JAVA_HOME,
    // Short runs: the JVM starts about a third faster without its optimising compiler.
    JAVA_OPTS: process.env.JAVA_OPTS ?? '-XX:TieredStopAtLevel=1',
    JENKINS_URL: 'https://jenkins.example.com/',
    BUILD_TAG: 'jenkins-deploy-42',
    BUILD_NUMBER: '42',
    WORKSPACE: s.workspace,
    WORKSPACE_TMP: s.workspaceTmp,
    RESULTS: s.results,
    FAKE_TELEPORT_CI_DIR: s.fakeDir,
    STUB_TMP: join(s.root, 'stub-tmp'),
    STUB_SH: opts.shell,
    STUB_AGENT_PATH: opts.agentPath,
    STUB_CREDENTIALS: opts.credentials ? JSON.stringify(opts.credentials) : undefined,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;

  const started = Date.now();
  // One stream for stdout and stderr, as Jenkins' build log: lines stay in order.
  const child = spawn(
    'sh',
    ['-c', 'exec groovy "$@" 2>&1', 'sh', STUBS, opts.library ?? LIBRARY, file],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let log = '';
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearTimeout(timeout);
  return { code, log, ms: Date.now() - started };
}

export interface FakeCall {
  args: string[];
  env: Record<string, string>;
  /** For cleanup: what it found in the state file. */
  cleanupSaw?: string;
}

/** The fake CLI's calls, in order. */
export async function fakeCalls(s: Sandbox): Promise<FakeCall[]> {
  const dir = join(s.fakeDir, 'calls');
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => /^\d+$/.test(n))
    .sort();
  const nul = (text: string) => text.split('\0').slice(0, -1);
  return Promise.all(
    names.map(async (n) => {
      const envPairs = nul(await readFile(join(dir, `${n}.env`), 'utf8'));
      const cleanupSaw = await readFile(join(dir, `${n}.cleanup`), 'utf8').catch(() => undefined);
      return {
        args: nul(await readFile(join(dir, n), 'utf8')),
        env: Object.fromEntries(
          envPairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
        ),
        ...(cleanupSaw === undefined ? {} : { cleanupSaw: cleanupSaw.trim() }),
      };
    }),
  );
}

export async function result(s: Sandbox, name: string): Promise<string | undefined> {
  return readFile(join(s.results, name), 'utf8').catch(() => undefined);
}

/** What is left in WORKSPACE_TMP (empty when withTeleport cleaned up). */
export async function leftovers(s: Sandbox): Promise<string[]> {
  return readdir(s.workspaceTmp).catch(() => []);
}

/** The folder withTeleport made, from the `--state-file=<folder>/state.json` it passed. */
export function folderOf(calls: FakeCall[]): string | undefined {
  for (const c of calls) {
    const a = c.args.find((x) => x.startsWith('--state-file='));
    if (a) return dirname(a.slice('--state-file='.length));
  }
  return undefined;
}

/** The step's options, read from its source: kind options with their CLI flag, and its own. */
export async function stepOptions(): Promise<{ flags: Record<string, string>; own: string[] }> {
  const source = await readFile(STEP_SOURCE, 'utf8');
  const flagsBlock = /kindFlags\(\) \{\s*return \[([\s\S]*?)\]/.exec(source)?.[1] ?? '';
  const ownBlock = /ownOptions\(\) \{\s*return \[([^\]]*)\]/.exec(source)?.[1] ?? '';
  return {
    flags: Object.fromEntries(
      [...flagsBlock.matchAll(/(\w+)\s*:\s*'([\w-]+)'/g)].map((m) => [m[1]!, m[2]!]),
    ),
    own: [...ownBlock.matchAll(/'(\w+)'/g)].map((m) => m[1]!),
  };
}
