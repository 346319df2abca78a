// What this stand-in was built as (baked in by the tarball builder) and what that version can
// do. The version matrix is the double's choice where the facts are unverified: see
// standin/README.md "Version matrix" (teleport-behaviour.md §1.3, §2.2, §2.5, §3, §5.4, §7).

export interface BuildInfo {
  /** Release version without `v`, e.g. `17.4.2`. */
  version: string;
  edition: 'oss' | 'enterprise' | 'fips';
  /** The exact `tbot version` line (teleport-behaviour.md §1.4). */
  versionLine: string;
}

export interface Features {
  major: number;
  /** `tbot start <kind>` / `tbot configure <kind>` (teleport-behaviour.md §1.3, §7: 17.0). */
  startSubcommands: boolean;
  /** identity output `allow_reissue` and `--allow-reissue` (teleport-behaviour.md §7: 16.5.0 on v16, #52115;
   * 17.2.8 on v17, #52116). */
  allowReissue: boolean;
  /** `kubernetes/v2` output (teleport-behaviour.md §7: 17.2.7, #52830; 17.2.0/17.2.1 reject it). */
  kubernetesV2: boolean;
  /** `credential_ttl` (top level and per service) and per-service `renewal_interval`
   * (teleport-behaviour.md §7: 17.2.8, #52185). */
  credentialTtl: boolean;
  /** Unknown top-level (and `onboarding`) keys ignored: `BotConfig.UnmarshalYAML` from 17.2.8
   * (teleport-behaviour.md §2.1, lib/tbot/config/config.go@v17.2.8); strict before. */
  laxTopLevel: boolean;
  /** Config errors wrapped `validating merged bot config`: v16's `FromCLIConf` only; v17's
   * `LoadConfigWithMutators` (lib/tbot/cli/cli.go) wraps nothing (teleport-behaviour.md §2.3). */
  validatingMergedWrapper: boolean;
  /** v18's identity service puts `building identity service` / `initializing identity service`
   * above `joining with token` (teleport-behaviour.md §2.3). */
  identityServiceWrappers: boolean;
  /** Service `name` (teleport-behaviour.md §2.5: v18). */
  serviceNames: boolean;
  /** `application-proxy` service (teleport-behaviour.md §7: 18.2.3, #59587). */
  applicationProxy: boolean;
  /** `/readyz` on the diagnostics address (teleport-behaviour.md §5.4, unverified; the double: 17.0). */
  readyz: boolean;
  /** `/wait`, `/wait/{service}` and `tbot wait` (teleport-behaviour.md §5.4, §7: 18.x). */
  wait: boolean;
  /** Both auth_server and proxy_server set is an error (teleport-behaviour.md §2.3: v15-v17). */
  rejectBothAddresses: boolean;
  /** Per-cluster `<cluster>.ssh_config` / `<cluster>.known_hosts` (teleport-behaviour.md §3: v18). */
  perClusterSshFiles: boolean;
  /** `onboarding.gitlab.token_env_var_name` and the quoted "missing" message (teleport-behaviour.md §4.1,
   * §7: 17.4.6, #54187). */
  gitlabTokenEnvVarName: boolean;
  /** `bound_keypair` joining and `onboarding.bound_keypair` (teleport-behaviour.md §2.2, §7: 18.0.0, #55380). */
  boundKeypair: boolean;
  /** `TBOT_REGISTRATION_SECRET` read for a first bound_keypair join (teleport-behaviour.md §7: 18.2.10, #59620). */
  registrationSecretEnv: boolean;
  /** The legacy `tbot proxy ... ssh` ProxyCommand via TBOT_SSH_CONFIG_PROXY_COMMAND_MODE=legacy
   * (teleport-behaviour.md §3: v16 only). */
  legacySshProxyMode: boolean;
  /** Join methods the client accepts (teleport-behaviour.md §2.2 SupportedJoinMethods). */
  joinMethods: string[];
}

function parse(version: string): [number, number, number] {
  const [a = '0', b = '0', c = '0'] = version.split('-')[0]?.split('.') ?? [];
  return [Number(a), Number(b), Number(c)];
}

/** `version >= min`, comparing major.minor.patch. */
export function atLeast(version: string, min: string): boolean {
  const v = parse(version);
  const m = parse(min);
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) !== (m[i] ?? 0)) return (v[i] ?? 0) > (m[i] ?? 0);
  }
  return true;
}

const JOIN_METHODS_16 = [
  'azure',
  'circleci',
  'gcp',
  'github',
  'gitlab',
  'iam',
  'kubernetes',
  'spacelift',
  'token',
  'tpm',
  'terraform_cloud',
];

/**
 * Whether `version` has a feature whose first release on each line is `since` (oldest line
 * first): a listed line from its release on, a newer major from its start, an older one never.
 */
export function onLine(version: string, since: readonly string[]): boolean {
  const major = parse(version)[0];
  const first = since.find((v) => parse(v)[0] === major);
  if (first) return atLeast(version, first);
  return major > parse(since.at(-1) ?? '0.0.0')[0];
}

export function featuresOf(version: string): Features {
  const major = parse(version)[0];
  const joinMethods = [...JOIN_METHODS_16];
  if (atLeast(version, '17.0.0')) joinMethods.push('bitbucket');
  if (atLeast(version, '17.5.1')) joinMethods.push('azure_devops');
  if (atLeast(version, '18.0.0')) joinMethods.push('bound_keypair');
  return {
    major,
    startSubcommands: major >= 17,
    allowReissue: onLine(version, ['16.5.0', '17.2.8']),
    kubernetesV2: atLeast(version, '17.2.7'),
    credentialTtl: atLeast(version, '17.2.8'),
    laxTopLevel: atLeast(version, '17.2.8'),
    validatingMergedWrapper: major < 17,
    identityServiceWrappers: major >= 18,
    serviceNames: major >= 18,
    applicationProxy: atLeast(version, '18.2.3'),
    readyz: major >= 17,
    wait: major >= 18,
    rejectBothAddresses: major < 18,
    perClusterSshFiles: major >= 18,
    gitlabTokenEnvVarName: atLeast(version, '17.4.6'),
    boundKeypair: atLeast(version, '18.0.0'),
    registrationSecretEnv: atLeast(version, '18.2.10'),
    legacySshProxyMode: major === 16,
    joinMethods: joinMethods.sort(),
  };
}
