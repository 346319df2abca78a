import { Document, visit } from 'yaml';
import type { JoinMethod } from '../platform/join-methods';
import { supports } from './features';

/** A destination tbot writes to (teleport-behaviour.md §2.4). */
export type Destination =
  | {
      type: 'directory';
      path: string;
      symlinks?: 'try-secure' | 'secure' | 'insecure';
      /** Users or groups tbot grants read access by ACL, on every file it writes. */
      readers?: Array<{ user: string } | { group: string }>;
    }
  | { type: 'memory' };

interface Scoped {
  destination: Destination;
  /** A subset of the bot's roles; empty or absent means all of them. */
  roles?: string[];
}

/** Output types (teleport-behaviour.md §2.5). */
export type Output =
  | (Scoped & { type: 'identity'; ssh_config?: 'on' | 'off'; allow_reissue?: boolean })
  | (Scoped & { type: 'kubernetes'; kubernetes_cluster: string; disable_exec_plugin?: boolean })
  | {
      type: 'kubernetes/v2';
      destination: Destination;
      selectors: Array<{ name: string } | { labels: Record<string, string> }>;
      disable_exec_plugin?: boolean;
    }
  | (Scoped & { type: 'application'; app_name: string; specific_tls_naming?: boolean })
  | (Scoped & {
      type: 'database';
      service: string;
      database?: string;
      username?: string;
      format?: '' | 'tls' | 'mongo' | 'cockroach';
    });

/** Long-running services; tbot skips them in one-shot mode (teleport-behaviour.md §2.5). */
export type Service =
  | {
      type: 'database-tunnel';
      listen: string;
      service: string;
      database: string;
      username: string;
      roles?: string[];
    }
  | { type: 'application-tunnel'; listen: string; app_name: string; roles?: string[] }
  /**
   * A local HTTP proxy to every application the bot may reach (18.2.3, teleport-behaviour.md §7);
   * it takes no roles or app name.
   */
  | { type: 'application-proxy'; listen: string; roles?: undefined };

export interface BotConfig {
  /** The proxy's `host:port`. */
  proxyServer: string;
  joinMethod: JoinMethod;
  /** The join token's name. */
  token: string;
  caPins?: string[];
  /** `bound_keypair`'s registration secret for the first join (v18, teleport-behaviour.md §2.2). */
  registrationSecret?: string;
  /** Go duration for the credentials (e.g. `1h`). */
  certificateTtl?: string;
  oneshot: boolean;
  /** Where tbot keeps its own identity; memory (nothing on disk) unless a daemon needs it. */
  storage?: Destination;
  diagAddr?: string;
  outputs: Output[];
  services?: Service[];
}

function withoutEmptyRoles<T extends { roles?: string[] }>(item: T): T {
  if (item.roles && item.roles.length > 0) return item;
  const { roles: _roles, ...rest } = item;
  return rest as T;
}

/**
 * The YAML tbot reads: `version: v2`, keys only the given tbot version knows (before 17.2.8 it
 * parses the top level strictly, teleport-behaviour.md §2.1). No `debug: true`: it only enables pprof;
 * debug logs come from `--debug` (teleport-behaviour.md §1.1). `certificate_ttl` works on every version (newer ones warn), so it is
 * preferred over `credential_ttl` (teleport-behaviour.md §2.2). Built as data, never by concatenating text.
 */
export function renderTbotConfig(cfg: BotConfig, tbotVersion: string): string {
  const outputs = cfg.outputs.map((o) => ('roles' in o ? withoutEmptyRoles(o) : o));
  const services = (cfg.services ?? []).map((s) => ('roles' in s ? withoutEmptyRoles(s) : s));
  const doc: Record<string, unknown> = {
    version: 'v2',
    proxy_server: cfg.proxyServer,
    onboarding: {
      join_method: cfg.joinMethod,
      token: cfg.token,
      ...(cfg.caPins && cfg.caPins.length > 0 ? { ca_pins: cfg.caPins } : {}),
      ...(cfg.registrationSecret
        ? { bound_keypair: { registration_secret: cfg.registrationSecret } }
        : {}),
    },
    storage: cfg.storage ?? { type: 'memory' },
    oneshot: cfg.oneshot,
    ...(cfg.certificateTtl ? { certificate_ttl: cfg.certificateTtl } : {}),
    ...(cfg.diagAddr ? { diag_addr: cfg.diagAddr } : {}),
  };
  // v18 merged outputs into services; before it, outputs have their own list.
  if (supports(tbotVersion, 'outputsAsServices')) {
    const all = [...outputs, ...services];
    if (all.length > 0) doc.services = all;
  } else {
    if (outputs.length > 0) doc.outputs = outputs;
    if (services.length > 0) doc.services = services;
  }
  // YAML 1.1 quoting, as tbot's parser reads it: `ssh_config: "off"` stays a string (teleport-behaviour.md §8.5).
  const yaml = new Document(doc, { version: '1.1' });
  // Anything but printable ASCII is double-quoted (go-yaml reads U+0085, U+2028 and U+2029 as
  // line breaks: left plain they would start a new key)...
  visit(yaml, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !PRINTABLE_ASCII.test(node.value))
        node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = yaml.toString({ lineWidth: 0, doubleQuotedAsJSON: true });
  // ...and, since JSON leaves those raw, every character outside printable ASCII is escaped.
  // Only double-quoted values can hold one (keys are ours), where `\u`/`\U` escapes are valid.
  return text.replace(/[^\x20-\x7e\n]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Renders a throw-away configuration. The YAML library's first document costs a few ms of
 * compiling; a step that calls this while it waits on `tbot version` pays them there.
 */
export function warmUpTbotConfig(): void {
  renderTbotConfig(
    {
      proxyServer: 'teleport.example.com:443',
      joinMethod: 'token',
      token: 'warm-up',
      oneshot: true,
      outputs: [{ type: 'identity', destination: { type: 'directory', path: '/nonexistent' } }],
    },
    '0.0.0',
  );
}
