// The bot identity service: join with the configured token (teleport-behaviour.md §4.1, §4.2) or reuse an
// identity stored by an earlier run, keep it in `storage` (teleport-behaviour.md §3, "bot-internal
// artifacts"), and join again to renew (delegated joins are not renewable: lib/auth/join.go).
import { createHash, X509Certificate } from 'node:crypto';
import {
  type CertAuthorities,
  JOIN_PATH,
  type JoinRequest,
  type JoinResponse,
} from '../../../auth/protocol';
import type { BuildInfo, Features } from '../build';
import type { BotConfig } from '../config/types';
import { TbotError, wrap } from '../errors';
import { generateKeyPair, type KeyPair } from '../keys';
import { log } from '../log';
import { type ClientCert, type Endpoint, requestJson } from '../net/client';
import type { Writer } from '../outputs/destination';
import { artifactFiles } from '../outputs/templates';
import { BKP_FILES, type BoundKeypairClient, prepareBoundKeypairJoin } from './bound-keypair';
import { idTokenFor, tokenValue } from './token-sources';

export interface BotIdentity {
  key: KeyPair;
  sshCert: string;
  tlsCert: string;
  expires: Date;
  botName: string;
  username: string;
  roles: string[];
  cas: CertAuthorities;
}

export function clientCert(id: { key: KeyPair; tlsCert: string }): ClientCert {
  return { keyPem: id.key.privateKeyPem, certPem: id.tlsCert };
}

/** Seconds from a Go-duration nanosecond count. */
export const seconds = (ns: number) => Math.max(1, Math.round(ns / 1e9));

async function storeIdentity(storage: Writer, id: BotIdentity, token: string): Promise<void> {
  const files: Record<string, string> = {
    ...artifactFiles({ key: id.key, sshCert: id.sshCert, tlsCert: id.tlsCert, cas: id.cas }),
    // CA blobs joined with `$` (teleport-behaviour.md §3).
    sshcacerts: id.cas.ssh_host
      .map((k) => `@cert-authority *.${id.cas.cluster_name} ${k}`)
      .join('$'),
    tlscacerts: [id.cas.tls_host, id.cas.tls_user].join('$'),
    tokenhash: createHash('sha256').update(token).digest('hex'),
  };
  for (const [name, data] of Object.entries(files)) await storage.write(name, data);
}

/** An identity a previous run left in directory storage, if it is still valid. */
async function loadStored(storage: Writer): Promise<BotIdentity | undefined> {
  if (!storage.dir) return undefined;
  const [keyPem, sshCert, tlsCert, tlsCas, sshCas] = await Promise.all(
    ['key', 'key-cert.pub', 'tlscert', 'tlscacerts', 'sshcacerts'].map((n) => storage.read(n)),
  );
  if (!keyPem || !sshCert || !tlsCert || !tlsCas || !sshCas) return undefined;
  const cert = new X509Certificate(tlsCert);
  const expires = new Date(cert.validTo);
  if (expires.getTime() <= Date.now()) return undefined;
  const [tlsHost = '', tlsUser = ''] = tlsCas.toString().split('$');
  const cluster = /O=([^\n,]+)/.exec(cert.issuer)?.[1] ?? '';
  const username = /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? '';
  return {
    key: {
      privateKeyPem: keyPem.toString(),
      sshPublicKey: ((await storage.read('key.pub')) ?? '').toString().trim(),
      tlsPublicKeyPem: cert.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    sshCert: sshCert.toString().trim(),
    tlsCert: tlsCert.toString(),
    expires,
    botName: username.replace(/^bot-/, ''),
    username,
    roles: [...cert.subject.matchAll(/O=([^\n]+)/g)].map((m) => m[1] ?? ''),
    cas: {
      cluster_name: cluster,
      tls_host: tlsHost,
      tls_user: tlsUser,
      tls_db: '',
      ssh_user: [],
      ssh_host: sshCas
        .toString()
        .split('$')
        .map((l) => l.split(' ').slice(2).join(' ')),
    },
  };
}

export class BotIdentityService {
  identity?: BotIdentity;

  constructor(
    private readonly cfg: BotConfig,
    private readonly build: BuildInfo,
    private readonly f: Features,
    private readonly ep: Endpoint,
    private readonly storage: Writer,
  ) {}

  /** Initialize (lib/tbot/service_bot_identity.go): join, or load a stored identity. */
  async init(): Promise<BotIdentity> {
    await this.storage.init();
    if (this.cfg.onboarding.token) return this.join();
    const stored = await loadStored(this.storage);
    if (stored) {
      log.info('TBOT:IDENTITY', 'Loaded existing bot identity from store', {
        identity: stored.username,
      });
      this.identity = stored;
      return stored;
    }
    throw new TbotError('no existing identity found on disk or join token configured');
  }

  /** A fresh identity: join again (github, gitlab and circleci identities are not renewable). */
  async renew(): Promise<BotIdentity> {
    if (!this.cfg.onboarding.token) {
      throw new TbotError(
        'the stored bot identity cannot be renewed without a join token (renewal of token-joined bots is not implemented by the double)',
      );
    }
    return this.join();
  }

  /**
   * `bound_keypair`: the bot instance of the identity in memory or storage while it is still
   * valid (Teleport reads it from the client certificate); an expired or missing identity means
   * a recovery (a new bot instance, counted against `recovery.limit`).
   */
  private async liveBotInstance(): Promise<string | undefined> {
    const current = this.identity ?? (await loadStored(this.storage));
    if (!current || current.expires.getTime() <= Date.now()) return undefined;
    const stored = (await this.storage.read(BKP_FILES.botInstance))?.toString().trim();
    return stored || undefined;
  }

  private async join(): Promise<BotIdentity> {
    const token = await tokenValue(this.cfg.onboarding.token ?? '');
    log.info('TBOT:IDENTITY', 'Fetching bot identity using token', {
      join_method: this.cfg.onboarding.join_method,
    });
    const key = await generateKeyPair();
    let res: JoinResponse;
    let bkp: BoundKeypairClient | undefined;
    try {
      const method = this.cfg.onboarding.join_method ?? '';
      if (method === 'bound_keypair') {
        bkp = await prepareBoundKeypairJoin({
          cfg: this.cfg,
          storage: this.storage,
          ep: this.ep,
          token,
          botInstanceId: await this.liveBotInstance(),
          readsSecretEnv: this.f.registrationSecretEnv,
        });
      }
      const idToken = bkp ? undefined : await idTokenFor(this.cfg, this.f);
      const req: JoinRequest = {
        token,
        join_method: method,
        ...(idToken ? { id_token: idToken } : {}),
        ...(bkp ? { bound_keypair: bkp.params } : {}),
        ssh_public_key: key.sshPublicKey,
        tls_public_key: key.tlsPublicKeyPem,
        ttl_seconds: seconds(this.cfg.credential_ttl ?? 3600e9),
        tbot_version: this.build.version,
      };
      res = await requestJson<JoinResponse>(this.ep, 'POST', JOIN_PATH, req);
    } catch (err) {
      const wrapped = wrap(err, 'joining with token');
      // v18's identity service adds its own layers above (teleport-behaviour.md §2.3).
      if (this.f.identityServiceWrappers) {
        wrapped.wrap('initializing identity service').wrap('building identity service');
      }
      throw wrapped;
    }
    if (bkp) await bkp.commit(res);
    const id: BotIdentity = {
      key,
      sshCert: res.identity.ssh_cert,
      tlsCert: res.identity.tls_cert,
      expires: new Date(res.identity.expires),
      botName: res.bot_name,
      username: res.username,
      roles: res.identity.roles,
      cas: res.cas,
    };
    await storeIdentity(this.storage, id, token);
    log.info('TBOT:IDENTITY', 'Fetched new bot identity', {
      identity: id.username,
      roles: id.roles.join(','),
      expires: id.expires.toISOString(),
    });
    this.identity = id;
    return id;
  }
}
