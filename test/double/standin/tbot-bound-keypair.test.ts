// The stand-in tbot (18.6.4) joining with `bound_keypair` (teleport-behaviour.md §2.2, §4.1; README
// "bound_keypair"): a CI agent (Jenkins) whose tbot keeps a storage directory joins once with the
// registration secret and again, build after build, with no secret; the denials a user can hit.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../index';
import { requireSsh } from '../ssh/preflight';
import { ensureLoginUser } from '../ssh/users';
import { cleanEnv, run, writeTbot } from './test-helpers';

const LOGIN = 'ci-bkp';
const SECRET = 'jenkins-first-join-secret';

let work: string;
let double: Double;
let tbot: string;

function token(
  name: string,
  recovery = 'mode: standard',
  onboarding = `registration_secret: ${SECRET}`,
) {
  return `kind: token
version: v2
metadata:
  name: ${name}
spec:
  roles: [Bot]
  join_method: bound_keypair
  bot_name: jenkins
  bound_keypair:
    onboarding:
      ${onboarding}
    recovery:
      ${recovery}
`;
}

beforeAll(async () => {
  await requireSsh();
  work = await mkdtemp(path.join(tmpdir(), 'standin-bkp-'));
  double = await startDouble({ auth: true, cacheDir: path.join(work, 'cache') });
  const auth = double.auth!;
  auth.addRole({ name: 'jenkins-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'jenkins', roles: ['jenkins-ssh'] });
  await ensureLoginUser(LOGIN);
  tbot = await writeTbot(work, '18.6.4');
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
async function config(p: {
  tokenName: string;
  storage: string | 'memory';
  out: string;
  onboardingExtra?: string;
}): Promise<string> {
  const file = path.join(work, `tbot-${++n}.yaml`);
  const storage =
    p.storage === 'memory'
      ? 'storage:\n  type: memory'
      : `storage:\n  type: directory\n  path: ${p.storage}`;
  await writeFile(
    file,
    `version: v2
proxy_server: ${double.proxy.addr}
onboarding:
  join_method: bound_keypair
  token: ${p.tokenName}
${p.onboardingExtra ?? ''}${storage}
oneshot: true
services:
  - type: identity
    destination:
      type: directory
      path: ${p.out}
`,
  );
  return file;
}

const env = (extra: Record<string, string | undefined> = {}) =>
  cleanEnv({ ...double.env, ...extra });

function errorText(stderr: string): string {
  const at = stderr.indexOf('ERROR: ');
  return at < 0 ? '' : stderr.slice(at);
}

describe('bound_keypair, a CI agent with persistent storage', () => {
  it('joins with the secret once, then again with no secret (same storage); real ssh works', async () => {
    const auth = double.auth!;
    auth.addToken(token('jenkins-bkp'));
    const storage = path.join(work, 'jenkins-storage');
    const out1 = path.join(work, 'out-build-1');
    const r1 = await run(
      tbot,
      ['start', '-c', await config({ tokenName: 'jenkins-bkp', storage, out: out1 })],
      {
        env: env({ TBOT_REGISTRATION_SECRET: SECRET }),
      },
    );
    expect(errorText(r1.stderr)).toBe('');
    expect(r1.code).toBe(0);
    const status1 = auth.boundKeypairStatus('jenkins-bkp');
    const pub = (await readFile(path.join(storage, 'bound_keypair.pub'), 'utf8')).trim();
    expect(status1).toMatchObject({
      bound_public_key: pub,
      recovery_count: 1,
      registration_secret: '',
    });
    expect(await readFile(path.join(storage, 'bound_keypair.key'), 'utf8')).toMatch(
      /BEGIN EC PRIVATE KEY/,
    );

    // Build 2: same storage, no secret anywhere. Outputs written again; no recovery consumed.
    const out2 = path.join(work, 'out-build-2');
    const r2 = await run(
      tbot,
      ['start', '-c', await config({ tokenName: 'jenkins-bkp', storage, out: out2 })],
      {
        env: env(),
      },
    );
    expect(errorText(r2.stderr)).toBe('');
    expect(r2.code).toBe(0);
    expect(auth.joins.at(-1)).toMatchObject({
      ok: true,
      bot: 'jenkins',
      joinMethod: 'bound_keypair',
    });
    expect(auth.boundKeypairStatus('jenkins-bkp')).toMatchObject({
      bound_public_key: pub,
      recovery_count: 1,
      bound_bot_instance_id: status1?.bound_bot_instance_id,
    });
    expect(await readFile(path.join(out2, 'identity'), 'utf8')).toContain('BEGIN EC PRIVATE KEY');

    // Real ssh with build 2's ssh_config.
    const before = await readFile(`/home/${LOGIN}/run_log`, 'utf8').catch(() => '');
    const ssh = await run(
      'ssh',
      [
        '-F',
        path.join(out2, 'ssh_config'),
        '-o',
        'BatchMode=yes',
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'StrictHostKeyChecking=yes',
        `${LOGIN}@${auth.node.fqdn}`,
        'echo standin-bkp >> ~/run_log',
      ],
      { env: env(), timeoutMs: 30_000 },
    );
    expect(ssh.stderr).toBe('');
    expect(ssh.code).toBe(0);
    const after = await readFile(`/home/${LOGIN}/run_log`, 'utf8');
    expect(after.slice(before.length)).toBe('standin-bkp\n');

    // Reusing the secret with a fresh storage fails: the secret is single-use, the key is bound,
    // and after the first join Teleport first asks for the previous join state (not insecure).
    const r3 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'jenkins-bkp',
          storage: path.join(work, 'fresh-1'),
          out: path.join(work, 'out-3'),
        }),
      ],
      { env: env({ TBOT_REGISTRATION_SECRET: SECRET }) },
    );
    expect(r3.code).toBe(1);
    expect(errorText(r3.stderr)).toBe(
      'ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\tprevious join state is required but was not provided\n',
    );
    expect(auth.boundKeypairStatus('jenkins-bkp')?.bound_public_key).toBe(pub);
  });

  it('a fresh storage without a secret fails before contacting the cluster', async () => {
    double.auth!.addToken(token('bkp-fresh'));
    const r = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'bkp-fresh',
          storage: path.join(work, 'fresh-2'),
          out: path.join(work, 'out-4'),
        }),
      ],
      { env: env() },
    );
    expect(r.code).toBe(1);
    expect(errorText(r.stderr)).toMatch(
      /^ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\tbound keypair parameters are required: no bound keypair in directory .* storage and no registration secret \(set TBOT_REGISTRATION_SECRET/,
    );
  });

  it('memory storage: the first run joins, a second run without the secret fails', async () => {
    double.auth!.addToken(token('bkp-memory'));
    const r1 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({ tokenName: 'bkp-memory', storage: 'memory', out: path.join(work, 'out-5') }),
      ],
      { env: env({ TBOT_REGISTRATION_SECRET: SECRET }) },
    );
    expect(errorText(r1.stderr)).toBe('');
    const r2 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({ tokenName: 'bkp-memory', storage: 'memory', out: path.join(work, 'out-6') }),
      ],
      { env: env() },
    );
    expect(r2.code).toBe(1);
    expect(errorText(r2.stderr)).toContain(
      'bound keypair parameters are required: no bound keypair in memory storage',
    );
  });

  it('a wrong secret is denied; registration_secret_path and the config value work', async () => {
    const auth = double.auth!;
    auth.addToken(token('bkp-wrong'));
    const r = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'bkp-wrong',
          storage: path.join(work, 's-wrong'),
          out: path.join(work, 'out-7'),
        }),
      ],
      { env: env({ TBOT_REGISTRATION_SECRET: 'nope' }) },
    );
    expect(r.code).toBe(1);
    expect(errorText(r.stderr)).toBe(
      'ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\ta valid registration secret is required\n',
    );

    const secretFile = path.join(work, 'secret.txt');
    await writeFile(secretFile, `${SECRET}\n`);
    const r2 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'bkp-wrong',
          storage: path.join(work, 's-path'),
          out: path.join(work, 'out-8'),
          onboardingExtra: `  bound_keypair:\n    registration_secret_path: ${secretFile}\n`,
        }),
      ],
      { env: env({ TBOT_REGISTRATION_SECRET: 'ignored' }) },
    );
    expect(errorText(r2.stderr)).toBe('');
    expect(r2.stderr).toContain(
      "'registration_secret_path' in tbot's configuration will override the value set in the environment",
    );

    auth.addToken(token('bkp-value'));
    const r3 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'bkp-value',
          storage: path.join(work, 's-value'),
          out: path.join(work, 'out-9'),
          onboardingExtra: `  bound_keypair:\n    registration_secret: ${SECRET}\n`,
        }),
      ],
      { env: env() },
    );
    expect(errorText(r3.stderr)).toBe('');
    expect(r3.code).toBe(0);
  });

  it('an expired identity is a recovery: standard limit 1 refuses it, relaxed allows it', async () => {
    const auth = double.auth!;
    for (const [name, recovery, ok] of [
      ['bkp-standard', 'mode: standard', false],
      ['bkp-relaxed', 'mode: relaxed', true],
    ] as const) {
      auth.addToken(token(name, recovery));
      const storage = path.join(work, `s-${name}`);
      const cfg = await config({ tokenName: name, storage, out: path.join(work, `out-${name}`) });
      const r1 = await run(tbot, ['start', '-c', cfg], {
        env: env({ TBOT_REGISTRATION_SECRET: SECRET }),
      });
      expect(errorText(r1.stderr)).toBe('');
      // The stored bot identity is gone (as if it expired between two builds).
      await rm(path.join(storage, 'tlscert'));
      const r2 = await run(tbot, ['start', '-c', cfg], { env: env() });
      if (ok) {
        expect(errorText(r2.stderr)).toBe('');
        expect(auth.boundKeypairStatus(name)?.recovery_count).toBe(2);
      } else {
        expect(errorText(r2.stderr)).toBe(
          'ERROR: building identity service\n\tinitializing identity service\n\t\tjoining with token\n\t\t\tno rejoins remaining\n',
        );
      }
    }
  });

  it('older versions do not know the join method; 18.6.4 ignores unknown onboarding keys (lax from 17.2.8)', async () => {
    const old = await writeTbot(work, '17.4.2');
    const cfg = await config({
      tokenName: 'x',
      storage: 'memory',
      out: path.join(work, 'out-old'),
    });
    const r = await run(old, ['start', '-c', cfg], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unrecognized join method: "bound_keypair"');

    const r2 = await run(
      tbot,
      [
        'start',
        '-c',
        await config({
          tokenName: 'x',
          storage: 'memory',
          out: path.join(work, 'out-k'),
          onboardingExtra: '  bound_keypair:\n    secret: x\n',
        }),
      ],
      { env: env() },
    );
    expect(r2.code).toBe(1);
    // `secret` is not `registration_secret`: ignored, so the first join has no secret.
    expect(r2.stderr).not.toContain('not found in type');
    expect(r2.stderr).toContain('bound keypair parameters are required');
  });
});
