// Runs the Teleport double outside a test, e.g. for a CI workflow or by hand:
//   npx tsx test/double/cli.ts [--size small|bench] [--env-file PATH] [--background]
// stdout carries only KEY=value lines (ready for `>> "$GITHUB_ENV"`); the rest goes to stderr.
import { fork } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseArtifactName, type TarballSize } from './artifact';
import { startDouble } from './index';

const USAGE = `usage: tsx test/double/cli.ts [options]
  --size small|bench    tarball size (default small; bench is ~180 MiB, built once and cached)
  --versions A,B,...    versions the CDN publishes (default 16.5.4,17.1.0,17.2.8,17.4.2,18.6.4)
  --dir PATH            where to write the CA (default: a new temporary directory)
  --cache-dir PATH      tarball cache (default <repo>/.tmp/double-cache)
  --prebuild NAME       build this artifact before reporting ready (repeatable)
  --env-file PATH       also append the KEY=value lines to PATH (e.g. "$GITHUB_ENV"). Node 20
                        itself also parses --env-file after the script name: the file must
                        already exist ($GITHUB_ENV does). --write-env PATH has no such catch.
  --background          start detached, wait until ready, print the variables and exit 0;
                        stop it later with: kill "$TELEPORT_DOUBLE_PID"
`;

interface ReadyMessage {
  ready: true;
  env: Record<string, string>;
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    versions: { type: 'string' },
    dir: { type: 'string' },
    'cache-dir': { type: 'string' },
    prebuild: { type: 'string', multiple: true, default: [] },
    'env-file': { type: 'string' },
    'write-env': { type: 'string' },
    background: { type: 'boolean', default: false },
    // Internal: set by --background on the child when the parent made the temporary dir.
    'remove-dir': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function fail(message: string): never {
  process.stderr.write(`ERROR: ${message}\n${USAGE}`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.size !== 'small' && values.size !== 'bench') fail(`--size must be small or bench`);
const size = values.size as TarballSize;
const prebuild = (values.prebuild ?? []).map((name) => {
  const spec = parseArtifactName(name);
  if (!spec)
    fail(`--prebuild ${name} is not a tarball name like teleport-v17.4.2-linux-amd64-bin.tar.gz`);
  return spec;
});

const envLines = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');

async function report(env: Record<string, string>): Promise<void> {
  process.stdout.write(envLines(env));
  for (const file of [values['env-file'], values['write-env']]) {
    if (file) await appendFile(file, envLines(env));
  }
}

/** Foreground: start the double, report, serve until SIGINT/SIGTERM. */
async function serve(): Promise<void> {
  const double = await startDouble({
    dir: values.dir,
    cacheDir: values['cache-dir'],
    size,
    versions: values.versions?.split(',').map((v) => v.trim().replace(/^v/, '')),
  });
  for (const spec of prebuild) {
    process.stderr.write(
      `building ${spec.version} ${spec.edition} ${spec.os}-${spec.arch} (${size})...\n`,
    );
    await double.cdn.tarball(spec);
  }
  const example = double.cdn.artifactUrl({
    version: double.cdn.versions.at(-1) ?? '17.4.2',
    edition: 'oss',
    os: 'linux',
    arch: 'amd64',
  });
  process.stderr.write(
    `Teleport double ready (pid ${process.pid})\n` +
      `  CDN:   ${double.cdn.baseUrl}  ${size} tarballs of ${double.cdn.versions.join(', ')}\n` +
      `         e.g. ${example} (+ .sha256)\n` +
      `  Proxy: ${double.proxy.addr}  ${double.proxy.url}/webapi/find\n` +
      `  CA:    ${double.ca.certPath}\n`,
  );
  const env = {
    ...double.env,
    TELEPORT_DOUBLE_PROXY: double.proxy.addr,
    TELEPORT_DOUBLE_CA: double.ca.certPath,
    TELEPORT_DOUBLE_PID: String(process.pid),
  };
  const stop = async (signal: string) => {
    process.stderr.write(`${signal}: stopping the Teleport double\n`);
    await double.close();
    // A clean stop removes a directory --background made; after a crash it stays, with the log.
    if (values['remove-dir'] && values.dir) await rm(values.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (process.send) {
    // Started by --background: hand the variables to the parent, then live on alone.
    const message: ReadyMessage = { ready: true, env };
    process.send(message, () => process.disconnect());
    process.on('disconnect', () => undefined);
  } else {
    await report(env);
  }
}

/** --background: run `serve` in a detached child that logs to a file; exit once it is ready. */
async function background(): Promise<void> {
  const dir = values.dir ?? (await mkdtemp(path.join(tmpdir(), 'teleport-double-')));
  await mkdir(dir, { recursive: true });
  const logPath = path.join(dir, 'double.log');
  const log = await open(logPath, 'a');
  // The child gets the same settings, minus --background and --env-file (we report here).
  const args = ['--size', size, '--dir', dir];
  if (!values.dir) args.push('--remove-dir');
  if (values.versions) args.push('--versions', values.versions);
  if (values['cache-dir']) args.push('--cache-dir', values['cache-dir']);
  for (const name of values.prebuild ?? []) args.push('--prebuild', name);
  // fork keeps the tsx loader (execArgv) and opens the IPC channel used for "ready".
  const child = fork(fileURLToPath(import.meta.url), args, {
    detached: true,
    stdio: ['ignore', log.fd, log.fd, 'ipc'],
  });
  await log.close();
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the double was not ready after 180 s')),
      180_000,
    );
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as ReadyMessage).env);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the double exited early (code ${code})`));
    });
  }).catch(async (err: Error) => {
    const tail = await readFile(logPath, 'utf8').catch(() => '');
    fail(`${err.message}; log ${logPath}:\n${tail.slice(-4000)}`);
  });
  child.unref();
  child.channel?.unref();
  process.stderr.write(
    `Teleport double running in the background (pid ${child.pid}), log: ${logPath}\n`,
  );
  await report(env);
  process.exit(0);
}

await (values.background ? background() : serve()).catch((err: unknown) => {
  process.stderr.write(`ERROR: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
