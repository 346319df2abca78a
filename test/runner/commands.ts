/**
 * Workflow commands as the runner parses them from a step's output lines:
 * `::name key=value,key2=value2::data` (leading whitespace allowed) and the legacy
 * `##[name key=value;key2=value2]data` form.
 */

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

export const KNOWN_COMMANDS = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
] as const;

/** Commands whose line is never echoed, even with `::echo::on` (they carry secrets or are shown anyway). */
export const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);

function unescapeWith(s: string, map: Array<[string, string]>): string {
  let out = s;
  for (const [escaped, token] of map) out = out.split(escaped).join(token);
  return out;
}

// Order matters: %25 last, as in the runner.
const DATA: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const LEGACY: Array<[string, string]> = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

function properties(text: string, sep: string, map: Array<[string, string]>) {
  const props: Record<string, string> = {};
  for (const part of text.split(sep)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) continue;
    props[part.slice(0, eq).trim()] = unescapeWith(part.slice(eq + 1), map);
  }
  return props;
}

/**
 * Parses one output line. `registered` is the set of names currently recognised (the known
 * commands, or only the resume token while commands are stopped); other names are plain output.
 */
export function parseCommand(
  line: string,
  registered: ReadonlySet<string>,
): WorkflowCommand | null {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (registered.has(name.toLowerCase())) {
        return {
          command: name.toLowerCase(),
          properties: space > 0 ? properties(info.slice(space + 1).trim(), ',', PROPERTY) : {},
          data: unescapeWith(trimmed.slice(end + 2), DATA),
        };
      }
    }
  }
  const prefix = line.indexOf('##[');
  if (prefix < 0) return null;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return null;
  return {
    command: name.toLowerCase(),
    properties: space > 0 ? properties(info.slice(space + 1), ';', LEGACY) : {},
    data: unescapeWith(line.slice(rb + 1), LEGACY),
  };
}
