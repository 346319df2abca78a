/** Reads the component templates (`packages/gitlab/templates`) as GitLab does: header + body. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { componentDir } from './harness';

export type InputType = 'string' | 'number' | 'boolean' | 'array';

export interface InputSpec {
  description?: string;
  type?: InputType;
  default?: unknown;
  options?: unknown[];
  regex?: string;
  rules?: unknown[];
}

export interface Template {
  /** Component name: `templates/<name>.yml` or `templates/<name>/template.yml`. */
  name: string;
  path: string;
  text: string;
  documents: number;
  errors: string[];
  header: { spec?: { inputs?: Record<string, InputSpec | null> } } & Record<string, unknown>;
  body: Record<string, unknown>;
}

export async function loadTemplates(): Promise<Template[]> {
  const dir = join(componentDir, 'templates');
  const out: Template[] = [];
  for (const entry of (await readdir(dir)).sort()) {
    let name: string;
    let path: string;
    if (entry.endsWith('.yml')) {
      name = entry.slice(0, -'.yml'.length);
      path = join(dir, entry);
    } else if ((await stat(join(dir, entry))).isDirectory()) {
      name = entry;
      path = join(dir, entry, 'template.yml');
    } else {
      continue;
    }
    const text = await readFile(path, 'utf8');
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    const errors = list.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
    out.push({
      name,
      path,
      text,
      documents: list.length,
      errors,
      header: (list[0]?.toJS() ?? {}) as Template['header'],
      body: (list[1]?.toJS({ maxAliasCount: -1 }) ?? {}) as Record<string, unknown>,
    });
  }
  return out;
}

export function inputsOf(t: Template): Record<string, InputSpec> {
  const raw = t.header.spec?.inputs ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v ?? {}]));
}

const INTERPOLATION = /\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g;

/** Every `$[[ inputs.x ]]` in the body (keys included). */
export function usedInputs(body: unknown): Set<string> {
  const used = new Set<string>();
  const text = JSON.stringify(body);
  for (const m of text.matchAll(INTERPOLATION)) used.add(m[1]!);
  return used;
}

/**
 * Interpolates the body as GitLab does: a value that is exactly one interpolation keeps the
 * input's type; embedded interpolations become text. Keys are interpolated too.
 */
export function interpolate(body: unknown, values: Record<string, unknown>): unknown {
  const value = (name: string) => {
    if (!(name in values)) throw new Error(`no value for input ${name}`);
    return values[name];
  };
  const str = (s: string): unknown => {
    const whole = /^\$\[\[\s*inputs\.([\w-]+)\s*\]\]$/.exec(s);
    if (whole) return value(whole[1]!);
    return s.replace(INTERPOLATION, (_, name: string) => {
      const v = value(name);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return str(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [String(str(k)), walk(v)] as const),
      );
    }
    return node;
  };
  return walk(body);
}
