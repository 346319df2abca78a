/**
 * withTeleport with the real CLI bundle (packages/cli/dist/teleport-ci.cjs), for what works
 * without a cluster: the CLI's own refusals become the build's error message, setup against an
 * unreachable proxy or mirror fails cleanly, and cleanup still runs.
 */
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BuildResult,
  CLI_BUNDLE,
  groovyArgs,
  groovyProblem,
  leftovers,
  runPipeline,
  type Sandbox,
  SKIP_GROOVY,
  sandbox,
} from './harness';

const KINDS = [
  'auth',
  'auth-ssh',
  'auth-k8s',
  'auth-app',
  'auth-application',
  'database-tunnel',
  'application-tunnel',
] as const;
const CLI = CLI_BUNDLE;
const BASE = { proxy: 'teleport.example.com:443', token: 'jenkins-bot', cliPath: CLI };

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  await new Promise((res) => server.close(res));
  return port;
}

/** The build's last error and that cleanup ran with the real CLI and the folder is gone. */
async function expectFailedCleanly(s: Sandbox, b: BuildResult, message: string) {
  expect(b.log, b.log).toContain(`ERROR: ${message}`);
  expect(b.log).toMatch(/Finished: FAILURE\s*$/);
  expect(b.code).toBe(1);
  expect(b.log).not.toContain('BODY RAN');
  expect(b.log).toMatch(
    /teleport-ci\.cjs cleanup --state-file=\S+\/state\.json\nNothing to clean up\./,
  );
  expect(await leftovers(s)).toEqual([]);
}

const describeGroovy = SKIP_GROOVY ? describe.skip : describe;

describeGroovy.concurrent('withTeleport with the real teleport-ci bundle', () => {
  beforeAll(() => {
    const problem = groovyProblem();
    if (problem) throw new Error(problem);
  });

  it('surfaces the CLI error when joinMethod is unset on Jenkins, for every kind', async () => {
    const s = await sandbox();
    const attempts = KINDS.slice(0, -1)
      .map(
        (kind) => `
try {
  withTeleport(${groovyArgs({ ...BASE, kind, version: 'none' })}) { echo 'BODY RAN' }
} catch (hudson.AbortException e) {
  echo "RESULT ${kind}: \${e.message}"
}`,
      )
      .join('');
    const last = KINDS.at(-1)!;
    const b = await runPipeline(
      s,
      `${attempts}
withTeleport(${groovyArgs({ ...BASE, kind: last, version: 'none' })}) { echo 'BODY RAN' }`,
    );
    const reason =
      '--join-method is required on jenkins (no CI ID token to use): e.g. --join-method bound_keypair';
    for (const kind of KINDS.slice(0, -1)) {
      expect(b.log, b.log).toContain(
        `RESULT ${kind}: withTeleport: teleport-ci: ${kind}: ${reason}`,
      );
    }
    await expectFailedCleanly(s, b, `withTeleport: teleport-ci: ${last}: ${reason}`);
  });

  it('surfaces the CLI refusing a join method it does not know, and a flag the kind lacks', async () => {
    const s = await sandbox();
    const b = await runPipeline(
      s,
      `try {
  withTeleport(${groovyArgs({ ...BASE, joinMethod: 'generic_oidc', version: 'none' })}) { echo 'BODY RAN' }
} catch (hudson.AbortException e) {
  echo "RESULT generic_oidc: \${e.message}"
}
withTeleport(${groovyArgs({ ...BASE, joinMethod: 'bound_keypair', kind: 'auth-ssh', app: 'grafana', version: 'none' })}) { echo 'BODY RAN' }`,
    );
    expect(b.log, b.log).toContain(
      "RESULT generic_oidc: withTeleport: teleport-ci: auth: --join-method: 'generic_oidc' is not one of github, gitlab, circleci, bitbucket, azure_devops, bound_keypair, token",
    );
    await expectFailedCleanly(
      s,
      b,
      "withTeleport: teleport-ci: auth-ssh: unknown flag '--app': see 'teleport-ci auth-ssh --help'",
    );
  });

  it('says tbot is missing when setup is skipped on an agent without it', async () => {
    const s = await sandbox();
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, joinMethod: 'bound_keypair', version: 'none' })}) { echo 'BODY RAN' }`,
      { env: { PATH: `/usr/bin:/bin` } },
    );
    await expectFailedCleanly(s, b, 'withTeleport: teleport-ci: auth: tbot was not found on PATH');
  });

  it("fails cleanly when setup's proxy is unreachable", async () => {
    const s = await sandbox();
    const port = await closedPort();
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, proxy: `127.0.0.1:${port}`, joinMethod: 'bound_keypair' })}) { echo 'BODY RAN' }`,
      { env: { XDG_CACHE_HOME: `${s.root}/cache` } },
    );
    await expectFailedCleanly(
      s,
      b,
      `withTeleport: teleport-ci: setup: Could not reach proxy 127.0.0.1:${port}: connection refused`,
    );
    // The CLI's retries were shown live, before the error.
    expect(b.log.indexOf('retrying')).toBeLessThan(b.log.indexOf('ERROR:'));
    expect(b.ms).toBeLessThan(40_000);
  });

  it('fails cleanly when the download mirror is unreachable', async () => {
    const s = await sandbox();
    const port = await closedPort();
    // No proxy: with one, setup asks it for the edition first.
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ token: 'jenkins-bot', cliPath: CLI, joinMethod: 'bound_keypair', version: '17.4.2', cdnBaseUrl: `http://127.0.0.1:${port}` })}) { echo 'BODY RAN' }`,
      { env: { XDG_CACHE_HOME: `${s.root}/cache` } },
    );
    await expectFailedCleanly(
      s,
      b,
      `withTeleport: teleport-ci: setup: Could not fetch the checksum http://127.0.0.1:${port}/teleport-v17.4.2-`,
    );
    expect(b.log).toMatch(/ERROR: .*\.tar\.gz\.sha256: connection refused\n/);
  });
});
