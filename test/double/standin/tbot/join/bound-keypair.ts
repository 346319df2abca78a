// The client side of `bound_keypair` joining (v18; lib/tbot onboarding `BoundKeypairOnboardingConfig`,
// teleport-behaviour.md §2.2, §4.1): the registration secret (registration_secret_path, then
// registration_secret, then TBOT_REGISTRATION_SECRET), a keypair kept in `storage` (generated on
// the first join, reused after), and the signed challenge. See ../../README.md "bound_keypair".
import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  BOUND_KEYPAIR_CHALLENGE_PATH,
  type BoundKeypairChallengeResponse,
  type BoundKeypairJoinParams,
  type JoinResponse,
} from '../../../auth/protocol';
import type { BotConfig } from '../config/types';
import { TbotError } from '../errors';
import { generateKeyPair, type KeyPair } from '../keys';
import { log } from '../log';
import { type Endpoint, requestJson } from '../net/client';
import type { Writer } from '../outputs/destination';

/** lib/tbot onboarding registrationSecretEnv. */
export const REGISTRATION_SECRET_ENV = 'TBOT_REGISTRATION_SECRET';

/** Storage files of the bound keypair client state (*choice*: names of the double). */
export const BKP_FILES = {
  privateKey: 'bound_keypair.key',
  publicKey: 'bound_keypair.pub',
  joinState: 'bound_keypair.join_state',
  botInstance: 'bound_keypair.bot_instance_id',
} as const;

/**
 * BoundKeypairOnboardingConfig.RegistrationSecret: path, then value, then the environment (the
 * environment only from 18.2.10, teleport-behaviour.md §7, #59620: `readEnv` false before).
 */
export async function registrationSecret(
  cfg: BotConfig,
  env: NodeJS.ProcessEnv = process.env,
  readEnv = true,
): Promise<string> {
  const bk = cfg.onboarding.bound_keypair ?? {};
  if (bk.registration_secret && bk.registration_secret_path) {
    throw new TbotError(
      "only one of 'registration_secret' and 'registration_secret_path' may be set",
    );
  }
  const fromEnv = readEnv ? env[REGISTRATION_SECRET_ENV] : undefined;
  if (bk.registration_secret_path) {
    if (fromEnv !== undefined) {
      log.warn(
        'TBOT:IDENTITY',
        "'registration_secret_path' in tbot's configuration will override the value set in the environment",
        { env: REGISTRATION_SECRET_ENV, path: bk.registration_secret_path },
      );
    }
    try {
      return (await readFile(bk.registration_secret_path, 'utf8')).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new TbotError(
        code === 'ENOENT'
          ? `open ${bk.registration_secret_path}: no such file or directory`
          : `open ${bk.registration_secret_path}: ${(err as Error).message}`,
      );
    }
  }
  if (bk.registration_secret) {
    if (fromEnv !== undefined) {
      log.warn(
        'TBOT:IDENTITY',
        "'registration_secret' in tbot's configuration will override the value set in the environment",
        { env: REGISTRATION_SECRET_ENV },
      );
    }
    return bk.registration_secret;
  }
  return fromEnv ?? '';
}

/** The keypair a previous join left in storage, if any. */
async function loadKeypair(storage: Writer): Promise<KeyPair | undefined> {
  const [priv, pub] = await Promise.all([
    storage.read(BKP_FILES.privateKey),
    storage.read(BKP_FILES.publicKey),
  ]);
  if (!priv || !pub) return undefined;
  return {
    privateKeyPem: priv.toString(),
    sshPublicKey: pub.toString().trim(),
    tlsPublicKeyPem: '',
  };
}

/** A compact JWS (ES256) whose payload is the challenge document. */
function signChallenge(key: KeyPair, document: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(document).toString('base64url');
  const sig = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: createPrivateKey(key.privateKeyPem),
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${sig.toString('base64url')}`;
}

export interface BoundKeypairClient {
  /** The join request's `bound_keypair` (a fresh challenge, signed). */
  params: BoundKeypairJoinParams;
  /** Writes the client state after a successful join. */
  commit(res: JoinResponse): Promise<void>;
}

/**
 * Prepares a bound keypair join: the stored keypair (or a new one, which needs a registration
 * secret), the challenge from the proxy, its signature, and the state of the previous join.
 * `botInstanceId`: the bot instance of a still valid stored identity (a rejoin that consumes no
 * recovery); undefined when the identity expired or there is none.
 */
export async function prepareBoundKeypairJoin(p: {
  cfg: BotConfig;
  storage: Writer;
  ep: Endpoint;
  token: string;
  botInstanceId?: string;
  /** Whether this release reads TBOT_REGISTRATION_SECRET (18.2.10). */
  readsSecretEnv: boolean;
}): Promise<BoundKeypairClient> {
  if (p.cfg.onboarding.bound_keypair?.static_private_key_path) {
    throw new TbotError(
      'static_private_key_path (bound keypair static keys) is not implemented by this Teleport double stand-in',
    );
  }
  const secret = await registrationSecret(p.cfg, process.env, p.readsSecretEnv);
  const stored = await loadKeypair(p.storage);
  if (!stored && !secret) {
    // Real tbot reaches join.Register without BoundKeypairParams in this case (teleport-behaviour.md §4.1).
    throw new TbotError(
      `bound keypair parameters are required: no bound keypair in ${p.storage.description} storage and no registration secret (set ${p.readsSecretEnv ? `${REGISTRATION_SECRET_ENV}, ` : ''}onboarding.bound_keypair.registration_secret or registration_secret_path for the first join, and keep the storage directory for later joins)`,
    );
  }
  const key = stored ?? (await generateKeyPair());
  if (!stored) {
    log.info('TBOT:IDENTITY', 'Generated a new bound keypair for the first join', {
      public_key: key.sshPublicKey,
    });
  }
  const joinState = (await p.storage.read(BKP_FILES.joinState))?.toString().trim();
  const challenge = await requestJson<BoundKeypairChallengeResponse>(
    p.ep,
    'POST',
    BOUND_KEYPAIR_CHALLENGE_PATH,
    { token: p.token, public_key: key.sshPublicKey },
  );
  log.debug('TBOT:IDENTITY', 'Solving bound keypair challenge', {
    public_key: challenge.public_key,
  });
  const params: BoundKeypairJoinParams = {
    challenge_id: challenge.challenge_id,
    challenge_response: signChallenge(key, challenge.challenge),
    public_key: key.sshPublicKey,
    // Only the first join of a keypair presents the secret (Teleport ignores it later).
    ...(!stored && secret ? { registration_secret: secret } : {}),
    ...(p.botInstanceId ? { bot_instance_id: p.botInstanceId } : {}),
    ...(joinState ? { join_state: joinState } : {}),
  };
  return {
    params,
    async commit(res) {
      const bk = res.bound_keypair;
      if (!bk) throw new TbotError('the join response carries no bound keypair state');
      await p.storage.write(BKP_FILES.privateKey, key.privateKeyPem);
      await p.storage.write(BKP_FILES.publicKey, `${key.sshPublicKey}\n`);
      await p.storage.write(BKP_FILES.joinState, bk.join_state);
      await p.storage.write(BKP_FILES.botInstance, bk.bot_instance_id);
    },
  };
}
