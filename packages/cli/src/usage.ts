/** Every command, its flags (input names), and its help text. Kept tiny: `--help` loads only this. */
export interface CommandSpec {
  summary: string;
  /** Flags taking a value, by input name; `env` is the variable that supplies a default. */
  flags: Record<string, { env?: string; help: string }>;
  /** Boolean flags, by input name. */
  switches?: Record<string, string>;
  examples: string[];
}

const SHARED_AUTH: CommandSpec['flags'] = {
  proxy: { env: 'TELEPORT_PROXY', help: "proxy's public address, host:port" },
  token: { env: 'TELEPORT_BOT_TOKEN', help: 'name of the join token' },
  'join-method': {
    env: 'TBOT_JOIN_METHOD',
    help: 'github, gitlab, circleci, bitbucket, azure_devops, bound_keypair, token (default: from the CI)',
  },
  roles: { help: "request only these of the bot's roles (comma-separated)" },
  'certificate-ttl': { help: 'how long the credentials last, e.g. 30m, 1h' },
  'ca-pins': { help: 'CA pins (sha256:<hex>) when joining an auth server directly' },
  out: { help: 'folder for the credentials (default: a fresh private folder)' },
  'data-dir': { help: "keep tbot's own identity here between runs (bound_keypair on a CI agent)" },
  'timeout-ms': {
    help: 'how long tbot may take to join and write the credentials (default 300000)',
  },
};

/** Actions Machine ID cannot point at a trusted leaf cluster: a leaf name is refused. */
const CLUSTER: CommandSpec['flags'] = {
  cluster: { help: "only the proxy's own cluster (Machine ID cannot reach leaf clusters here)" },
};

const RESULTS: CommandSpec['switches'] = {
  'print-env': 'print \'export NAME=value\' lines for eval "$(...)"',
  'disable-env-vars': 'do not export TELEPORT_* / KUBECONFIG, only print the paths',
};

export const COMMANDS: Record<string, CommandSpec> = {
  setup: {
    summary:
      "install the tarball's binaries: teleport, tbot, tsh, tctl, ... (SHA-256 verified, cached)",
    flags: {
      version: {
        env: 'TELEPORT_VERSION',
        help: "'auto' (ask the proxy) or a version like 17.4.2 (default: 'auto' when a proxy is given)",
      },
      proxy: { env: 'TELEPORT_PROXY', help: "proxy's public address, host:port (for 'auto')" },
      edition: { help: 'auto, oss or enterprise' },
      fips: { help: 'auto, true or false' },
      binaries: { help: "which binaries (default 'all': every one the tarball holds)" },
      sha256: { help: 'expected SHA-256 of the tarball' },
      'cdn-base-url': { env: 'TELEPORT_CDN_BASE_URL', help: 'download mirror' },
    },
    switches: { 'print-env': RESULTS['print-env']! },
    examples: [
      'eval "$(teleport-ci setup --proxy teleport.example.com:443 --print-env)"   # version auto',
      'teleport-ci setup --version 17.4.2 --write-env "$BASH_ENV"',
    ],
  },
  auth: {
    summary: 'identity file for tsh and tctl (TELEPORT_IDENTITY_FILE)',
    flags: SHARED_AUTH,
    switches: {
      ...RESULTS,
      'allow-reissue': 'let tsh reissue certificates (tbot 16.5+ or 17.2.8+)',
    },
    examples: [
      'eval "$(teleport-ci auth --proxy teleport.example.com:443 --token gitlab-bot --print-env)"\ntsh ls',
    ],
  },
  'auth-ssh': {
    summary: 'OpenSSH config for ssh -F (TELEPORT_SSH_CONFIG; TELEPORT_CI_SSH_CONFIG too)',
    flags: SHARED_AUTH,
    switches: RESULTS,
    examples: [
      'eval "$(teleport-ci auth-ssh --proxy teleport.example.com:443 --token gitlab-bot --print-env)"\nssh -F "$TELEPORT_SSH_CONFIG" ci@node.teleport.example.com uptime',
    ],
  },
  'auth-k8s': {
    summary: 'kubeconfig for kubectl (KUBECONFIG)',
    flags: {
      ...SHARED_AUTH,
      ...CLUSTER,
      'kubernetes-cluster': { help: 'Teleport Kubernetes cluster name' },
      'kubernetes-labels': { help: 'or: every cluster with these labels, key=value,...' },
    },
    switches: RESULTS,
    examples: [
      'eval "$(teleport-ci auth-k8s --proxy teleport.example.com:443 --token ci --kubernetes-cluster prod --print-env)"\nkubectl get pods',
    ],
  },
  'auth-app': {
    summary: 'client certificate for an application',
    flags: { ...SHARED_AUTH, ...CLUSTER, app: { help: 'Teleport application name' } },
    switches: RESULTS,
    examples: [
      'teleport-ci auth-app --proxy teleport.example.com:443 --token ci --app grafana --print-env',
    ],
  },
  'auth-application': {
    summary: "the same as auth-app, under the official action's name",
    flags: { ...SHARED_AUTH, ...CLUSTER, app: { help: 'Teleport application name' } },
    switches: RESULTS,
    examples: [
      'teleport-ci auth-application --proxy teleport.example.com:443 --token ci --app grafana --print-env',
    ],
  },
  'database-tunnel': {
    summary: 'local tunnel to a database, tbot in the background (tbot 18.6.4+)',
    flags: {
      ...SHARED_AUTH,
      ...CLUSTER,
      service: { help: 'Teleport database name' },
      database: { help: 'database inside the server' },
      username: { help: 'database user' },
      listen: { help: 'local address, tcp://127.0.0.1:5432' },
      'timeout-ms': { help: 'readiness wait (default 30000)' },
      'diag-port': { help: "tbot's diagnostics port (default 57263)" },
    },
    switches: RESULTS,
    examples: [
      'teleport-ci database-tunnel --proxy teleport.example.com:443 --token ci --service orders --database orders --username ci --listen tcp://127.0.0.1:5432\n# ... then, at the end of the job:\nteleport-ci cleanup',
    ],
  },
  'application-tunnel': {
    summary: 'local tunnel to an application, tbot in the background (tbot 18.6.4+)',
    flags: {
      ...SHARED_AUTH,
      ...CLUSTER,
      app: { help: 'Teleport application name' },
      listen: { help: 'local address, tcp://127.0.0.1:8080' },
      'timeout-ms': { help: 'readiness wait (default 30000)' },
      'diag-port': { help: "tbot's diagnostics port (default 57263)" },
    },
    switches: RESULTS,
    examples: [
      'teleport-ci application-tunnel --proxy teleport.example.com:443 --token ci --app grafana --listen tcp://127.0.0.1:8080',
    ],
  },
  'application-proxy': {
    summary:
      'local HTTP proxy to every application the bot may reach, tbot in the background (tbot 18.6.4+)',
    flags: {
      ...SHARED_AUTH,
      listen: {
        help: 'local address, tcp://127.0.0.1:8080 (then http_proxy=http://127.0.0.1:8080)',
      },
      'timeout-ms': { help: 'readiness wait (default 30000)' },
      'diag-port': { help: "tbot's diagnostics port (default 57263)" },
    },
    switches: RESULTS,
    examples: [
      'teleport-ci application-proxy --proxy teleport.example.com:443 --token ci --listen tcp://127.0.0.1:8080\nhttp_proxy=http://127.0.0.1:8080 curl -fsS http://grafana/api/health',
    ],
  },
  daemon: {
    summary:
      "'daemon install': run tbot as a service on a Jenkins agent (tbot.yaml, systemd unit, output folder)",
    flags: {
      proxy: { env: 'TELEPORT_PROXY', help: "proxy's public address, host:port" },
      token: {
        env: 'TELEPORT_BOT_TOKEN',
        help: 'name of the join token (bound_keypair or token join)',
      },
      'join-method': { env: 'TBOT_JOIN_METHOD', help: 'bound_keypair (default), token, ...' },
      out: { help: 'folder the credentials appear in (default /opt/machine-id)' },
      'data-dir': { help: "tbot's own state (default /var/lib/teleport/bot)" },
      config: { help: 'where to write tbot.yaml (default /etc/tbot.yaml)' },
      unit: { help: 'systemd unit (default /etc/systemd/system/tbot.service)' },
      'bot-user': { help: 'user tbot runs as (default teleport)' },
      'reader-user': { help: 'user whose jobs read the credentials (default jenkins)' },
      tbot: { help: 'tbot binary (default: the one on PATH)' },
      'bin-dir': {
        help: 'where tbot is copied for the service (default /usr/local/lib/teleport-ci)',
      },
      'registration-secret': {
        env: 'TBOT_REGISTRATION_SECRET',
        help: "bound_keypair: the join token's registration secret, for the first join",
      },
    },
    switches: { 'dry-run': 'print what would be written and run, change nothing' },
    examples: [
      'sudo teleport-ci daemon install --proxy teleport.example.com:443 --token jenkins-bot --dry-run',
      'sudo teleport-ci daemon install --proxy teleport.example.com:443 --token jenkins-bot && sudo systemctl enable --now tbot',
    ],
  },
  cleanup: {
    summary: 'stop background tbot and delete credentials written by earlier commands of this job',
    flags: {},
    examples: ['teleport-ci cleanup'],
  },
};

/** Flags every command takes. */
// Not `--env-file`: Node 20 reads that flag itself, even after the script's name.
export const COMMON_FLAGS: Record<string, string> = {
  'write-env': 'append the results to FILE (default on CircleCI: $BASH_ENV)',
  'env-format': "'shell' (export NAME='value', default) or 'dotenv' (NAME=value, GitLab reports)",
  'state-file': 'where commands of one job record what cleanup undoes',
};

export function commandHelp(name: string): string {
  const spec = COMMANDS[name]!;
  const rows = [
    ...Object.entries(spec.flags).map(([f, d]) => [
      `--${f} VALUE`,
      d.env ? `${d.help} [$${d.env}]` : d.help,
    ]),
    ...Object.entries(spec.switches ?? {}).map(([f, h]) => [`--${f}`, h]),
    ...Object.entries(COMMON_FLAGS).map(([f, h]) => [`--${f} VALUE`, h]),
    ['--debug', 'verbose output'],
  ];
  const width = Math.max(...rows.map(([f]) => f!.length));
  return [
    `teleport-ci ${name}: ${spec.summary}`,
    '',
    'Flags:',
    ...rows.map(([f, h]) => `  ${f!.padEnd(width)}  ${h}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => e.replace(/^/gm, '  ')),
    '',
  ].join('\n');
}

export function mainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `teleport-ci ${version}: short-lived Teleport credentials on any CI, with the platform's ID token`,
    '',
    'Usage: teleport-ci <command> [flags]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([c, s]) => `  ${c.padEnd(width)}  ${s.summary}`),
    '',
    "Run 'teleport-ci <command> --help' for its flags and examples.",
    '',
  ].join('\n');
}
