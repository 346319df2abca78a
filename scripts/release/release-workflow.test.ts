// .github/workflows/release.yml cannot run outside GitHub. Its schema is checked with the other
// workflows (scripts/validate-yaml.test.ts); here every `${{ }}` goes through GitHub's own
// expression parser, and the rules a release workflow must keep are checked on the file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Expr, Lexer, Parser } from '@actions/expressions';
import { ContextAccess, FunctionCall, IndexAccess, Literal } from '@actions/expressions/ast';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionPackages, repoRoot } from '../build';
import { JENKINS_LIBRARY_REPOSITORY } from './assemble';
import { parseReleaseTag } from './tags';

type Obj = Record<string, unknown>;
const file = join(repoRoot, '.github', 'workflows', 'release.yml');
const text = await readFile(file, 'utf8');
const workflow = parse(text) as Obj;
const jobs = workflow.jobs as Record<string, Obj>;

const CONTEXTS = [
  'github',
  'env',
  'vars',
  'secrets',
  'steps',
  'needs',
  'runner',
  'job',
  'inputs',
  'matrix',
  'strategy',
];
const FUNCTIONS = ['success', 'always', 'failure', 'cancelled', 'hashFiles'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 255,
}));

/** Every `${{ expr }}` in a YAML value, with where it sits (job id and key path). */
function expressions(
  node: unknown,
  where: string[],
  out: { expr: string; where: string[] }[] = [],
) {
  if (typeof node === 'string') {
    for (const m of node.matchAll(/\$\{\{(.*?)\}\}/gs)) out.push({ expr: m[1]!.trim(), where });
  } else if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) expressions(v, [...where, String(i)], out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) expressions(v, [...where, k], out);
  }
  return out;
}

/** Context paths an expression reads: `steps.plan.outputs.version` → ['steps','plan','outputs','version']. */
function contextPaths(expr: Expr): string[][] {
  const found: string[][] = [];
  const chain = (e: Expr): string[] | undefined => {
    if (e instanceof ContextAccess) return [e.name.lexeme];
    if (e instanceof IndexAccess && e.index instanceof Literal) {
      const base = chain(e.expr);
      return base ? [...base, e.index.literal.coerceString()] : undefined;
    }
    return undefined;
  };
  const walk = (e: Expr, insideChain: boolean) => {
    const c = chain(e);
    if (c && !insideChain) found.push(c);
    if (e instanceof IndexAccess) {
      walk(e.expr, c !== undefined);
      walk(e.index, false);
    } else if (e instanceof FunctionCall) {
      for (const a of e.args) walk(a, false);
    } else {
      for (const key of ['left', 'right', 'expr', 'group'] as const) {
        const child = (e as unknown as Record<string, unknown>)[key];
        if (child && typeof child === 'object' && 'accept' in child) walk(child as Expr, false);
      }
      for (const a of (e as unknown as { args?: Expr[] }).args ?? []) walk(a, false);
    }
  };
  walk(expr, false);
  return found;
}

const all = expressions(workflow, []);

describe('release.yml', () => {
  it('every expression parses with GitHub’s parser and reads known contexts', () => {
    expect(all.length).toBeGreaterThan(5);
    for (const { expr, where } of all) {
      const { tokens } = new Lexer(expr).lex();
      const parsed = new Parser(tokens, CONTEXTS, FUNCTIONS).parse();
      for (const path of contextPaths(parsed)) {
        expect(CONTEXTS, `${where.join('.')}: ${expr}`).toContain(path[0]);
      }
    }
  });

  it('steps.<id> and needs.<job> references point at real steps, jobs and outputs', () => {
    for (const { expr, where } of all) {
      const [, jobId] = where;
      const job = jobs[jobId!]!;
      const { tokens } = new Lexer(expr).lex();
      for (const path of contextPaths(new Parser(tokens, CONTEXTS, FUNCTIONS).parse())) {
        if (path[0] === 'steps') {
          const ids = (job.steps as Obj[]).map((s) => s.id);
          expect(ids, `${jobId}: ${expr}`).toContain(path[1]);
        }
        if (path[0] === 'needs') {
          const needs = [job.needs].flat();
          expect(needs, `${jobId}: ${expr}`).toContain(path[1]);
          const outputs = (jobs[path[1]!]!.outputs ?? {}) as Obj;
          expect(Object.keys(outputs), `${jobId}: ${expr}`).toContain(path[3]);
        }
      }
    }
  });

  it('runs on release tags only, and the tag filter matches what the release scripts accept', () => {
    const tags = ((workflow.on as Obj).push as Obj).tags as string[];
    expect(Object.keys(workflow.on as Obj)).toEqual(['push']);
    // GitHub's filter glob: '*' matches any run of characters except '/'.
    const matches = (tag: string) =>
      tags.some((glob) =>
        new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(
          tag,
        ),
      );
    for (const tag of ['v1.0.0', 'v1.2.3', 'v2.0.0-rc.1']) {
      expect(matches(tag), tag).toBe(true);
      expect(() => parseReleaseTag(tag)).not.toThrow();
    }
    expect(matches('v1')).toBe(false); // moving the major tag must not start a release
  });

  it('least privilege: no default permissions; id-token and write scopes only where needed', () => {
    expect(workflow.permissions).toEqual({});
    const perms = Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.permissions]));
    expect(perms).toEqual({
      test: { contents: 'read' },
      assemble: { contents: 'read', 'id-token': 'write', attestations: 'write' },
      'push-actions': { contents: 'read' },
      'publish-cli': { contents: 'read', 'id-token': 'write' },
      'github-release': { contents: 'write' },
    });
    expect(jobs['push-actions']!.environment).toBe('release');
    expect(jobs['publish-cli']!.environment).toBe('release');
  });

  it('pins every third-party action by full commit SHA, with the tag in a comment', () => {
    const uses = [...text.matchAll(/uses:\s*(\S+)(.*)/g)];
    expect(uses.length).toBeGreaterThan(5);
    for (const [, ref, comment] of uses) {
      expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment, ref).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
    const checkouts = Object.values(jobs)
      .flatMap((j) => j.steps as Obj[])
      .filter((s) => String(s.uses).startsWith('actions/checkout@'));
    // The App token must be the only credential git uses when pushing.
    for (const c of checkouts) expect((c.with as Obj)['persist-credentials']).toBe(false);
  });

  it('no expression is spliced into a shell script (values reach run: through env)', () => {
    for (const job of Object.values(jobs)) {
      for (const step of job.steps as Obj[]) {
        if (typeof step.run === 'string') expect(step.run).not.toContain('${{');
      }
    }
  });

  it('the App token covers exactly the repositories this repository releases into', async () => {
    const step = (jobs['push-actions']!.steps as Obj[]).find((s) => s.id === 'app-token')!;
    const repos = String((step.with as Obj).repositories)
      .trim()
      .split('\n')
      .sort();
    expect(repos).toEqual([...(await actionPackages()), JENKINS_LIBRARY_REPOSITORY].sort());
  });

  it('calls scripts that exist', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
    expect(text).toContain('npm run release:assemble');
    expect(pkg.scripts['release:assemble']).toBe('tsx scripts/release/assemble.ts');
    for (const m of text.matchAll(/npx tsx (scripts\/\S+\.ts)/g)) {
      await expect(readFile(join(repoRoot, m[1]!))).resolves.toBeTruthy();
    }
  });
});
