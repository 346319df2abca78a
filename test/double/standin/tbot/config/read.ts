// Reads a tbot config file the way ReadConfig does (teleport-behaviour.md §2.1, lib/tbot/config/config.go):
// - the version is decoded first (`failed parsing config file version: ...`);
// - before 17.2.8, v2 is decoded with yaml.v3's KnownFields(true): an unknown top-level key (or
//   one inside `onboarding`) fails with `failed parsing config file: yaml: unmarshal errors:
//   line N: field X not found in type config.BotConfig` (the newlines of yaml.v3's message
//   stripped); from 17.2.8 `BotConfig` has its own UnmarshalYAML, which decodes without known
//   fields: unknown keys there are ignored too (teleport-behaviour.md §2.1, config.go@v17.2.8);
// - services, outputs and destinations decode through custom UnmarshalYAML methods that call
//   yaml.v3 `node.Decode`, which does NOT keep KnownFields: unknown keys there are silently
//   ignored by the real tbot, so the stand-in ignores them too (README "Strictness");
// - type errors read like yaml.v3's: ``line N: cannot unmarshal !!str `abc` into bool``.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Features } from '../build';
import { TbotError } from '../errors';
import { parseGoDuration } from './duration';
import {
  type BotConfig,
  type Destination,
  emptyConfig,
  OUTPUT_TYPES,
  SERVICE_TYPES,
  type ServiceConfig,
} from './types';

type Field =
  | 'string'
  | 'bool'
  | 'duration'
  | 'strings'
  | 'stringMap'
  | 'destination'
  | 'selectors'
  | 'readers'
  /** Decoded by the caller's `special` (services, outputs: custom unmarshalers). */
  | 'custom'
  | { struct: string; fields: Record<string, Field> };

/** yaml.v3's unmarshal errors for one decode (they are collected, then reported together). */
class Collector {
  readonly errors: string[] = [];
  constructor(readonly lines: LineCounter) {}

  line(node: Node | Pair['key'] | null | undefined): number {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.lines.linePos(range[0]).line : 0;
  }

  typeError(node: Node, goType: string): void {
    const tag = tagOf(node);
    let value = '';
    if (tag !== '!!seq' && tag !== '!!map') {
      const text = isScalar(node) ? String(node.source ?? node.value) : '';
      value = text.length > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``;
    }
    this.errors.push(`line ${this.line(node)}: cannot unmarshal ${tag}${value} into ${goType}`);
  }

  unknownField(key: Node | null, name: string, goType: string): void {
    this.errors.push(`line ${this.line(key)}: field ${name} not found in type ${goType}`);
  }

  /** Throws yaml.v3's TypeError text if anything was collected. */
  flush(): void {
    if (this.errors.length > 0) {
      throw new TbotError(`yaml: unmarshal errors:\n  ${this.errors.join('\n  ')}`);
    }
  }
}

function tagOf(node: Node): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return '!!null';
    if (typeof v === 'boolean') return '!!bool';
    if (typeof v === 'number') return Number.isInteger(v) ? '!!int' : '!!float';
    return '!!str';
  }
  return '!!str';
}

function isNull(node: Node | null | undefined): boolean {
  return !node || (isScalar(node) && (node.value === null || node.value === undefined));
}

function keyName(pair: Pair): string {
  const k = pair.key as Scalar | null;
  return isScalar(k) ? String(k.value) : String(k);
}

/** yaml.v3 decodes 1.1-style booleans into a typed bool (decode.go, "compatibility"). */
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

function decodeScalar(node: Node, field: Field, c: Collector): unknown {
  if (isNull(node)) return undefined;
  switch (field) {
    case 'string':
      if (!isScalar(node)) return c.typeError(node, 'string');
      return String((node as Scalar).source ?? (node as Scalar).value);
    case 'bool': {
      if (!isScalar(node)) return c.typeError(node, 'bool');
      const v = node.value;
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && TRUE.has(v)) return true;
      if (typeof v === 'string' && FALSE.has(v)) return false;
      return c.typeError(node, 'bool');
    }
    case 'duration': {
      if (!isScalar(node)) return c.typeError(node, 'time.Duration');
      const v = node.value;
      if (typeof v === 'number' && Number.isInteger(v)) return v; // nanoseconds, like yaml.v3
      if (typeof v === 'string') {
        const ns = parseGoDuration(v);
        if (ns !== undefined) return ns;
      }
      return c.typeError(node, 'time.Duration');
    }
    case 'strings': {
      if (!isSeq(node)) return c.typeError(node, '[]string');
      const out: string[] = [];
      for (const item of node.items as Node[]) {
        const v = decodeScalar(item, 'string', c);
        if (typeof v === 'string') out.push(v);
      }
      return out;
    }
    case 'stringMap': {
      if (!isMap(node)) return c.typeError(node, 'map[string]string');
      const out: Record<string, string> = {};
      for (const pair of (node as YAMLMap).items as Pair[]) {
        const v = decodeScalar(pair.value as Node, 'string', c);
        if (typeof v === 'string') out[keyName(pair)] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A struct: strict (KnownFields) or lenient (node.Decode inside a custom unmarshaler). */
function decodeStruct(
  node: Node,
  goType: string,
  fields: Record<string, Field>,
  strict: boolean,
  c: Collector,
  special: (name: string, value: Node) => unknown = () => undefined,
): Record<string, unknown> | undefined {
  if (isNull(node)) return undefined;
  if (!isMap(node)) {
    c.typeError(node, goType);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const pair of (node as YAMLMap).items as Pair[]) {
    const name = keyName(pair);
    const value = pair.value as Node;
    const field = fields[name];
    if (field === undefined) {
      if (strict) c.unknownField(pair.key as Node, name, goType);
      continue;
    }
    let decoded: unknown;
    if (typeof field === 'object') {
      decoded = decodeStruct(value, field.struct, field.fields, strict, c);
    } else if (
      field === 'destination' ||
      field === 'selectors' ||
      field === 'readers' ||
      field === 'custom'
    ) {
      decoded = special(name, value);
    } else {
      decoded = decodeScalar(value, field, c);
    }
    if (decoded !== undefined) out[name] = decoded;
  }
  return out;
}

const DESTINATION_FIELDS: Record<string, Record<string, Field>> = {
  directory: {
    type: 'string',
    path: 'string',
    symlinks: 'string',
    acls: 'string',
    readers: 'readers',
  },
  memory: { type: 'string' },
  kubernetes_secret: { type: 'string', name: 'string', namespace: 'string', labels: 'stringMap' },
};

/** unmarshalDestination (lenient; `unrecognized destination type (x)`). */
function decodeDestination(node: Node, lines: LineCounter): Destination | undefined {
  if (isNull(node)) return undefined;
  if (isScalar(node) && typeof node.value === 'string') {
    return { type: 'directory', path: node.value }; // a bare path (teleport-behaviour.md §2.4)
  }
  const c = new Collector(lines);
  const header = decodeStruct(
    node,
    'struct { Type string "yaml:\\"type\\"" }',
    { type: 'string' },
    false,
    c,
  );
  c.flush();
  const type = String(header?.type ?? '');
  const fields = DESTINATION_FIELDS[type];
  if (!fields) throw new TbotError(`unrecognized destination type (${type})`);
  const body = decodeStruct(
    node,
    `config.Destination${pascal(type)}`,
    fields,
    false,
    c,
    (name, v) => (name === 'readers' ? decodeReaders(v, c) : undefined),
  );
  c.flush();
  return body as unknown as Destination;
}

function decodeReaders(node: Node, c: Collector): unknown {
  if (isNull(node)) return undefined;
  if (!isSeq(node)) return c.typeError(node, '[]*config.Reader');
  return (node.items as Node[]).map((item) =>
    decodeStruct(item, 'config.Reader', { user: 'string', group: 'string' }, false, c),
  );
}

function pascal(s: string): string {
  return s
    .split(/[_/-]/)
    .map((p) => (p[0] ?? '').toUpperCase() + p.slice(1))
    .join('');
}

const LIFETIME: Record<string, Field> = {
  credential_ttl: 'duration',
  renewal_interval: 'duration',
};

/** The fields each service type decodes (unknown ones are ignored, as node.Decode does). */
function serviceFields(type: string, f: Features): Record<string, Field> | undefined {
  const common: Record<string, Field> = {
    type: 'string',
    destination: 'destination',
    roles: 'strings',
  };
  if (f.serviceNames) common.name = 'string';
  const lifetime = f.credentialTtl ? LIFETIME : {};
  switch (type) {
    case 'identity':
      return {
        ...common,
        ...lifetime,
        cluster: 'string',
        ssh_config: 'string',
        ...(f.allowReissue ? { allow_reissue: 'bool' as const } : {}),
      };
    case 'application':
      return { ...common, ...lifetime, app_name: 'string', specific_tls_naming: 'bool' };
    case 'database':
      return {
        ...common,
        ...lifetime,
        service: 'string',
        database: 'string',
        username: 'string',
        format: 'string',
      };
    case 'kubernetes':
      return { ...common, ...lifetime, kubernetes_cluster: 'string', disable_exec_plugin: 'bool' };
    case 'kubernetes/v2': {
      if (!f.kubernetesV2) return undefined;
      const { roles: _roles, ...noRoles } = common;
      return {
        ...noRoles,
        ...lifetime,
        selectors: 'selectors',
        disable_exec_plugin: 'bool',
        context_name_template: 'string',
      };
    }
    case 'ssh_host':
      return { ...common, ...lifetime, principals: 'strings' };
    case 'database-tunnel':
      return {
        ...common,
        ...lifetime,
        listen: 'string',
        service: 'string',
        database: 'string',
        username: 'string',
      };
    case 'application-tunnel':
      return { ...common, ...lifetime, listen: 'string', app_name: 'string' };
    case 'application-proxy':
      return f.applicationProxy ? { type: 'string', name: 'string', listen: 'string' } : undefined;
    case 'ssh-multiplexer':
      return {
        ...common,
        enable_resumption: 'bool',
        proxy_command: 'strings',
        proxy_templates_path: 'string',
      };
    default:
      if ((OUTPUT_TYPES as readonly string[]).includes(type)) return common;
      if ((SERVICE_TYPES as readonly string[]).includes(type)) return common;
      return undefined;
  }
}

function decodeSelectors(node: Node, c: Collector): unknown {
  if (isNull(node)) return undefined;
  if (!isSeq(node)) return c.typeError(node, '[]*k8s.KubernetesSelector');
  return (node.items as Node[]).map((item) =>
    decodeStruct(
      item,
      'k8s.KubernetesSelector',
      { name: 'string', labels: 'stringMap', default_namespace: 'string' },
      false,
      c,
    ),
  );
}

/** ServiceConfigs/Outputs.UnmarshalYAML: the `type` picks the struct; lenient decode. */
function decodeServices(
  node: Node,
  list: 'services' | 'outputs',
  f: Features,
  lines: LineCounter,
): ServiceConfig[] {
  if (isNull(node)) return [];
  const c = new Collector(lines);
  if (!isSeq(node)) {
    c.typeError(node, list === 'services' ? 'config.ServiceConfigs' : 'config.Outputs');
    c.flush();
  }
  const out: ServiceConfig[] = [];
  for (const item of (node as { items: Node[] }).items) {
    const header = decodeStruct(
      item,
      'struct { Type string "yaml:\\"type\\"" }',
      { type: 'string' },
      false,
      c,
    );
    c.flush();
    const type = String(header?.type ?? '');
    const fields = serviceFields(type, f);
    if (!fields) {
      const what = list === 'outputs' && f.major < 18 ? 'output' : 'service';
      throw new TbotError(`unrecognized ${what} type (${type})`);
    }
    const body = decodeStruct(
      item,
      `config.${pascal(type)}Service`,
      fields,
      false,
      c,
      (name, v) => {
        if (name === 'destination') return decodeDestination(v, lines);
        if (name === 'selectors') return decodeSelectors(v, c);
        return undefined;
      },
    );
    c.flush();
    out.push({ ...(body ?? {}), type, list } as ServiceConfig);
  }
  return out;
}

function topLevelFields(f: Features): Record<string, Field> {
  const onboarding: Record<string, Field> = {
    token: 'string',
    ca_path: 'string',
    ca_pins: 'strings',
    join_method: 'string',
    azure: { struct: 'config.AzureOnboardingConfig', fields: { client_id: 'string' } },
    terraform: { struct: 'config.TerraformOnboardingConfig', fields: { audience_tag: 'string' } },
  };
  if (f.gitlabTokenEnvVarName) {
    onboarding.gitlab = {
      struct: 'config.GitlabOnboardingConfig',
      fields: { token_env_var_name: 'string' },
    };
  }
  if (f.boundKeypair) {
    onboarding.bound_keypair = {
      struct: 'config.BoundKeypairOnboardingConfig',
      fields: {
        registration_secret: 'string',
        registration_secret_path: 'string',
        static_private_key_path: 'string',
      },
    };
  }
  const top: Record<string, Field> = {
    version: 'string',
    onboarding: { struct: 'config.OnboardingConfig', fields: onboarding },
    storage: 'destination',
    outputs: 'custom',
    services: 'custom',
    debug: 'bool',
    auth_server: 'string',
    proxy_server: 'string',
    certificate_ttl: 'duration',
    renewal_interval: 'duration',
    oneshot: 'bool',
    fips: 'bool',
    diag_addr: 'string',
    insecure: 'bool',
  };
  if (f.credentialTtl) top.credential_ttl = 'duration';
  return top;
}

function yamlSyntaxError(err: { message: string; linePos?: Array<{ line: number }> }): string {
  const line = err.linePos?.[0]?.line;
  const first = err.message.split('\n')[0] ?? err.message;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  return `yaml: ${line ? `line ${line}: ` : ''}${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** ReadConfig for the text of a config file (teleport-behaviour.md §2.1). */
export function readConfig(text: string, f: Features): BotConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TbotError(
      `failed parsing config file version: ${yamlSyntaxError(doc.errors[0] as never)}`,
    );
  }
  const root = doc.contents as Node | null;
  if (root === null || isNull(root)) {
    // yaml.v3's Decode of an empty document returns io.EOF.
    throw new TbotError('failed parsing config file version: EOF');
  }
  if (!isMap(root)) {
    const c = new Collector(lines);
    c.typeError(root, 'struct { Version config.Version "yaml:\\"version\\"" }');
    throw new TbotError(`failed parsing config file version: ${flat(c)}`);
  }
  const versionNode = (root as YAMLMap).get('version', true) as Node | undefined;
  const version = versionNode && isScalar(versionNode) ? String(versionNode.value ?? '') : '';
  if (version === 'v1' || version === '') {
    // teleport-behaviour.md §2.1: real tbot migrates v1 in memory; the stand-in does not implement v1.
    throw new TbotError(
      'Deprecated config version (V1) detected; this Teleport double stand-in only reads config version v2 (add "version: v2")',
    );
  }
  if (version !== 'v2') throw new TbotError(`unrecognized config version "${version}"`);

  const c = new Collector(lines);
  const fields = topLevelFields(f);
  const cfg = emptyConfig();
  const services: ServiceConfig[] = [];
  const outputs: ServiceConfig[] = [];
  let failure: unknown;
  const strict = !f.laxTopLevel;
  const decoded = decodeStruct(root, 'config.BotConfig', fields, strict, c, (name, v) => {
    if (failure) return undefined;
    try {
      if (name === 'storage') return decodeDestination(v, lines);
      if (name === 'services') services.push(...decodeServices(v, 'services', f, lines));
      if (name === 'outputs') outputs.push(...decodeServices(v, 'outputs', f, lines));
    } catch (err) {
      failure = err; // a custom unmarshaler's error aborts the decode (yaml.v3 fail())
    }
    return undefined;
  });
  if (failure) throw prefixed(failure);
  if (c.errors.length > 0) throw new TbotError(`failed parsing config file: ${flat(c)}`);
  const d = (decoded ?? {}) as Partial<BotConfig> & { onboarding?: BotConfig['onboarding'] };
  Object.assign(cfg, d);
  cfg.onboarding = d.onboarding ?? {};
  cfg.services = [...services, ...outputs];
  return cfg;
}

function flat(c: Collector): string {
  return `yaml: unmarshal errors:\n  ${c.errors.join('\n  ')}`.replace(/\n/g, '');
}

function prefixed(err: unknown): TbotError {
  const message = err instanceof Error ? err.message : String(err);
  return new TbotError(`failed parsing config file: ${message.replace(/\n/g, '')}`);
}
