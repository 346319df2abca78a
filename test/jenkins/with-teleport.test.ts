/**
 * withTeleport's flow, run by groovy in the stand-in Pipeline runtime with a fake teleport-ci:
 * what the CLI is called with, what the block sees, what is gone after it, and that cleanup
 * and the folder's deletion happen however the block ends. Options validation, the order in
 * which teleport-ci is found and the steps' order are JenkinsPipelineUnit's tests
 * (pipeline-unit/); these run the step's real shell scripts with a real /bin/sh.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BuildResult,
  FAKE_CLI,
  fakeCalls,
  folderOf,
  groovyArgs,
  groovyProblem,
  leftovers,
  result,
  runPipeline,
  type Sandbox,
  SKIP_GROOVY,
  sandbox,
} from './harness';

const PROXY = 'teleport.example.com:443';
const BASE = { proxy: PROXY, token: 'jenkins-bot', joinMethod: 'bound_keypair' };
/** The fake's awkward value: quotes, $, backticks, a backslash and a line break. */
const ODD = 'it\'s "odd" $HOME `x` \\n\nsecond line';

/** A block that records what it sees. */
const RECORD_INSIDE = `
  echo "INSIDE identity=\${env.TELEPORT_IDENTITY_FILE}"
  writeFile file: "\${env.RESULTS}/odd-groovy", text: env.TELEPORT_CI_ODD
  sh '''
    printf '%s' "$TELEPORT_CI_ODD" > "$RESULTS/odd"
    printf '%s' "$TELEPORT_IDENTITY_FILE" > "$RESULTS/identity-path"
    cat "$TELEPORT_IDENTITY_FILE" > "$RESULTS/identity"
    command -v tbot > "$RESULTS/tbot" || true
    printf '%s' "\${TBOT_REGISTRATION_SECRET-unset}" > "$RESULTS/secret"
  '''`;

/** After the block: what is still set. */
const RECORD_AFTER = `
sh '''
  printf '%s|%s|%s' "\${TELEPORT_IDENTITY_FILE-unset}" "\${TELEPORT_CI_ODD-unset}" "$(command -v tbot || echo none)" > "$RESULTS/after"
'''
echo "AFTER identity=\${env.TELEPORT_IDENTITY_FILE}"`;

function expectSuccess(b: BuildResult) {
  expect(b.log, b.log).toMatch(/Finished: SUCCESS\s*$/);
  expect(b.code).toBe(0);
}

function expectFailure(b: BuildResult, message: string) {
  expect(b.log, b.log).toContain(`ERROR: ${message}`);
  expect(b.log).toMatch(/Finished: FAILURE\s*$/);
  expect(b.code).toBe(1);
}

/** Cleanup ran last, on the block's state file, and the folder is gone. */
async function expectCleanedUp(s: Sandbox) {
  const calls = await fakeCalls(s);
  const folder = folderOf(calls)!;
  expect(folder).toMatch(/\/teleport-ci\.[A-Za-z0-9]{8}$/);
  expect(calls.at(-1)!.args).toEqual(['cleanup', `--state-file=${folder}/state.json`]);
  expect(existsSync(folder)).toBe(false);
  expect(await leftovers(s)).toEqual([]);
  return { calls, folder };
}

const describeGroovy = SKIP_GROOVY ? describe.skip : describe;

// Each build is its own JVM: run them side by side.
describeGroovy.concurrent('withTeleport with a fake teleport-ci', () => {
  beforeAll(() => {
    const problem = groovyProblem();
    if (problem) throw new Error(problem);
  });

  it('runs setup and the kind, gives the block the variables, and removes them after', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, kind: 'auth-ssh' })}) {${RECORD_INSIDE}
}
${RECORD_AFTER}`,
    );
    expectSuccess(b);
    const { calls, folder } = await expectCleanedUp(s);
    expect(folder.startsWith(`${s.workspaceTmp}/`)).toBe(true);
    expect(calls.map((c) => c.args)).toEqual([
      ['setup', '--version=auto', `--proxy=${PROXY}`, '--print-env'],
      [
        'auth-ssh',
        `--proxy=${PROXY}`,
        '--join-method=bound_keypair',
        `--out=${folder}/out`,
        `--state-file=${folder}/state.json`,
        '--print-env',
      ],
      ['cleanup', `--state-file=${folder}/state.json`],
    ]);
    // The join token reaches the CLI through the environment, never the (traced) command line.
    expect(calls[1]!.env.TELEPORT_BOT_TOKEN).toBe('jenkins-bot');
    expect(b.log).not.toContain('--token');
    // The CLI's scratch files stay in the folder; no tunnel, so Jenkins may reap its processes.
    for (const c of calls) expect(c.env.TMPDIR).toBe(`${folder}/tmp`);
    expect(calls[1]!.env.JENKINS_NODE_COOKIE).toBe('<unset>');
    expect(calls[1]!.env.TBOT_REGISTRATION_SECRET).toBe('<unset>');
    expect(calls[2]!.cleanupSaw).toContain(`"credentials-dir":"${folder}/out"`);

    // Inside: the variables, exactly (quote, line break), and setup's PATH addition.
    expect(await result(s, 'odd')).toBe(ODD);
    expect(await result(s, 'odd-groovy')).toBe(ODD);
    expect(await result(s, 'identity-path')).toBe(`${folder}/out/identity`);
    expect(await result(s, 'identity')).toBe('identity for auth-ssh\n');
    expect(await result(s, 'tbot')).toBe(`${s.fakeDir}/tools/tbot\n`);
    expect(b.log).toContain(`INSIDE identity=${folder}/out/identity`);
    // After: all gone.
    const [id, odd, tbot] = (await result(s, 'after'))!.split('|');
    expect([id, odd]).toEqual(['unset', 'unset']);
    expect(tbot).not.toContain(s.fakeDir);
    expect(b.log).toContain('AFTER identity=null');
    // The CLI's messages reach the build log as they happen.
    expect(b.log).toContain(`Wrote credentials to ${folder}/out`);
  });

  it.each([
    ['error step', "error 'boom'", 'boom'],
    ['failing sh', "sh 'exit 7'", 'script returned exit code 7'],
  ])('cleans up when the block fails (%s)', async (_, failure, message) => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, kind: 'auth' })}) {
  sh 'touch "$RESULTS/body-ran"'
  ${failure}
  sh 'touch "$RESULTS/not-reached"'
}`,
    );
    expectFailure(b, message);
    const { calls } = await expectCleanedUp(s);
    expect(calls.map((c) => c.args[0])).toEqual(['setup', 'auth', 'cleanup']);
    expect(calls[2]!.cleanupSaw).toContain('credentials-dir');
    expect(await result(s, 'body-ran')).toBe('');
    expect(await result(s, 'not-reached')).toBeUndefined();
  });

  it.each([
    ['auth-ssh', ['setup', 'auth-ssh', 'cleanup']],
    ['setup', ['setup', 'cleanup']],
  ])('fails the build with the CLI reason when %s fails, and cleans up', async (failing, seq) => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, kind: 'auth-ssh' })}) {
  sh 'touch "$RESULTS/body-ran"'
}`,
      { env: { FAKE_FAIL: failing } },
    );
    expectFailure(b, `withTeleport: teleport-ci: ${failing}: fake failure of ${failing}`);
    expect(b.log).toContain(`fake: working on ${failing}`);
    const { calls } = await expectCleanedUp(s);
    expect(calls.map((c) => c.args[0])).toEqual(seq);
    expect(await result(s, 'body-ran')).toBeUndefined();
  });

  it('refuses output that is not export lines', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(s, `withTeleport(${groovyArgs(BASE)}) { echo 'BODY' }`, {
      env: { FAKE_NOISE: '1' },
    });
    expectFailure(
      b,
      'withTeleport: unexpected output from teleport-ci: hello from a chatty wrapper',
    );
    expect(b.log).not.toContain('BODY');
    await expectCleanedUp(s);
  });

  it('hands the registration secret to the join only, and never prints it', async () => {
    const s = await sandbox({ fake: true });
    const secret = 'bk-Secret-4f1d9c';
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, registrationSecretCredentialsId: 'teleport-bot-secret' })}) {${RECORD_INSIDE}
}`,
      { credentials: { 'teleport-bot-secret': secret } },
    );
    expectSuccess(b);
    const { calls } = await expectCleanedUp(s);
    expect(calls.map((c) => [c.args[0], c.env.TBOT_REGISTRATION_SECRET])).toEqual([
      ['setup', '<unset>'],
      ['auth', secret],
      ['cleanup', '<unset>'],
    ]);
    expect(await result(s, 'secret')).toBe('unset');
    expect(b.log).not.toContain(secret);
    expect(calls.flatMap((c) => c.args).join(' ')).not.toContain(secret);
  });

  it('fails like Jenkins when the credential does not exist, and cleans up', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, registrationSecretCredentialsId: 'nope' })}) { echo 'BODY' }`,
    );
    expectFailure(b, "Could not find credentials entry with ID 'nope'");
    const { calls } = await expectCleanedUp(s);
    expect(calls.map((c) => c.args[0])).toEqual(['setup', 'cleanup']);
  });

  it('passes tunnel options, lists and numbers, and keeps the tunnel alive past the sh step', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({
        ...BASE,
        kind: 'database-tunnel',
        service: 'orders',
        database: 'orders',
        username: 'ci',
        listen: 'tcp://127.0.0.1:5432',
        roles: ['db-ci', 'reader'],
        caPins: ['sha256:aa', 'sha256:bb'],
        certificateTtl: '30m',
        diagPort: 57264,
        timeoutMs: 10000,
        debug: true,
      })}) { echo 'BODY' }`,
    );
    expectSuccess(b);
    const { calls, folder } = await expectCleanedUp(s);
    expect(calls[0]!.args).toEqual([
      'setup',
      '--version=auto',
      `--proxy=${PROXY}`,
      '--print-env',
      '--debug',
    ]);
    expect(calls[1]!.args).toEqual([
      'database-tunnel',
      `--proxy=${PROXY}`,
      '--join-method=bound_keypair',
      '--roles=db-ci,reader',
      '--certificate-ttl=30m',
      '--ca-pins=sha256:aa,sha256:bb',
      '--service=orders',
      '--database=orders',
      '--username=ci',
      '--listen=tcp://127.0.0.1:5432',
      '--timeout-ms=10000',
      '--diag-port=57264',
      `--out=${folder}/out`,
      `--state-file=${folder}/state.json`,
      '--print-env',
      '--debug',
    ]);
    expect(calls.map((c) => c.env.JENKINS_NODE_COOKIE)).toEqual([
      '<unset>',
      'dontKillMe',
      '<unset>',
    ]);
  });

  it('installs a given version from a mirror, and takes labels as a map', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, kind: 'auth-k8s', version: '17.4.2', cdnBaseUrl: 'https://mirror.example.com/teleport' })},
             kubernetesLabels: [env: 'prod', team: 'payments']) { echo 'BODY' }`,
    );
    expectSuccess(b);
    const { calls } = await expectCleanedUp(s);
    expect(calls[0]!.args).toEqual([
      'setup',
      '--version=17.4.2',
      `--proxy=${PROXY}`,
      '--cdn-base-url=https://mirror.example.com/teleport',
      '--print-env',
    ]);
    expect(calls[1]!.args).toContain('--kubernetes-labels=env=prod,team=payments');
  });

  it("skips setup with version 'none' and runs the CLI cliPath names", async () => {
    const s = await sandbox(); // no teleport-ci on PATH
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs({ ...BASE, version: 'none', cliPath: FAKE_CLI })}) {${RECORD_INSIDE}
}`,
    );
    expectSuccess(b);
    const { calls } = await expectCleanedUp(s);
    expect(calls.map((c) => c.args[0])).toEqual(['auth', 'cleanup']);
    expect(await result(s, 'identity')).toBe('identity for auth\n');
  });

  it('uses pwd(tmp: true) when WORKSPACE_TMP is not set', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(s, `withTeleport(${groovyArgs(BASE)}) { echo 'BODY' }`, {
      env: { WORKSPACE_TMP: undefined },
    });
    expectSuccess(b);
    const { folder } = await expectCleanedUp(s);
    expect(folder.startsWith(`${s.workspace}@tmp/teleport-ci.`)).toBe(true);
  });

  it('fails the build when cleanup fails after a good block, still deleting the folder', async () => {
    const s = await sandbox({ fake: true });
    const ok = await runPipeline(s, `withTeleport(${groovyArgs(BASE)}) { echo 'BODY' }`, {
      env: { FAKE_FAIL_CLEANUP: '1' },
    });
    expectFailure(
      ok,
      'withTeleport: teleport-ci cleanup failed (script returned exit code 1); the credentials folder was deleted',
    );
    await expectCleanedUp(s);

    // A failing block's own error wins; the cleanup failure is only reported.
    const s2 = await sandbox({ fake: true });
    const bad = await runPipeline(s2, `withTeleport(${groovyArgs(BASE)}) { error 'boom' }`, {
      env: { FAKE_FAIL_CLEANUP: '1' },
    });
    expectFailure(bad, 'boom');
    expect(bad.log).toContain('withTeleport: teleport-ci cleanup failed');
    await expectCleanedUp(s2);
  });

  it('nests: the inner block adds to and then restores the outer one', async () => {
    const s = await sandbox({ fake: true });
    const b = await runPipeline(
      s,
      `withTeleport(${groovyArgs(BASE)}) {
  def outer = env.TELEPORT_IDENTITY_FILE
  withTeleport(${groovyArgs({ ...BASE, kind: 'auth-k8s', kubernetesCluster: 'prod', version: 'none' })}) {
    writeFile file: "\${env.RESULTS}/inner", text: env.TELEPORT_IDENTITY_FILE
  }
  writeFile file: "\${env.RESULTS}/outer", text: outer
  writeFile file: "\${env.RESULTS}/outer-after", text: env.TELEPORT_IDENTITY_FILE
}`,
    );
    expectSuccess(b);
    const calls = await fakeCalls(s);
    expect(calls.map((c) => c.args[0])).toEqual([
      'setup',
      'auth',
      'auth-k8s',
      'cleanup',
      'cleanup',
    ]);
    const outer = (await result(s, 'outer'))!;
    const inner = (await result(s, 'inner'))!;
    expect(inner).not.toBe(outer);
    expect(await result(s, 'outer-after')).toBe(outer);
    expect(calls[3]!.args[1]).toBe(`--state-file=${join(inner, '../..')}/state.json`);
    expect(await leftovers(s)).toEqual([]);
  });
});
