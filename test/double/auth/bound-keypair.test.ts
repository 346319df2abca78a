// The `bound_keypair` join method of the auth double, without tbot (README "bound_keypair"):
// token validation, the registration secret (single use), challenge-response with the bound key,
// recovery counting and join state, in Teleport's order (lib/auth/join_bound_keypair.go).
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyPair } from '../standin/tbot/keys';
import type { BoundKeypairJoinParams, JoinResponse } from './protocol';
import { validateToken } from './resources';
import { type AuthService, createAuth } from './service';

let work: string;
let auth: AuthService;
let certKey: KeyPair;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'auth-bkp-'));
  auth = await createAuth({ dir: work, clusterName: 'teleport.example.test' });
  auth.addRole({ name: 'dev', logins: ['dev'] });
  auth.addBot({ name: 'ci', roles: ['dev'] });
  certKey = await generateKeyPair();
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const token = (name: string, bound_keypair: unknown) => ({
  kind: 'token',
  version: 'v2',
  metadata: { name },
  spec: { roles: ['Bot'], join_method: 'bound_keypair', bot_name: 'ci', bound_keypair },
});

function jws(key: KeyPair, document: string): string {
  const h = Buffer.from('{"alg":"ES256"}').toString('base64url');
  const p = Buffer.from(document).toString('base64url');
  const s = sign('sha256', Buffer.from(`${h}.${p}`), {
    key: createPrivateKey(key.privateKeyPem),
    dsaEncoding: 'ieee-p1363',
  });
  return `${h}.${p}.${s.toString('base64url')}`;
}

async function join(
  name: string,
  key: KeyPair,
  extra: Partial<BoundKeypairJoinParams> = {},
  signer: KeyPair = key,
): Promise<JoinResponse> {
  const c = auth.boundKeypairChallenge({ token: name, public_key: key.sshPublicKey });
  return auth.join({
    token: name,
    join_method: 'bound_keypair',
    ssh_public_key: certKey.sshPublicKey,
    tls_public_key: certKey.tlsPublicKeyPem,
    ttl_seconds: 600,
    bound_keypair: {
      challenge_id: c.challenge_id,
      challenge_response: jws(signer, c.challenge),
      public_key: key.sshPublicKey,
      ...extra,
    },
  });
}

describe('bound_keypair token resources', () => {
  it.each([
    [undefined, 'bound_keypair token requires non-nil spec.bound_keypair'],
    [{ onboarding: {} }, 'spec.bound_keypair.recovery: field is required'],
    [{ recovery: { mode: 'lax' } }, 'parsing recovery mode: invalid recovery mode "lax"'],
  ])('%j → %s', (spec, message) => {
    expect(() => validateToken(token('v', spec))).toThrow(message);
  });

  it('generates a registration secret when neither a secret nor a key is given', () => {
    const t = auth.addToken(token('gen', { recovery: {} }));
    expect(t.status?.bound_keypair.registration_secret).toMatch(/^[0-9a-f]{32}$/);
    const given = auth.addToken(
      token('given', { onboarding: { registration_secret: 's3' }, recovery: {} }),
    );
    expect(given.status?.bound_keypair.registration_secret).toBe('s3');
  });
});

describe('bound_keypair joins', () => {
  it('first join with the secret binds the key; later joins need only the signature', async () => {
    auth.addToken(
      token('ci-bkp', { onboarding: { registration_secret: 'sekret' }, recovery: { limit: 1 } }),
    );
    const key = await generateKeyPair();
    await expect(join('ci-bkp', key)).rejects.toThrow('a valid registration secret is required');
    await expect(join('ci-bkp', key, { registration_secret: 'wrong' })).rejects.toThrow(
      'a valid registration secret is required',
    );
    const first = await join('ci-bkp', key, { registration_secret: 'sekret' });
    expect(first.bound_keypair?.bound_public_key).toBe(key.sshPublicKey);
    expect(auth.boundKeypairStatus('ci-bkp')).toMatchObject({
      recovery_count: 1,
      registration_secret: '',
    });

    const again = await join('ci-bkp', key, {
      bot_instance_id: first.bound_keypair?.bot_instance_id,
      join_state: first.bound_keypair?.join_state,
    });
    expect(again.identity.logins).toEqual(['dev']);
    expect(auth.boundKeypairStatus('ci-bkp')?.recovery_count).toBe(1);

    // Join state is required after the first join, and must be the latest one.
    await expect(
      join('ci-bkp', key, { bot_instance_id: first.bound_keypair?.bot_instance_id }),
    ).rejects.toThrow('previous join state is required but was not provided');
    await expect(
      join('ci-bkp', key, {
        bot_instance_id: 'other',
        join_state: again.bound_keypair?.join_state,
      }),
    ).rejects.toThrow('bot instance mismatch');
    await expect(
      join('ci-bkp', key, {
        join_state: 'forged.state',
        bot_instance_id: first.bound_keypair?.bot_instance_id,
      }),
    ).rejects.toThrow('join state verification failed');

    // An unknown key (another keypair) cannot answer the challenge for the bound key.
    const other = await generateKeyPair();
    await expect(
      join('ci-bkp', other, {
        bot_instance_id: first.bound_keypair?.bot_instance_id,
        join_state: again.bound_keypair?.join_state,
      }),
    ).rejects.toThrow(
      'validating challenge response: go-jose/go-jose: error in cryptographic primitive',
    );
    // Hard rejoin (no bot instance): standard mode, limit 1, already used by the first join.
    await expect(
      join('ci-bkp', key, { join_state: again.bound_keypair?.join_state }),
    ).rejects.toThrow('no rejoins remaining');
    expect(auth.joins.at(-1)).toMatchObject({ ok: false, error: 'no rejoins remaining' });
  });

  it('insecure mode: the reused secret meets the bound key, and the signature fails', async () => {
    auth.addToken(
      token('ins', { onboarding: { registration_secret: 'x' }, recovery: { mode: 'insecure' } }),
    );
    await join('ins', await generateKeyPair(), { registration_secret: 'x' });
    await expect(
      join('ins', await generateKeyPair(), { registration_secret: 'x' }),
    ).rejects.toThrow(
      'validating challenge response: go-jose/go-jose: error in cryptographic primitive',
    );
  });

  it('a preregistered initial_public_key joins with no secret; a challenge is single use', async () => {
    const key = await generateKeyPair();
    auth.addToken(
      token('pre', {
        onboarding: { initial_public_key: key.sshPublicKey },
        recovery: { mode: 'relaxed' },
      }),
    );
    const c = auth.boundKeypairChallenge({ token: 'pre', public_key: key.sshPublicKey });
    const req = {
      token: 'pre',
      join_method: 'bound_keypair',
      ssh_public_key: certKey.sshPublicKey,
      tls_public_key: certKey.tlsPublicKeyPem,
      ttl_seconds: 600,
      bound_keypair: {
        challenge_id: c.challenge_id,
        challenge_response: jws(key, c.challenge),
        public_key: key.sshPublicKey,
      },
    };
    const res = await auth.join(req);
    expect(res.bound_keypair?.bound_public_key).toBe(key.sshPublicKey);
    await expect(auth.join(req)).rejects.toThrow('invalid or expired challenge');
    expect(() =>
      auth.boundKeypairChallenge({ token: 'nope', public_key: key.sshPublicKey }),
    ).toThrow('token expired or not found');
  });
});
