/**
 * Packs the CircleCI orb in `packages/circleci/src` (orb development kit layout) into the
 * committed `packages/circleci/orb.yml`, with the semantics of `circleci orb pack`, which is a
 * Go binary we cannot install here:
 *
 * - YAML files at the root of `src/` merge at the top level (`@orb.yml`).
 * - Each folder under `src/` becomes a top-level key, with one entry per YAML file in it (the
 *   file name without its extension); deeper folders only organise files. Files whose names
 *   start with `@` merge at their folder's level instead.
 * - Dotfiles and non-YAML files are skipped (so `scripts/` adds no key); YAML 1.1 scalars
 *   (`yes`/`no`/`on`/`off`) are read as booleans. A key defined twice is an error.
 * - `<<include(path)>>` in strings under `jobs`, `commands` and `executors` (and only there) is
 *   replaced by that file's text, read relative to `src/`; the directive may sit inside a
 *   larger string. Every `<<` in included text becomes `\<<`, so a heredoc in a script is not
 *   taken for CircleCI parameter syntax.
 * - Output uses 4-space indents.
 *
 * Usage: `npm run pack-orb` writes orb.yml; `npm run pack-orb -- --check` fails when it is stale.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, stringify } from 'yaml';
import { repoRoot } from './repo-root';

export { repoRoot } from './repo-root';

export class OrbPackError extends Error {
  override name = 'OrbPackError';
}

type YamlMap = Record<string, unknown>;

const INCLUDE_RE = /<<\s*include\(([-\w/.]+)\)\s*>>/g;
const INCLUDE_SECTIONS = new Set(['jobs', 'commands', 'executors']);
const HEADER =
  '# Generated from packages/circleci/src by `npm run pack-orb` (circleci orb pack semantics).\n' +
  '# Do not edit: change the sources and pack again.\n';

const isYamlFile = (name: string) => /^[^.].*\.ya?ml$/.test(name);
const isPlainMap = (v: unknown): v is YamlMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function rel(root: string, path: string): string {
  return relative(root, path) || '.';
}

/** Reads one orb source file: a YAML 1.1 map (an empty file is an empty map). */
function readYamlMap(root: string, path: string): YamlMap {
  const doc = parseDocument(readFileSync(path, 'utf8'), { version: '1.1', prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new OrbPackError(`${rel(root, path)}: ${doc.errors[0]?.message}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || value === undefined) return {};
  if (!isPlainMap(value)) {
    throw new OrbPackError(`${rel(root, path)} must have a YAML map at its root`);
  }
  return value;
}

/** Merges `from` into `into`, refusing keys already defined (where: for the message). */
function mergeInto(into: YamlMap, from: YamlMap, where: string, origins: Map<string, string>) {
  for (const [key, value] of Object.entries(from)) {
    const before = origins.get(key);
    if (before !== undefined) {
      throw new OrbPackError(`duplicate key '${key}': defined in ${before} and in ${where}`);
    }
    origins.set(key, where);
    into[key] = value;
  }
}

function listDir(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) dirs.push(full);
    else if (isYamlFile(name)) files.push(full);
  }
  return { files, dirs };
}

/** Every YAML file under dir (deeper folders only organise), sorted by path. */
function yamlFilesUnder(dir: string): string[] {
  const { files, dirs } = listDir(dir);
  return [...files, ...dirs.flatMap(yamlFilesUnder)].sort();
}

function packSection(root: string, dir: string): YamlMap {
  const section: YamlMap = {};
  const origins = new Map<string, string>();
  for (const file of yamlFilesUnder(dir)) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    const where = rel(root, file);
    if (name.startsWith('@')) {
      mergeInto(section, readYamlMap(root, file), where, origins);
    } else {
      const key = name.slice(0, -extname(name).length);
      mergeInto(section, { [key]: readYamlMap(root, file) }, where, origins);
    }
  }
  return section;
}

/** Replaces include directives in one string (see the file comment). */
function resolveIncludes(root: string, text: string, where: string): string {
  return text.replace(INCLUDE_RE, (_match, path: string) => {
    const full = resolve(root, path);
    const inside = relative(root, full);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new OrbPackError(`${where}: include path '${path}' leaves the orb's src folder`);
    }
    let content: string;
    try {
      content = readFileSync(full, 'utf8');
    } catch {
      throw new OrbPackError(`${where}: could not open ${path} for inclusion`);
    }
    return content.replaceAll('<<', '\\<<');
  });
}

function walkIncludes(root: string, value: unknown, where: string): unknown {
  if (typeof value === 'string') return resolveIncludes(root, value, where);
  if (Array.isArray(value)) return value.map((v, i) => walkIncludes(root, v, `${where}[${i}]`));
  if (isPlainMap(value)) {
    const out: YamlMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = walkIncludes(root, v, `${where}.${k}`);
    return out;
  }
  return value;
}

/** The packed orb as data (includes resolved). */
export function packOrbData(srcDir: string): YamlMap {
  const root = resolve(srcDir);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new OrbPackError(`${srcDir} is not a folder`);
  }
  const orb: YamlMap = {};
  const origins = new Map<string, string>();
  const { files, dirs } = listDir(root);
  for (const file of files) mergeInto(orb, readYamlMap(root, file), rel(root, file), origins);
  for (const dir of dirs) {
    const section = packSection(root, dir);
    if (Object.keys(section).length === 0) continue; // e.g. scripts/: no YAML, no key
    const key = dir.slice(dir.lastIndexOf('/') + 1);
    mergeInto(orb, { [key]: section }, `${rel(root, dir)}/`, origins);
  }
  for (const key of Object.keys(orb)) {
    if (INCLUDE_SECTIONS.has(key)) orb[key] = walkIncludes(root, orb[key], key);
  }
  return orb;
}

/** `circleci orb pack` for srcDir: the packed orb as YAML text. */
export function packOrb(srcDir: string): string {
  return HEADER + stringify(packOrbData(srcDir), { indent: 4, lineWidth: 100 });
}

export const orbSrcDir = join(repoRoot, 'packages', 'circleci', 'src');
export const orbFile = join(repoRoot, 'packages', 'circleci', 'orb.yml');
export const STALE_MESSAGE =
  'packages/circleci/orb.yml is stale: run `npm run pack-orb` and commit the result.';

/** Whether the committed orb.yml is what packing the sources gives now. */
export function orbIsCurrent(): boolean {
  let committed = '';
  try {
    committed = readFileSync(orbFile, 'utf8');
  } catch {
    return false;
  }
  return committed === packOrb(orbSrcDir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--check')) {
      if (!orbIsCurrent()) {
        console.error(STALE_MESSAGE);
        process.exit(1);
      }
      console.log('packages/circleci/orb.yml is current.');
    } else {
      writeFileSync(orbFile, packOrb(orbSrcDir));
      console.log(`packed ${relative(repoRoot, orbSrcDir)} into ${relative(repoRoot, orbFile)}`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
