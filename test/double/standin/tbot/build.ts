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
  /** identity output `allow_reissue` and `--allow-reissue` (teleport-behaviour.md §7: 17.2.8). */
  allowReissue: boolean;
  /** `kubernetes/v2` output (teleport-behaviour.md §7: partway through 17; the double: 17.2.0). */
  kubernetesV2: boolean;
  /** `credential_ttl` (top level and per service) and per-service `renewal_interval`
   * (teleport-behaviour.md §7: Feb 2025, release unverified; the double: 17.3.0). */
  credentialTtl: boolean;
  /** Service `name` (teleport-behaviour.md §2.5: v18). */
  serviceNames: boolean;
  /** `application-proxy` service (teleport-behaviour.md §7: 18.x). */
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
   * "newer"; the double: 18.0). */
  gitlabTokenEnvVarName: boolean;
  /** `bound_keypair` joining and `onboarding.bound_keypair` (teleport-behaviour.md §2.2: v18). */
  boundKeypair: boolean;
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

export function featuresOf(version: string): Features {
  const major = parse(version)[0];
  const joinMethods = [...JOIN_METHODS_16];
  if (atLeast(version, '17.0.0')) joinMethods.push('bitbucket');
  if (atLeast(version, '17.3.0')) joinMethods.push('azure_devops');
  if (atLeast(version, '18.0.0')) joinMethods.push('bound_keypair');
  return {
    major,
    startSubcommands: major >= 17,
    allowReissue: atLeast(version, '17.2.8'),
    kubernetesV2: atLeast(version, '17.2.0'),
    credentialTtl: atLeast(version, '17.3.0'),
    serviceNames: major >= 18,
    applicationProxy: major >= 18,
    readyz: major >= 17,
    wait: major >= 18,
    rejectBothAddresses: major < 18,
    perClusterSshFiles: major >= 18,
    gitlabTokenEnvVarName: major >= 18,
    boundKeypair: atLeast(version, '18.0.0'),
    legacySshProxyMode: major === 16,
    joinMethods: joinMethods.sort(),
  };
}
