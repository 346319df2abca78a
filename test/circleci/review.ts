/**
 * The orb development kit's review checks (orb-tools `review`, RC001-RC012), reimplemented
 * over the orb's source folder, plus a few of our own (EX/PA). Each check returns the problems
 * it finds; none means it passes. Differences from orb-tools, which runs them with yq and curl
 * in CI:
 * - RC006/RC007 check the URLs' form offline (https, a GitHub repository for the source)
 *   instead of fetching them.
 * - RC011 always runs (orb-tools only on a release tag), with the current major taken from
 *   packages/circleci/package.json.
 * - RC012 refuses any `$VARIABLE` in a parameter default (orb-tools only where such a default
 *   reaches a cache `key`): parameters take values, and scripts expand variables themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';

export type RuleId =
  | 'RC001'
  | 'RC002'
  | 'RC003'
  | 'RC004'
  | 'RC005'
  | 'RC006'
  | 'RC007'
  | 'RC008'
  | 'RC009'
  | 'RC010'
  | 'RC011'
  | 'RC012'
  | 'EX001'
  | 'PA001';

export const RULES: Record<RuleId, string> = {
  RC001: 'Include source_url in @orb.yml',
  RC002: 'All components (jobs, commands, executors, examples) must have descriptions',
  RC003: 'All production-ready orbs should contain at least one usage example',
  RC004: 'Usage example names should be descriptive',
  RC005: 'Write a detailed orb description',
  RC006: 'Source URL should be valid',
  RC007: 'Home URL should be valid',
  RC008: 'All run steps should contain a name',
  RC009: "Complex run steps' commands should be imported",
  RC010: 'All components (jobs, commands, executors) should be snake_cased',
  RC011: 'Usage examples showcase the current major version of the orb',
  RC012: 'No environment variables as parameter defaults',
  EX001: 'Every command and job appears in a usage example',
  PA001: 'Every parameter has a type and a description; enums list their values',
};

export interface ReviewOptions {
  /** Registry name examples must reference, e.g. `teleport-actions/teleport`. */
  orbName: string;
  /** The orb's current version, e.g. `1.0.0` (its major is what examples must use). */
  version: string;
  /** Longest run command that may stay inline (orb-tools' default: 64). */
  maxCommandLength?: number;
}

type Doc = Record<string, unknown>;

interface SourceFile {
  path: string;
  name: string;
  doc: Doc;
}

function filesIn(src: string, section: string): SourceFile[] {
  const dir = join(src, section);
  let names: string[] = [];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !basename(n).startsWith('.'))
    .sort()
    .map((n) => ({
      path: `${section}/${n}`,
      name: basename(n).replace(/\.ya?ml$/, ''),
      doc: (parse(readFileSync(join(dir, n), 'utf8')) ?? {}) as Doc,
    }));
}

function orbFile(src: string): Doc {
  return (parse(readFileSync(join(src, '@orb.yml'), 'utf8')) ?? {}) as Doc;
}

/** Every value whose key is `run`, anywhere in a document (as orb-tools' jq `paths` does). */
function runEntries(value: unknown, where = ''): { where: string; run: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => runEntries(v, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'run' ? [{ where: `${where}.run`, run: v }] : runEntries(v, `${where}.${k}`),
  );
}

function isHttpsUrl(text: unknown): URL | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname.includes('.') ? url : undefined;
  } catch {
    return undefined;
  }
}

const describedSections = ['jobs', 'examples', 'commands', 'executors'];
const componentSections = ['jobs', 'commands', 'executors'];

/** Runs every check over an orb source folder (`src/`); returns the problems per rule. */
export function reviewOrb(src: string, opts: ReviewOptions): Record<RuleId, string[]> {
  const orb = orbFile(src);
  const display = (orb.display ?? {}) as Doc;
  const sections = Object.fromEntries(
    describedSections.map((s) => [s, filesIn(src, s)] as const),
  ) as Record<string, SourceFile[]>;
  const components = componentSections.flatMap((s) => sections[s] ?? []);
  const examples = sections.examples ?? [];
  const maxLength = opts.maxCommandLength ?? 64;
  const problems = Object.fromEntries(Object.keys(RULES).map((r) => [r, []])) as unknown as Record<
    RuleId,
    string[]
  >;

  if (typeof display.source_url !== 'string' || !display.source_url) {
    problems.RC001.push('Set a value for "source_url" under the "display" key in "@orb.yml"');
  }

  for (const file of describedSections.flatMap((s) => sections[s] ?? [])) {
    const d = file.doc.description;
    if (typeof d !== 'string' || d.trim() === '') {
      problems.RC002.push(`${file.path} is missing a description`);
    }
  }

  if (examples.length === 0) problems.RC003.push('The orb has no usage example in examples/');

  for (const file of examples) {
    if (file.name.toLowerCase().includes('example')) {
      problems.RC004.push(`${file.path}: example file names should not contain "example"`);
    }
  }

  const description = typeof orb.description === 'string' ? orb.description : '';
  if (description.length < 64) {
    problems.RC005.push(`The orb description is under 64 characters (${description.length})`);
  }

  if (display.source_url !== undefined) {
    const url = isHttpsUrl(display.source_url);
    const repoPath = url?.pathname.split('/').filter(Boolean) ?? [];
    if (url?.hostname !== 'github.com' || repoPath.length < 2) {
      problems.RC006.push(
        `source_url ${JSON.stringify(display.source_url)} is not an https URL of a GitHub repository`,
      );
    }
  }
  if (display.home_url !== undefined && !isHttpsUrl(display.home_url)) {
    problems.RC007.push(`home_url ${JSON.stringify(display.home_url)} is not an https URL`);
  }

  for (const file of [...(sections.jobs ?? []), ...(sections.commands ?? [])]) {
    for (const { where, run } of runEntries(file.doc)) {
      if (typeof run === 'string') {
        const msg = `${file.path}${where}: a string 'run' step; use an object with "name" and "command"`;
        problems.RC008.push(msg);
        problems.RC009.push(msg);
        continue;
      }
      const step = (run ?? {}) as Doc;
      if (typeof step.name !== 'string' || step.name.trim() === '') {
        problems.RC008.push(`${file.path}${where}: run step without a name`);
      }
      const command = typeof step.command === 'string' ? step.command : '';
      if (command.length > maxLength && !/<<\s*include\(/.test(command)) {
        problems.RC009.push(
          `${file.path}${where}: command longer than ${maxLength} characters; move it to scripts/ and <<include()>> it`,
        );
      }
    }
  }

  for (const file of components) {
    if (basename(file.path).includes('-')) {
      problems.RC010.push(`${file.path}: component names should be snake_cased`);
    }
    for (const key of Object.keys((file.doc.parameters ?? {}) as Doc)) {
      if (key.includes('-')) {
        problems.RC010.push(`${file.path}: parameter "${key}" should be snake_cased`);
      }
    }
  }

  const major = opts.version.split('.')[0];
  for (const file of examples) {
    const orbs = ((file.doc.usage as Doc | undefined)?.orbs ?? {}) as Doc;
    const refs = Object.values(orbs).filter(
      (r): r is string => typeof r === 'string' && r.startsWith(`${opts.orbName}@`),
    );
    if (refs.length === 0) {
      problems.RC011.push(`${file.path}: usage.orbs does not reference ${opts.orbName}`);
    }
    for (const ref of refs) {
      const refMajor = ref.slice(opts.orbName.length + 1).split('.')[0];
      if (refMajor !== major) {
        problems.RC011.push(`${file.path}: uses ${ref}, but the current major version is ${major}`);
      }
    }
  }

  for (const file of components) {
    for (const [key, def] of Object.entries((file.doc.parameters ?? {}) as Record<string, Doc>)) {
      const value = def?.default;
      if (typeof value === 'string' && /\$\{?[A-Za-z_]/.test(value)) {
        problems.RC012.push(
          `${file.path}: parameter "${key}" defaults to an environment variable (${value})`,
        );
      }
    }
  }

  const used = JSON.stringify(examples.map((e) => e.doc.usage));
  for (const section of ['commands', 'jobs']) {
    for (const file of sections[section] ?? []) {
      // An orb reference in a usage: `alias/name` as a key (step or workflow job).
      if (!new RegExp(`"[a-z][\\w-]*/${file.name}"`).test(used)) {
        problems.EX001.push(
          `${file.path}: no usage example uses ${section.slice(0, -1)} ${file.name}`,
        );
      }
    }
  }

  for (const file of components) {
    for (const [key, def] of Object.entries((file.doc.parameters ?? {}) as Record<string, Doc>)) {
      if (typeof def?.type !== 'string') problems.PA001.push(`${file.path}: "${key}" has no type`);
      if (typeof def?.description !== 'string' || !def.description.trim()) {
        problems.PA001.push(`${file.path}: "${key}" has no description`);
      }
      if (def?.type === 'enum' && (!Array.isArray(def.enum) || def.enum.length === 0)) {
        problems.PA001.push(`${file.path}: enum "${key}" lists no values`);
      }
    }
  }

  return problems;
}
