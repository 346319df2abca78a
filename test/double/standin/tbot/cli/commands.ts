// tbot's commands and flags per version (teleport-behaviour.md §1.1-§1.3): global flags, `start`/`configure`
// (legacy form, plus `<kind>` subcommands from 17.0), `ssh-proxy-command`, `kube credentials`,
// `wait` (18), and the other top-level commands, which the stand-in names but does not run.
import type { Features } from '../build';
import type { CommandSpec, FlagSpec } from './parse';

const str = (long: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  long,
  kind: 'string',
  ...extra,
});
const bool = (long: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  long,
  kind: 'bool',
  ...extra,
});

function globals(): FlagSpec[] {
  return [
    bool('debug', { short: 'd', envar: 'TBOT_DEBUG', help: 'Verbose logging to stdout.' }),
    str('config', { short: 'c', envar: 'TBOT_CONFIG_PATH', help: 'Path to a configuration file.' }),
    str('config-string', { envar: 'TBOT_CONFIG', help: 'A base64 encoded configuration.' }),
    bool('fips', { help: 'Whether to run tbot in FIPS compliance mode.' }),
    bool('insecure', {
      help: 'Insecure configures the bot to trust the certificates from the Auth Server or Proxy on first connect without verification.',
    }),
    {
      long: 'log-format',
      kind: 'enum',
      values: ['json', 'text'],
      help: 'Controls the format of output logs.',
    },
    bool('trace'),
    str('trace-exporter'),
  ];
}

/** Flags shared by `start`/`configure` in every form (teleport-behaviour.md §1.2, start_shared.go). */
function shared(f: Features, legacy: boolean): FlagSpec[] {
  const flags: FlagSpec[] = [
    str('auth-server', {
      short: 'a',
      envar: 'TELEPORT_AUTH_SERVER',
      help: 'Address of the Teleport Auth Service or Proxy.',
    }),
    str('proxy-server', { envar: 'TELEPORT_PROXY', help: 'Address of the Teleport Proxy Server.' }),
    str('token', {
      envar: 'TELEPORT_BOT_TOKEN',
      help: 'A bot join token or path to file with token value.',
    }),
    { long: 'ca-pin', kind: 'strings', help: 'CA pin to validate the Teleport Auth Server.' },
    { long: 'certificate-ttl', kind: 'duration', help: 'TTL of short-lived machine certificates.' },
    {
      long: 'renewal-interval',
      kind: 'duration',
      help: 'Interval at which short-lived certificates are renewed.',
    },
    {
      long: 'join-method',
      kind: 'enum',
      values: f.joinMethods,
      help: 'Method to use to join the cluster.',
    },
    bool('oneshot', { help: 'If set, quit after the first renewal.' }),
    str('diag-addr', {
      help: 'If set and the bot is in debug mode, a diagnostics service will listen on specified address.',
    }),
  ];
  if (legacy) {
    flags.push(
      str('data-dir', { help: 'Directory to store internal bot data.' }),
      str('destination-dir', { help: 'Directory to write short-lived machine certificates.' }),
    );
  } else {
    flags.push(str('storage', { help: "A destination URI for tbot's internal storage." }));
  }
  return flags;
}

function destinationFlags(): FlagSpec[] {
  return [
    str('destination', { required: true, help: 'A destination URI, such as file:///foo/bar' }),
    { long: 'reader-user', kind: 'strings' },
    { long: 'reader-group', kind: 'strings' },
  ];
}

/** The `<kind>` subcommands of start/configure (teleport-behaviour.md §1.3). */
function kinds(f: Features): CommandSpec[] {
  const out: CommandSpec[] = [
    {
      name: 'identity',
      aliases: ['ssh', 'id'],
      help: 'Start with an identity output for SSH and Teleport API access',
      flags: [
        ...destinationFlags(),
        str('cluster'),
        ...(f.allowReissue ? [bool('allow-reissue')] : []),
      ],
    },
    {
      name: 'database',
      aliases: ['db'],
      help: 'Starts with a database output',
      flags: [
        ...destinationFlags(),
        str('service', { required: true }),
        str('username', { required: true }),
        str('database', { required: true }),
        { long: 'format', kind: 'enum', values: ['', 'tls', 'mongo', 'cockroach'] },
      ],
    },
    {
      name: 'kubernetes',
      aliases: ['k8s'],
      help: 'Starts with a Kubernetes output',
      flags: [
        ...destinationFlags(),
        str('kubernetes-cluster', { required: true }),
        bool('disable-exec-plugin'),
      ],
    },
    {
      name: 'application',
      aliases: ['app'],
      help: 'Starts with an application output',
      flags: [
        ...destinationFlags(),
        str('app', { required: true }),
        bool('specific-tls-extensions'),
      ],
    },
    {
      name: 'application-tunnel',
      aliases: ['app-tunnel'],
      help: 'Starts an application tunnel',
      flags: [str('listen', { required: true }), str('app', { required: true })],
    },
    {
      name: 'database-tunnel',
      aliases: ['db-tunnel'],
      help: 'Starts a database tunnel',
      flags: [
        str('listen', { required: true }),
        str('service', { required: true }),
        str('username', { required: true }),
        str('database', { required: true }),
      ],
    },
  ];
  if (f.kubernetesV2) {
    out.push({
      name: 'kubernetes/v2',
      aliases: ['k8s/v2'],
      help: 'Starts with a Kubernetes output (v2)',
      flags: [
        ...destinationFlags(),
        { long: 'name-selector', kind: 'strings' },
        { long: 'label-selector', kind: 'strings' },
        bool('disable-exec-plugin'),
      ],
    });
  }
  if (f.applicationProxy) {
    out.push({
      name: 'application-proxy',
      aliases: ['app-proxy'],
      help: 'Starts an application proxy',
      flags: [str('listen', { required: true })],
    });
  }
  for (const name of [
    'spiffe-svid',
    'workload-identity-x509',
    'workload-identity-jwt',
    'workload-identity-api',
  ]) {
    out.push({ name, passthrough: true, hidden: true });
  }
  return out.map((k) => ({ ...k, flags: [...shared(f, false), ...(k.flags ?? [])] }));
}

function startLike(name: 'start' | 'configure', f: Features): CommandSpec {
  const extra: FlagSpec[] =
    name === 'configure'
      ? [
          str('output', {
            short: 'o',
            help: 'Path to write the generated configuration file to rather than write to stdout.',
          }),
        ]
      : [];
  const help =
    name === 'start'
      ? 'Starts the renewal bot, writing certificates to the data dir at a set interval.'
      : 'Creates a config file based on flags provided, and writes it to stdout or a file (-c <path>).';
  if (!f.startSubcommands) {
    return { name, help, flags: [...shared(f, true), ...extra] };
  }
  const legacy: CommandSpec = {
    name: 'legacy',
    hidden: true,
    help: `${name} with a config file or legacy flags`,
    flags: [...shared(f, true), ...extra],
  };
  return {
    name,
    help,
    subs: [legacy, ...kinds(f).map((k) => ({ ...k, flags: [...(k.flags ?? []), ...extra] }))],
    defaultSub: 'legacy',
  };
}

export function rootCommand(f: Features): CommandSpec {
  const named = (name: string, help: string): CommandSpec => ({ name, help, passthrough: true });
  const subs: CommandSpec[] = [
    { name: 'version', help: 'Print the version of your tbot binary.' },
    { name: 'help', help: 'Show help.', passthrough: true },
    startLike('start', f),
    startLike('configure', f),
    {
      name: 'ssh-proxy-command',
      hidden: true,
      help: 'An OpenSSH/PuTTY proxy command',
      flags: [
        str('destination-dir'),
        str('proxy-server'),
        str('cluster'),
        str('user'),
        str('host'),
        str('port'),
        bool('tls-routing'),
        bool('connection-upgrade'),
        bool('resume'),
        str('tsh-config'),
      ],
    },
    {
      name: 'kube',
      hidden: true,
      help: 'Kubernetes helpers',
      subs: [
        {
          name: 'credentials',
          help: 'Get credentials for kubectl access',
          flags: [str('destination-dir', { required: true })],
        },
      ],
    },
    named(
      'init',
      'Initialize a certificate destination directory for writes from a separate bot user.',
    ),
    named('migrate', 'Migrates a config file from an older version to the newest version.'),
    named('db', 'Execute database commands through tsh.'),
    named('proxy', 'Start a local TLS proxy via tsh to connect to Teleport in single-port mode.'),
    named(
      'ssh-multiplexer-proxy-command',
      'An OpenSSH compatible ProxyCommand which connects to a long-lived tbot running the ssh-multiplexer service',
    ),
    named('keypair', 'Manage keypairs for bound-keypair joining'),
    named('spiffe-inspect', 'Inspects a SPIFFE Workload API endpoint.'),
    named('tpm', 'Commands related to managing TPM joining functionality.'),
    named('install', 'Helpers to install tbot.'),
    named('copy-binaries', 'Copy the binaries to a destination.'),
  ];
  if (f.wait) {
    subs.push({
      name: 'wait',
      help: 'Waits for a tbot instance to become healthy.',
      flags: [
        str('diag-addr', { required: true }),
        str('service'),
        { long: 'timeout', kind: 'duration', default: '30s' },
      ],
    });
  }
  return { name: 'tbot', flags: globals(), subs };
}
