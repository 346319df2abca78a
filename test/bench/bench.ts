/**
 * `npm run bench`: install speed of `setup` against floors measured in the same run.
 *
 * Cold: a ~180 MB tarball from the double's CDN on loopback into an empty tool cache, against
 * `curl -s URL | gzip -dc >/dev/null` of the same file (the least any install must do: fetch
 * and decompress). For reference, the official action's way (download to disk, extract
 * everything, copy into the cache) is timed too. Warm: a tool-cache hit, the action's whole
 * run, against `node -e 0`. CLI: `teleport-ci --help` against `node -e 0`. Action start-up:
 * each bundle to its first input error on Node.js 24, against Node.js 24's `-e 0`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/repo-root';
import { startDouble } from '../double';
import { runAction } from '../runner';
import { nodeForRuntime } from '../runner/node-runtimes';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 10);

async function timeShell(script: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`)),
    );
  });
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scratchDirs: string[] = [];
console.log('Preparing the benchmark tarball (built once, then cached in .tmp/) ...');
const double = await startDouble({ size: 'bench', proxy: { serverVersion: '17.4.2' } });
try {
  const spec = {
    version: '17.4.2',
    edition: 'oss',
    os: 'linux',
    arch: 'amd64',
    size: 'bench',
  } as const;
  const tarball = await double.cdn.tarball(spec);
  const url = `${double.cdn.baseUrl}/teleport-v17.4.2-linux-amd64-bin.tar.gz`;
  const ca = double.ca.certPath;
  console.log(`Tarball: ${(tarball.bytes / 1e6).toFixed(1)} MB compressed, served from ${url}\n`);

  const floor: number[] = [];
  const official: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    floor.push(await timeShell(`curl -s --cacert '${ca}' '${url}' | gzip -dc >/dev/null`));
    const scratch = await mkdtemp(join(tmpdir(), 'bench-official-'));
    official.push(
      await timeShell(
        `cd '${scratch}' && curl -s --cacert '${ca}' -o t.tgz '${url}' && mkdir x && tar -xzf t.tgz -C x --strip-components=1 && cp -r x cache`,
      ),
    );
    await rm(scratch, { recursive: true, force: true });
    const workDir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
    scratchDirs.push(workDir);
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2' },
      { repoRoot, workDir, env: double.env },
    );
    if (job.status !== 'success') throw new Error(`cold setup failed:\n${job.log}`);
    cold.push(job.steps[0]!.durationMs);
    await rm(workDir, { recursive: true, force: true });
  }

  const warmDir = await mkdtemp(join(tmpdir(), 'bench-warm-'));
  scratchDirs.push(warmDir);
  const nodeFloor: number[] = [];
  const warm: number[] = [];
  await runAction(
    'packages/setup',
    { version: '17.4.2' },
    { repoRoot, workDir: warmDir, env: double.env },
  );
  for (let i = 0; i < WARM_RUNS; i++) {
    nodeFloor.push(await timeShell(`'${process.execPath}' -e 0`));
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2' },
      { repoRoot, toolCache: join(warmDir, 'toolcache'), env: double.env },
    );
    if (job.steps[0]!.outputs['cache-hit'] !== 'true')
      throw new Error('warm run missed the tool cache');
    warm.push(job.steps[0]!.durationMs);
  }

  // CLI start-up: `teleport-ci --help` against bare `node -e 0`, interleaved.
  const cliPath = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
  const cliFloor: number[] = [];
  const cliHelp: number[] = [];
  for (let i = 0; i < WARM_RUNS * 2; i++) {
    cliFloor.push(await timeShell(`'${process.execPath}' -e 0`));
    cliHelp.push(await timeShell(`'${process.execPath}' '${cliPath}' --help >/dev/null`));
  }

  // Action start-up: from process start to the first input error (no inputs given), each
  // action's committed bundle on the Node.js GitHub runs it on, against that Node's `-e 0`.
  const node24 = nodeForRuntime('node24');
  const startupDir = await mkdtemp(join(tmpdir(), 'bench-startup-'));
  scratchDirs.push(startupDir);
  const startupEnv = { ...process.env, GITHUB_OUTPUT: join(startupDir, 'out') };
  const actions = ['auth', 'auth-ssh', 'auth-k8s', 'auth-app', 'database-tunnel', 'setup'];
  const startupFloor: number[] = [];
  const startup = new Map<string, number[]>(actions.map((a) => [a, []]));
  for (let i = 0; i < WARM_RUNS; i++) {
    startupFloor.push(await timeShell(`'${node24}' -e 0`));
    for (const action of actions) {
      const main = join(repoRoot, 'packages', action, 'dist', 'main.mjs');
      startup
        .get(action)!
        .push(await timeShell(`'${node24}' '${main}' >/dev/null || true`, startupEnv));
    }
  }

  const row = (name: string, ms: number, floorMs: number, target: string) =>
    `| ${name.padEnd(38)} | ${(ms / 1000).toFixed(2).padStart(7)} s | ${(ms / floorMs).toFixed(2).padStart(5)}x | ${target.padEnd(14)} |`;
  const f = median(floor);
  const nf = median(nodeFloor);
  console.log(`\nMedians of ${COLD_RUNS} cold and ${WARM_RUNS} warm runs:\n`);
  console.log('| measure                                |    time |  ratio | target         |');
  console.log('| -------------------------------------- | ------- | ------ | -------------- |');
  console.log(row('floor: curl | gzip -dc', f, f, ''));
  console.log(row('cold setup (download, verify, install)', median(cold), f, '<= 1.20x floor'));
  console.log(row('official-style: download, extract, copy', median(official), f, 'reference'));
  console.log(row('floor: node -e 0', nf, nf, ''));
  console.log(row('warm setup (tool-cache hit)', median(warm), nf, '< 150 ms'));
  console.log(row('floor: node -e 0 (CLI run)', median(cliFloor), median(cliFloor), ''));
  console.log(
    row('teleport-ci --help (start-up)', median(cliHelp), median(cliFloor), '<= 1.30x floor'),
  );
  const sf = median(startupFloor);
  console.log(row('floor: node24 -e 0 (action start-up)', sf, sf, ''));
  for (const [action, times] of startup) {
    console.log(row(`${action}: start to first input error`, median(times), sf, '<= 1.30x floor'));
  }
  console.log(
    `\nwarm setup: ${median(warm).toFixed(0)} ms of action time (node -e 0: ${nf.toFixed(0)} ms)`,
  );
} finally {
  await double.close();
  await Promise.all(scratchDirs.map((d) => rm(d, { recursive: true, force: true })));
}
