import { InputError } from '../errors';
import { parseBooleanInput } from '../inputs';
import { type ProxyAddress, parseProxyAddress } from '../install/proxy-address';
import type { CiPlatform } from '../platform/platform';

export interface SharedAuthInputs {
  proxy: ProxyAddress;
  token: string;
  certificateTtl?: string;
  anonymousTelemetry: boolean;
  caPins: string[];
  roles: string[];
  disableEnvVars: boolean;
  cleanup: boolean;
}

/** A list input: items separated by commas, spaces or new lines. */
export function listInput(platform: CiPlatform, name: string): string[] {
  return platform
    .getInput(name)
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function requiredInput(platform: CiPlatform, name: string, example: string): string {
  const value = platform.getInput(name);
  if (!value) throw new InputError(name, `is required: ${example}`);
  return value;
}

// A Go duration as tbot parses it (`90m`, `1h30m`, `2h`).
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const CA_PIN = /^sha256:[0-9a-f]{64}$/;

/** The inputs every auth action shares with the official actions, checked up front. */
export function readSharedAuthInputs(platform: CiPlatform): SharedAuthInputs {
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
  const ttl = platform.getInput('certificate-ttl');
  if (ttl && !GO_DURATION.test(ttl)) {
    throw new InputError(
      'certificate-ttl',
      `'${ttl}' is not a duration: use e.g. 30m, 1h or 2h30m`,
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
  };
}
