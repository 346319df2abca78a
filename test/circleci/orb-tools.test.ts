// The orb's orb-tools pipeline files (packages/circleci/.circleci/config.yml and
// test-deploy.yml): CircleCI's JSON schema accepts both; the workflows publish only after every
// check and test, production only on a v<major>.<minor>.<patch> tag; and the integration jobs
// of test-deploy.yml that need no registry run in the interpreter, with the orb stamped and
// packed as a release and injected as orb-tools/continue does: cimg/base in an image with bash
// and no Node.js (the standalone teleport-ci from a loopback "GitHub release"), Alpine under
// busybox sh with its login shell. The cimg/node job installs the npm package from the
// registry, which only a real CircleCI run shows; the orb-tools jobs run only on CircleCI.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateWrappers } from '../../scripts/gen-wrappers';
import { packOrb } from '../../scripts/pack-orb';
import { type Double, startDouble } from '../double';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type ServedRelease, serveRelease } from '../wrappers/standalone-release';
import {
  type ConfigDef,
  type JobResult,
  type OrbDef,
  repoRoot,
  runConfigJob,
  writeExecutable,
} from './interpreter';
import { circleciValidator, formatErrors } from './schema';

const ciDir = join(repoRoot, 'packages', 'circleci', '.circleci');
const load = async (name: string) =>
  parse(await readFile(join(ciDir, name), 'utf8'), { merge: true }) as ConfigDef & {
    setup?: boolean;
  };
const validate = circleciValidator();
const errorsOf = (doc: unknown) => (validate(doc) ? '' : formatErrors(validate.errors));

type Entry = Record<string, Record<string, unknown>>;
const entries = (config: ConfigDef, workflow: string) =>
  Object.fromEntries(
    (config.workflows?.[workflow]?.jobs ?? []).map((e) => {
      const [name, spec] = Object.entries(e as Entry)[0]!;
      return [name, spec];
    }),
  ) as Record<string, Record<string, unknown>>;

describe('orb-tools pipeline files', () => {
  it.each(['config.yml', 'test-deploy.yml'])(
    'CircleCI schema accepts .circleci/%s',
    async (name) => {
      expect(errorsOf(await load(name))).toBe('');
    },
  );

  it('config.yml: lint, pack, review and shellcheck before the dev publish, then continue', async () => {
    const config = await load('config.yml');
    expect(config.setup).toBe(true);
    const jobs = entries(config, 'lint-pack');
    expect(Object.keys(jobs).sort()).toEqual(
      [
        'orb-tools/continue',
        'orb-tools/lint',
        'orb-tools/pack',
        'orb-tools/publish',
        'orb-tools/review',
        'shellcheck/check',
      ].sort(),
    );
    expect(jobs['orb-tools/publish']?.requires).toEqual([
      'orb-tools/lint',
      'orb-tools/review',
      'orb-tools/pack',
      'shellcheck/check',
    ]);
    expect(jobs['orb-tools/publish']?.orb_name).toBe('teleport-actions/teleport');
    expect(jobs['orb-tools/continue']?.requires).toEqual(['orb-tools/publish']);
  });

  it('test-deploy.yml: production publish after every test, only on v<major>.<minor>.<patch> tags', async () => {
    const config = await load('test-deploy.yml');
    const jobs = entries(config, 'test-deploy');
    const publish = jobs['orb-tools/publish']!;
    expect(publish.pub_type).toBe('production');
    const tests = Object.keys(config.jobs ?? {});
    expect(tests.sort()).toEqual(['tools-in-alpine', 'tools-in-cimg-base', 'tools-in-cimg-node']);
    expect((publish.requires as string[]).sort()).toEqual(['orb-tools/pack', ...tests].sort());
    const filters = publish.filters as { branches: { ignore: string }; tags: { only: string } };
    expect(filters.branches.ignore).toBe('/.*/');
    const tag = new RegExp(filters.tags.only.slice(1, -1));
    expect(['v1.2.3', 'v10.0.12'].every((t) => tag.test(t))).toBe(true);
    expect(['v1.2', '1.2.3', 'v1.2.3-rc.1', 'v1.2.3.4'].some((t) => tag.test(t))).toBe(false);
    const images = tests.map((j) => (config.jobs?.[j]?.docker?.[0]?.image ?? '').split(':')[0]);
    expect(images.sort()).toEqual(['alpine', 'cimg/base', 'cimg/node']);
  });
});

describe('test-deploy.yml integration jobs in the interpreter', () => {
  let double: Double;
  let release: ServedRelease;
  let dir: string;
  let config: ConfigDef;
  let orb: OrbDef;

  beforeAll(async () => {
    double = await startDouble();
    release = await serveRelease(double.ca);
    dir = await mkdtemp(join(tmpdir(), 'orb-tools-'));
    const tree = join(dir, 'tree');
    const src = join(tree, 'packages', 'circleci', 'src');
    await cp(join(repoRoot, 'packages', 'circleci', 'src'), src, { recursive: true });
    await generateWrappers(tree, release.stamp, { fragmentRoot: repoRoot });
    orb = parse(packOrb(src)) as OrbDef;
    config = await load('test-deploy.yml');
    // What orb-tools/continue does: the packed orb inline under its alias.
    config.orbs = { ...config.orbs, teleport: orb };
  }, 600_000);
  afterAll(async () => {
    await Promise.all([double?.close(), release?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const describeJob = (result: JobResult) =>
    result.steps.map((s) => `--- ${s.name} [${s.status} ${s.exitCode}]\n${s.output}`).join('\n');

  async function run(job: string, extra: string[], pathPrepend: string[] = []) {
    const root = join(dir, job);
    const imageBin = await makeShellOnlyPath(join(root, 'image-bin'), {
      shell: 'busybox',
      extra: ['tar', 'gzip', ...extra],
    });
    return runConfigJob(config, orb, {
      job,
      root,
      inherit: [],
      imageBin,
      pathPrepend,
      // orb-tools is CircleCI's; its jobs are not run here.
      registry: { 'circleci/orb-tools': {} },
      env: {
        ...double.env,
        CURL_CA_BUNDLE: double.ca.certPath,
        TELEPORT_DOUBLE_NODE: process.execPath,
      },
    });
  }

  it('tools-in-cimg-base: the standalone teleport-ci installs the tools, without Node.js', async () => {
    // cimg/base has bash (so CircleCI's default shell is bash, which reads $BASH_ENV), no node.
    const result = await run('tools-in-cimg-base', ['bash']);
    if (!result.success) expect.fail(describeJob(result));
    const check = result.steps.at(-1);
    expect(check?.stdout).toMatch(/^Teleport v17\.4\.2 .*\nTeleport v17\.4\.2 /);
  }, 300_000);

  it('tools-in-alpine: steps run under sh, which reads the exports through /etc/profile', async () => {
    const apkDir = join(dir, 'apk-bin');
    await writeExecutable(apkDir, 'apk', '#!/bin/sh\necho "apk (stand-in): $*"\n');
    const result = await run('tools-in-alpine', [], [apkDir]);
    if (!result.success) expect.fail(describeJob(result));
    expect(result.steps.at(-1)?.stdout).toMatch(/^Teleport v17\.4\.2 /);
  }, 300_000);
});
