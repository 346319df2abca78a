import { InputError } from '../errors';
import { listInput, parseBooleanInput, requiredInput, textInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';
import { type ProxyAddress, parseProxyAddress } from '../proxy/address';

/** The inputs every auth action shares, checked before anything runs. */
export interface AuthSettings {
  proxy: ProxyAddress;
  token: string;
  certificateTtl?: string;
  anonymousTelemetry: boolean;
  caPins: string[];
  roles: string[];
  disableEnvVars: boolean;
  cleanup: boolean;
  /** A folder the user named for the credentials (the CLI's `--out`); else a fresh one. */
  out?: string;
  /** Where tbot keeps its own identity between runs (the CLI's `--data-dir`). */
  dataDir?: string;
}

// A Go duration as tbot parses it (`90m`, `1h30m`, `2h`).
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
// The longest a bot's certificates live: 24 h (MaxRenewableCertTTL), 7 days for bots that
// opted in; beyond that tbot warns and the server cuts it, or Go's duration overflows.
const MAX_TTL_MS = 7 * 24 * 3_600_000;

/** Milliseconds in a Go duration that matched GO_DURATION. */
function durationMs(value: string): number {
  let ms = 0;
  for (const [, n, , unit] of value.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    ms += Number(n) * UNIT_MS[unit!]!;
  return ms;
}
const CA_PIN = /^sha256:[0-9a-f]{64}$/;

/** Reads the inputs every auth action shares with the official actions. */
export function readAuthSettings(platform: CiPlatform): AuthSettings {
  const proxy = parseProxyAddress(
    requiredInput(
      platform,
      'proxy',
      "give your proxy's public address, e.g. teleport.example.com:443",
    ),
  );
  const token = requiredInput(
    platform,
    'token',
    'give the name of the join token the bot joins with',
  );
  const ttl = textInput(platform, 'certificate-ttl');
  if (ttl && !GO_DURATION.test(ttl)) {
    throw new InputError(
      'certificate-ttl',
      `'${ttl}' is not a duration: use e.g. 30m, 1h or 2h30m`,
    );
  }
  if (ttl && (durationMs(ttl) < 1000 || durationMs(ttl) > MAX_TTL_MS)) {
    throw new InputError(
      'certificate-ttl',
      `'${ttl}' is out of range: give from 1s to 168h (7 days, the longest Teleport issues a bot), e.g. 1h`,
    );
  }
  const caPins = listInput(platform, 'ca-pins');
  const badPin = caPins.find((p) => !CA_PIN.test(p));
  if (badPin) {
    throw new InputError(
      'ca-pins',
      `'${badPin}' is not a CA pin: use sha256:<64 hex digits>, as 'tctl status' prints`,
    );
  }
  return {
    proxy,
    token,
    certificateTtl: ttl || undefined,
    anonymousTelemetry: parseBooleanInput(platform, 'anonymous-telemetry', false),
    caPins,
    roles: listInput(platform, 'roles'),
    disableEnvVars: parseBooleanInput(platform, 'disable-env-vars', false),
    cleanup: parseBooleanInput(platform, 'cleanup', true),
    out: textInput(platform, 'out') || undefined,
    dataDir: textInput(platform, 'data-dir') || undefined,
  };
}
