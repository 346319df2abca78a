/**
 * GitLab's CI JSON schema (`app/assets/javascripts/editor/schema/ci.json`) as vendored by the
 * pinned gitlab-ci-local (its `src/schema.json`). The npm package ships only a bundle, where the
 * schema is an object literal; this reads that literal back, unmodified (gitlab-ci-local relaxes
 * a few patterns at run time; the literal is GitLab's original).
 */
import { readFile } from 'node:fs/promises';
import { runInNewContext } from 'node:vm';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { gclEntry } from './harness';

const MARKER = '$id:"https://gitlab.com/.gitlab-ci.yml"';

/** The index just past the object literal that starts at `start` (`{`), skipping strings. */
function endOfLiteral(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error('unterminated schema literal');
}

let cached: Record<string, unknown> | undefined;

export async function gitlabCiSchema(): Promise<Record<string, unknown>> {
  if (cached) return cached;
  const bundle = await readFile(gclEntry, 'utf8');
  const at = bundle.indexOf(MARKER);
  if (at < 0) throw new Error(`GitLab CI schema not found in ${gclEntry}`);
  const start = bundle.lastIndexOf('{', at);
  const literal = bundle.slice(start, endOfLiteral(bundle, start));
  const schema = runInNewContext(`(${literal})`, {}) as Record<string, unknown>;
  // Round-trip through JSON: plain data only, no functions or getters from the bundle.
  cached = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return cached;
}

export async function gitlabCiValidator(): Promise<ValidateFunction> {
  const schema = await gitlabCiSchema();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}
