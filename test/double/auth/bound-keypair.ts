// The `bound_keypair` join method (lib/auth/join_bound_keypair.go, lib/boundkeypair): challenges
// signed with the bot's own keypair, the token's server-owned status (registration secret, bound
// key, bot instance, recovery count) and join state. Simplified but honest, see README.md
// "bound_keypair". Pure logic: service.ts calls it, routes.ts carries the challenge request.
import {
  createHash,
  createHmac,
  createPublicKey,
  type KeyObject,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { BoundKeypairChallengeResponse, BoundKeypairJoinParams } from './protocol';
import {
  type BoundKeypairStatus,
  type RecoveryMode,
  TeleportError,
  type TokenResource,
} from './resources';

/** lib/boundkeypair challengeExpiration. */
export const CHALLENGE_TTL_MS = 60_000;
/** Default `recovery.limit` when the token leaves it out (*choice*: the docs' examples use 1). */
export const DEFAULT_RECOVERY_LIMIT = 1;

const denied = (m: string) => new TeleportError('access-denied', m);
const bad = (m: string) => new TeleportError('bad-parameter', m);

function sshString(buf: Buffer, at: number): { value: Buffer; next: number } {
  if (at + 4 > buf.length) throw new Error('short buffer');
  const len = buf.readUInt32BE(at);
  if (at + 4 + len > buf.length) throw new Error('short buffer');
  return { value: buf.subarray(at + 4, at + 4 + len), next: at + 4 + len };
}

/** An `ecdsa-sha2-nistp256` / `ssh-ed25519` authorized_keys line as a KeyObject. */
export function publicKeyOfSsh(line: string): KeyObject {
  const [type, b64] = line.trim().split(/\s+/);
  try {
    const blob = Buffer.from(b64 ?? '', 'base64');
    const t = sshString(blob, 0);
    if (type === 'ecdsa-sha2-nistp256' && t.value.toString() === type) {
      const curve = sshString(blob, t.next);
      const point = sshString(blob, curve.next).value;
      if (point[0] !== 4 || point.length !== 65) throw new Error('bad point');
      return createPublicKey({
        key: {
          kty: 'EC',
          crv: 'P-256',
          x: point.subarray(1, 33).toString('base64url'),
          y: point.subarray(33).toString('base64url'),
        },
        format: 'jwk',
      });
    }
    if (type === 'ssh-ed25519' && t.value.toString() === type) {
      const x = sshString(blob, t.next).value;
      return createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') },
        format: 'jwk',
      });
    }
  } catch {
    // fall through
  }
  throw bad(`parsing bound public key: ssh: unsupported or malformed public key "${type ?? ''}"`); // paraphrase
}

const sameKey = (a: string, b: string) =>
  a.trim().split(/\s+/).slice(0, 2).join(' ') === b.trim().split(/\s+/).slice(0, 2).join(' ');

interface Challenge {
  token: string;
  publicKey: string;
  document: string;
  nonce: string;
  expires: number;
}

interface JoinState {
  token: string;
  bot_instance_id: string;
  recovery_sequence: number;
  recovery_limit: number;
  recovery_mode: string;
}

export interface BoundKeypairOutcome {
  botInstanceId: string;
  boundPublicKey: string;
  joinState: string;
}

/** Token status and challenges of every `bound_keypair` token of one auth. */
export class BoundKeypairJoins {
  private readonly statuses = new Map<string, BoundKeypairStatus>();
  private readonly challenges = new Map<string, Challenge>();
  private readonly joinStateKey = randomBytes(32);

  constructor(private readonly clusterName: string) {}

  /**
   * populateRegistrationSecret: on create, a token without initial_public_key gets its
   * registration secret in status (the spec's, or a generated one). Re-adding a token keeps
   * the server-owned status (an update never resets the bound key).
   */
  register(token: TokenResource): BoundKeypairStatus {
    const name = token.metadata.name;
    const spec = token.spec.bound_keypair ?? {};
    const status = this.statuses.get(name) ?? { recovery_count: 0 };
    const initialKey = spec.onboarding?.initial_public_key;
    if (initialKey) publicKeyOfSsh(initialKey);
    if (!status.bound_public_key && !initialKey && !status.registration_secret) {
      status.registration_secret =
        spec.onboarding?.registration_secret || randomBytes(16).toString('hex');
    }
    this.statuses.set(name, status);
    return { ...status };
  }

  forget(name: string): void {
    this.statuses.delete(name);
  }

  status(name: string): BoundKeypairStatus | undefined {
    const s = this.statuses.get(name);
    return s ? { ...s } : undefined;
  }

  /** Step 1: a challenge for the key the server trusts (or will bind) for this token. */
  challenge(token: TokenResource, clientKey: string): BoundKeypairChallengeResponse {
    const status = this.statuses.get(token.metadata.name) ?? { recovery_count: 0 };
    const publicKey =
      status.bound_public_key ||
      token.spec.bound_keypair?.onboarding?.initial_public_key ||
      clientKey;
    publicKeyOfSsh(publicKey);
    const now = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const document = JSON.stringify({
      iss: this.clusterName,
      sub: keyId(publicKey),
      aud: [this.clusterName],
      exp: now + CHALLENGE_TTL_MS / 1000,
      nbf: now - 10,
      iat: now,
      nonce,
    });
    const id = randomUUID();
    for (const [k, c] of this.challenges) if (c.expires < Date.now()) this.challenges.delete(k);
    this.challenges.set(id, {
      token: token.metadata.name,
      publicKey,
      document,
      nonce,
      expires: Date.now() + CHALLENGE_TTL_MS,
    });
    return { challenge_id: id, public_key: publicKey, challenge: document };
  }

  /** ChallengeValidator.ValidateChallengeResponse against the challenged key. */
  private validate(c: Challenge, response: string, wantKey: string): void {
    const wrapped = (m: string) => denied(`validating challenge response: ${m}`);
    if (!sameKey(c.publicKey, wantKey)) {
      // The client signed a challenge for another key than the one Teleport trusts.
      throw wrapped('go-jose/go-jose: error in cryptographic primitive');
    }
    const parts = response.split('.');
    if (parts.length !== 3) {
      throw wrapped(
        'parsing signed response: go-jose/go-jose: compact JWS format must have three parts',
      );
    }
    const [h = '', p = '', sig = ''] = parts;
    const key = publicKeyOfSsh(wantKey);
    const ok = verify(
      key.asymmetricKeyType === 'ed25519' ? null : 'sha256',
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(sig, 'base64url'),
    );
    if (!ok) throw wrapped('go-jose/go-jose: error in cryptographic primitive');
    let doc: { nonce?: string; iat?: number; exp?: number; nbf?: number };
    try {
      doc = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      throw wrapped('invalid challenge document');
    }
    const issued = JSON.parse(c.document) as typeof doc;
    if (doc.iat !== issued.iat || doc.exp !== issued.exp || doc.nbf !== issued.nbf) {
      throw denied('validating challenge response: invalid challenge document');
    }
    if (doc.nonce !== c.nonce) throw denied('validating challenge response: invalid nonce');
  }

  private issueJoinState(name: string, status: BoundKeypairStatus, limit: number, mode: string) {
    const state: JoinState = {
      token: name,
      bot_instance_id: status.bound_bot_instance_id ?? '',
      recovery_sequence: status.recovery_count,
      recovery_limit: limit,
      recovery_mode: mode,
    };
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    const mac = createHmac('sha256', this.joinStateKey).update(body).digest('base64url');
    return `${body}.${mac}`;
  }

  private verifyJoinState(name: string, status: BoundKeypairStatus, text: string): JoinState {
    const [body = '', mac = ''] = text.split('.');
    const want = createHmac('sha256', this.joinStateKey).update(body).digest();
    const got = Buffer.from(mac, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      throw denied('join state verification failed');
    }
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JoinState;
    if (
      state.token !== name ||
      state.recovery_sequence !== status.recovery_count ||
      state.bot_instance_id !== (status.bound_bot_instance_id ?? '')
    ) {
      throw denied('join state verification failed');
    }
    return state;
  }

  /**
   * RegisterUsingBoundKeypairMethod's decision, in Teleport's order. Returns what the join
   * response carries; the status changes only once `issue` (the certificates) succeeded.
   */
  async join(
    token: TokenResource,
    params: BoundKeypairJoinParams | undefined,
    issue: () => Promise<void>,
  ): Promise<BoundKeypairOutcome> {
    const name = token.metadata.name;
    if (!params) {
      throw bad('bound keypair joining requires a signed challenge (bound_keypair parameters)'); // paraphrase
    }
    const c = this.challenges.get(params.challenge_id);
    this.challenges.delete(params.challenge_id);
    if (!c || c.token !== name || c.expires < Date.now()) {
      throw denied('validating challenge response: invalid or expired challenge'); // paraphrase
    }
    const spec = token.spec.bound_keypair ?? {};
    const mode: RecoveryMode = spec.recovery?.mode || 'standard';
    const limit = spec.recovery?.limit ?? DEFAULT_RECOVERY_LIMIT;
    const status = this.statuses.get(name) ?? { recovery_count: 0 };
    const hasBoundKey = Boolean(status.bound_public_key);
    const hasBoundInstance = Boolean(status.bound_bot_instance_id);
    const incomingInstance = params.bot_instance_id ?? '';
    const joinsRemaining = status.recovery_count < limit;

    if (status.recovery_count > 0 && mode !== 'insecure') {
      if (!params.join_state) {
        throw denied('previous join state is required but was not provided');
      }
      this.verifyJoinState(name, status, params.join_state);
    }

    let boundKey = status.bound_public_key ?? '';
    let newInstance = false;
    let clearSecret = false;
    if (!hasBoundKey && !incomingInstance) {
      // Initial join: consumes a recovery.
      if (mode === 'standard' && !joinsRemaining) {
        throw denied('no recovery attempts remaining');
      }
      const initialKey = spec.onboarding?.initial_public_key;
      if (initialKey) {
        this.validate(c, params.challenge_response, initialKey);
        boundKey = initialKey;
      } else if (status.registration_secret) {
        const secret = params.registration_secret ?? '';
        const expired =
          spec.onboarding?.must_register_before !== undefined &&
          Date.now() > Date.parse(spec.onboarding.must_register_before);
        const a = Buffer.from(secret);
        const b = Buffer.from(status.registration_secret);
        if (!secret || expired || a.length !== b.length || !timingSafeEqual(a, b)) {
          throw denied('a valid registration secret is required');
        }
        // The secret proves the right to bind; the signature proves the key is held.
        this.validate(c, params.challenge_response, params.public_key);
        boundKey = params.public_key;
        clearSecret = true;
      } else {
        throw bad('either an initial public key or registration secret is required');
      }
      newInstance = true;
    } else if (!hasBoundKey && incomingInstance) {
      throw bad('cannot perform first bound keypair join with existing credentials');
    } else if (!hasBoundInstance) {
      throw bad('bad backend state, please recreate the join token');
    } else if (incomingInstance) {
      // Standard rejoin with a still valid identity: consumes nothing.
      if (incomingInstance !== status.bound_bot_instance_id) throw denied('bot instance mismatch');
      this.validate(c, params.challenge_response, boundKey);
    } else {
      // Hard rejoin (the identity expired or is gone): consumes a recovery.
      if (mode === 'standard' && !joinsRemaining) throw denied('no rejoins remaining');
      this.validate(c, params.challenge_response, boundKey);
      newInstance = true;
    }

    await issue();

    status.bound_public_key = boundKey;
    if (clearSecret) status.registration_secret = '';
    if (newInstance) {
      status.recovery_count += 1;
      status.last_recovered_at = new Date().toISOString();
      status.bound_bot_instance_id = randomUUID();
    }
    this.statuses.set(name, status);
    return {
      botInstanceId: status.bound_bot_instance_id ?? '',
      boundPublicKey: boundKey,
      joinState: this.issueJoinState(name, status, limit, mode),
    };
  }
}

/** A short key id for the challenge's `sub` (Teleport uses jwt.KeyID of the key). */
function keyId(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return createHash('sha256').update(blob).digest('base64url');
}
