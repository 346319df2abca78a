/**
 * `npm run bench` (`-- --quick` for a smoke run of a few runs a row, `-- --only=startup,auth` for
 * some groups of rows): the paths users wait for,
 * each row against a floor measured in the same run, pair by pair (see README "Speed").
 *
 * Cold setup: a ~180 MB tarball from the double's CDN on loopback into empty caches, against
 * `curl -s URL | node <zlib gunzip to nothing>` of the same file (the least a Node.js install
 * can do: fetch and inflate). Warm setup, `teleport-ci --help`, the standalone executable's
 * `--help` and each action's start-up to its first input error: against `node -e 0` of the
 * Node.js they run on. Auth overhead: the `auth` step minus its tbot runs, in ms. GitLab
 * wrapper: everything a job runs beyond the download and tbot, against `node -e 0`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { repoRoot } from '../../scripts/repo-root';
import { startDouble } from '../double';
import { runAction } from '../runner';
import { nodeForRuntime } from '../runner/node-runtimes';
import { standaloneCli } from '../wrappers/standalone-release';
import { addBenchBot, authOverhead } from './auth-overhead';
import { gitlabOverheadRows } from './gitlab-overhead';
import { paired, type Row, shell, table, timeCommand } from './measure';

const QUICK = process.argv.includes('--quick');
// `--only=startup,auth` runs those groups of rows alone: cold, warm, auth, startup, cli, gitlab.
const GROUPS = ['cold', 'warm', 'auth', 'startup', 'cli', 'gitlab'] as const;
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const unknown = only?.filter((g) => !(GROUPS as readonly string[]).includes(g)) ?? [];
if (unknown.length > 0) {
  throw new Error(`--only: unknown ${unknown.join(', ')}: choose from ${GROUPS.join(', ')}`);
}
const runs = (group: (typeof GROUPS)[number]) => !only || only.includes(group);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? (QUICK ? 1 : 3));
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? (QUICK ? 3 : 10));
const VERSION = '17.4.2';

/** The Node.js an action's `runs.using` names. */
function actionNode(action: string): string {
  const yml = readFileSync(join(repoRoot, 'packages', action, 'action.yml'), 'utf8');
  const using = /^\s+using:\s*['"]?(node\d+)/m.exec(yml)?.[1];
  if (!using) throw new Error(`packages/${action}/action.yml names no node runtime`);
  return nodeForRuntime(using);
}

const scratch = await mkdtemp(join(tmpdir(), 'bench-'));
let n = 0;
const fresh = () => mkdtemp(join(scratch, `${n++}-`));

console.log('Preparing the benchmark tarball and the standalone teleport-ci (cached in .tmp/) ...');
const cli = runs('cli') || runs('gitlab') ? await standaloneCli() : undefined;
const double = await startDouble({ size: 'bench', auth: true, proxy: { serverVersion: VERSION } });
addBenchBot(double);
const rows: Row[] = [];
try {
  const tarball = await double.cdn.tarball({
    version: VERSION,
    edition: 'oss',
    os: 'linux',
    arch: 'amd64',
    size: 'bench',
  });
  const url = `${double.cdn.baseUrl}/teleport-v${VERSION}-linux-amd64-bin.tar.gz`;
  const ca = double.ca.certPath;
  const setupNode = actionNode('setup');
  const node20 = process.execPath;
  const nodeFloor = (node: string, label: string) => ({
    name: label,
    run: () => timeCommand({ argv: [node, '-e', '0'] }),
  });
  console.log(`Tarball: ${(tarball.bytes / 1e6).toFixed(1)} MB compressed, at ${url}`);

  // Cold setup, against fetch + inflate in Node.js (what the action itself runs on).
  const gunzipToNothing = `process.stdin.pipe(require('zlib').createGunzip()).resume()`;
  const coldFloor = {
    name: '`curl -s URL \\| node` zlib gunzip',
    run: () =>
      timeCommand(
        shell(`curl -s --cacert '${ca}' '${url}' | '${setupNode}' -e "${gunzipToNothing}"`),
      ),
  };
  const coldSetup = (inputs: Record<string, string>) => async () => {
    const workDir = await fresh();
    const job = await runAction('packages/setup', inputs, { repoRoot, workDir, env: double.env });
    if (job.status !== 'success') throw new Error(`cold setup failed:\n${job.log}`);
    await rm(workDir, { recursive: true, force: true });
    return job.steps[0]!.durationMs;
  };
  if (runs('cold')) {
    console.log('cold setup ...');
    rows.push(
      await paired(
        'cold `setup`, `binaries: tbot`',
        COLD_RUNS,
        coldSetup({ version: VERSION, binaries: 'tbot' }),
        coldFloor,
        '<= 1.05x',
      ),
      await paired(
        'cold `setup`, default tool set',
        COLD_RUNS,
        coldSetup({ version: VERSION }),
        coldFloor,
        '<= 1.15x',
      ),
    );
  }
  if (runs('cold') && !QUICK) {
    rows.push(
      await paired(
        'reference: `curl -s URL \\| gzip -dc`',
        COLD_RUNS,
        () => timeCommand(shell(`curl -s --cacert '${ca}' '${url}' | gzip -dc >/dev/null`)),
        coldFloor,
        '',
      ),
      await paired(
        "reference: download, `tar -xzf` all, copy (the official action's way)",
        COLD_RUNS,
        async () => {
          const dir = await fresh();
          const ms = await timeCommand(
            shell(
              `cd '${dir}' && curl -s --cacert '${ca}' -o t.tgz '${url}' && mkdir x && tar -xzf t.tgz -C x --strip-components=1 && cp -r x cache`,
            ),
          );
          await rm(dir, { recursive: true, force: true });
          return ms;
        },
        coldFloor,
        '',
      ),
    );
  }

  // Warm setup: a tool-cache hit, the action's whole run (its tool cache serves the auth rows).
  console.log('warm setup ...');
  const warmDir = await fresh();
  const toolCache = join(warmDir, 'toolcache');
  await runAction(
    'packages/setup',
    { version: VERSION },
    { repoRoot, workDir: warmDir, env: double.env },
  );
  if (runs('warm')) {
    rows.push(
      await paired(
        'warm `setup` (tool-cache hit)',
        WARM_RUNS,
        async () => {
          const job = await runAction(
            'packages/setup',
            { version: VERSION },
            { repoRoot, toolCache, env: double.env },
          );
          if (job.steps[0]!.outputs['cache-hit'] !== 'true')
            throw new Error('warm run missed the tool cache');
          return job.steps[0]!.durationMs;
        },
        nodeFloor(setupNode, 'Node.js 24 `-e 0`'),
        '<= 150 ms',
      ),
    );
  }

  if (runs('auth')) {
    console.log('auth overhead ...');
    rows.push(
      await authOverhead(double, {
        repoRoot,
        toolCache,
        scratch: await fresh(),
        runs: WARM_RUNS,
        version: VERSION,
      }),
    );
  }

  // Action start-up: process start to the first input error (no inputs given).
  if (runs('startup')) console.log('action start-up ...');
  const startupEnv = { ...process.env, GITHUB_OUTPUT: join(await fresh(), 'out') };
  for (const action of !runs('startup')
    ? []
    : [
        'auth',
        'auth-ssh',
        'auth-k8s',
        'auth-app',
        'database-tunnel',
        'application-tunnel',
        'setup',
      ]) {
    const node = actionNode(action);
    const main = join(repoRoot, 'packages', action, 'dist', 'main.mjs');
    rows.push(
      await paired(
        `\`${action}\`: start to first input error`,
        WARM_RUNS,
        () => timeCommand({ argv: [node, main], env: startupEnv, okCodes: [1] }),
        nodeFloor(node, 'Node.js 24 `-e 0`'),
        '<= 1.30x',
      ),
    );
  }

  if (cli && runs('cli')) {
    console.log('teleport-ci ...');
    const cliBundle = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
    rows.push(
      await paired(
        '`teleport-ci --help` (npm package)',
        WARM_RUNS,
        () => timeCommand({ argv: [node20, cliBundle, '--help'] }),
        nodeFloor(node20, `Node.js ${process.versions.node.split('.')[0]} \`-e 0\``),
        '<= 1.30x',
      ),
      await paired(
        '`teleport-ci --help` (standalone executable)',
        WARM_RUNS,
        () => timeCommand({ argv: [cli.path, '--help'] }),
        nodeFloor(setupNode, 'Node.js 24 `-e 0`'),
        '',
      ),
    );
  }

  if (cli && runs('gitlab')) {
    console.log('GitLab wrapper ...');
    rows.push(
      ...(await gitlabOverheadRows({
        repoRoot,
        scratch: await fresh(),
        cli,
        env: double.env,
        proxy: double.proxy.addr,
        version: VERSION,
        runs: WARM_RUNS,
        floor: nodeFloor(setupNode, 'Node.js 24 `-e 0`'),
      })),
    );
  }

  console.log(
    `\n${QUICK ? 'Quick run' : 'Run'} on ${availableParallelism()} cores; each row's runs alternate with its floor's:\n`,
  );
  console.log(table(rows));
  if (cli) {
    const raw = (await stat(cli.path)).size;
    const gzipped = (await promisify(gzip)(await readFile(cli.path))).length;
    console.log(
      `\nStandalone teleport-ci (linux-amd64) download: ${(raw / 1e6).toFixed(1)} MB raw, ${(gzipped / 1e6).toFixed(1)} MB gzipped.`,
    );
  }
} finally {
  await double.close();
  await rm(scratch, { recursive: true, force: true });
}
