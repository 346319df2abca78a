/**
 * Static checks of the GitLab CI/CD component (GitLab's component conventions; the static
 * stage): layout, header, inputs, and the body against GitLab's own CI schema.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliVersion, generateWrappers, unreleasedStamp } from '../../scripts/gen-wrappers';
import { componentDir, repoRoot } from './harness';
import { gitlabCiValidator } from './schema';
import {
  type InputSpec,
  inputsOf,
  interpolate,
  loadTemplates,
  type Template,
  usedInputs,
} from './templates';

const templates = await loadTemplates();
const names = templates.map((t) => t.name);

/** Values for required inputs (no default), so a body can be rendered with the defaults. */
const SAMPLES: Record<string, unknown> = {
  cluster: 'teleport.example.com',
  proxy: 'teleport.example.com:443',
  token: 'gitlab-demo',
  host: 'node1',
  login: 'root',
  command: 'hostname',
};

const INPUT_KEYS = new Set(['description', 'type', 'default', 'options', 'regex', 'rules']);
/** Keywords a component must not set globally (GitLab's authoring guidance). */
const GLOBAL_KEYWORDS = [
  'default',
  'variables',
  'stages',
  'workflow',
  'include',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'pages',
];

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v;
}

/** What GitLab would say about a value for this input, or null if it is accepted. */
function inputProblem(spec: InputSpec, value: unknown): string | null {
  const type = spec.type ?? 'string';
  if (typeOf(value) !== type) return `is a ${typeOf(value)}, not a ${type}`;
  if (spec.options && !spec.options.includes(value)) return `is not one of ${spec.options}`;
  if (spec.regex && !new RegExp(spec.regex).test(String(value))) return `fails ${spec.regex}`;
  return null;
}

describe('component project layout', () => {
  it('has templates/ with 1 to 30 components, named like GitLab wants', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(30);
    for (const n of names) expect(n).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(names).toEqual(expect.arrayContaining(['teleport', 'ssh']));
  });

  it('has a README that shows every component and the aud requirement', async () => {
    const readme = await readFile(join(componentDir, 'README.md'), 'utf8');
    for (const n of names) expect(readme).toContain(`/${n}@`);
    expect(readme).toMatch(/aud/);
    expect(readme).toMatch(/cluster name/i);
  });

  it('is a private ESM workspace package', async () => {
    const pkg = JSON.parse(await readFile(join(componentDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@teleport-actions/gitlab', private: true, type: 'module' });
  });
});

describe.each(templates.map((t) => [t.name, t] as const))('templates/%s', (_name, t: Template) => {
  const inputs = inputsOf(t);
  const defaults = Object.fromEntries(
    Object.entries(inputs).flatMap(([k, s]) => ('default' in s ? [[k, s.default]] : [])),
  );
  const rendered = () => interpolate(t.body, { ...SAMPLES, ...defaults });
  let validate: Awaited<ReturnType<typeof gitlabCiValidator>>;
  beforeAll(async () => {
    validate = await gitlabCiValidator();
  });

  it('is a header and a body: two YAML documents, no errors or warnings', () => {
    expect(t.errors).toEqual([]);
    expect(t.documents).toBe(2);
    expect(Object.keys(t.header)).toEqual(['spec']);
    expect(Object.keys(t.header.spec ?? {})).toEqual(['inputs']);
    expect(t.text).toMatch(/\n---\n/);
  });

  it('header is valid for GitLab (its CI schema)', () => {
    const ok = validate({ spec: t.header.spec });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(Object.keys(inputs))('input %s: described, typed, sane keys', (name) => {
    const spec = inputs[name]!;
    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    for (const k of Object.keys(spec)) expect(INPUT_KEYS.has(k), `${name}.${k}`).toBe(true);
    expect(spec.description?.trim().length ?? 0, `${name} needs a description`).toBeGreaterThan(10);
    expect(['string', 'number', 'boolean', 'array']).toContain(spec.type ?? 'string');
    // GitLab accepts `regex` on string inputs only.
    if (spec.regex !== undefined) expect(spec.type ?? 'string').toBe('string');
    if (spec.options !== undefined) expect(spec.options.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(inputs))(
    'input %s: the default satisfies its own type/options/regex',
    (n) => {
      const spec = inputs[n]!;
      if (!('default' in spec)) return;
      expect(inputProblem(spec, spec.default)).toBeNull();
    },
  );

  it.each(Object.keys(inputs).filter((n) => inputs[n]!.regex))(
    'input %s: the regex is anchored, RE2-compatible and rejects a neighbour',
    (n) => {
      const re = inputs[n]!.regex!;
      expect(re.startsWith('^') && re.endsWith('$')).toBe(true);
      // GitLab evaluates input regexes with RE2: no lookaround, no backreferences.
      expect(re).not.toMatch(/\(\?[=!<]|\\[1-9]/);
      expect(new RegExp(re).test('has space and "quotes"')).toBe(false);
    },
  );

  it('every input is used in the body, and every interpolation names an input', () => {
    expect([...usedInputs(t.body)].sort()).toEqual(Object.keys(inputs).sort());
    // No interpolation functions: gitlab-ci-local ignores them, GitLab limits them.
    expect(t.text).not.toMatch(/\$\[\[[^\]]*\|/);
  });

  it('sets no global keywords', () => {
    for (const k of GLOBAL_KEYWORDS) expect(Object.keys(t.body)).not.toContain(k);
  });

  it('body is valid for GitLab (its CI schema), raw and rendered with the defaults', () => {
    for (const doc of [t.body, rendered()]) {
      const ok = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('every job asks for TBOT_GITLAB_JWT with aud = the cluster input', () => {
    for (const [job, def] of Object.entries(t.body)) {
      const d = def as Record<string, unknown>;
      if (!d.before_script) continue; // e.g. the image-only template
      expect(d.id_tokens, job).toEqual({ TBOT_GITLAB_JWT: { aud: '$[[ inputs.cluster ]]' } });
    }
  });

  it('never puts the ID token on a command line or in the log', () => {
    const scripts = JSON.stringify(
      Object.values(t.body).map((d) => {
        const j = d as Record<string, unknown>;
        return [j.before_script, j.script, j.after_script];
      }),
    );
    expect(scripts).not.toMatch(/\$\{?TBOT_GITLAB_JWT/);
    expect(scripts).not.toMatch(/set -x|(^|[\s;|&])(env|printenv)(\s|$)/);
  });

  it('fails the job when a teleport-ci command fails (no bare eval "$(...)")', () => {
    expect(t.text).not.toMatch(/eval "\$\(/);
    for (const m of t.text.matchAll(/teleport_env="\$\(.*\)"(.*)$/gm)) {
      expect(m[1]).toContain('|| exit $?');
    }
  });
});

describe('templates agree with each other and with the CLI', () => {
  const shared = ['cluster', 'proxy', 'token', 'join_method', 'version', 'setup', 'roles'];

  it('shared inputs are declared identically', () => {
    const [first, ...rest] = templates;
    for (const other of rest) {
      for (const name of [...shared, 'certificate_ttl', 'image', 'cli_path', 'cli_download_url']) {
        expect(inputsOf(other)[name], `${other.name}.${name}`).toEqual(inputsOf(first!)[name]);
      }
    }
  });

  it('carries the current find-teleport-ci.sh, stamped with the CLI package version', async () => {
    const stale = await generateWrappers(repoRoot, unreleasedStamp(await cliVersion()), {
      check: true,
    });
    expect(stale.filter((f) => f.includes('gitlab'))).toEqual([]);
    const pkg = JSON.parse(
      await readFile(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'),
    );
    for (const t of templates) {
      expect(t.text).toContain(`teleport_ci_release_version='${pkg.version}'`);
    }
  });
});

describe('input validation helpers match GitLab semantics', () => {
  const t = templates.find((x) => x.name === 'teleport')!;
  const inputs = inputsOf(t);

  it.each([
    ['proxy', 'teleport.example.com:443', true],
    ['proxy', 'teleport.example.com', true],
    ['proxy', '[::1]:3080', true],
    ['proxy', '$TELEPORT_PROXY', true],
    ['proxy', 'https://teleport.example.com', false],
    ['proxy', 'teleport.example.com/web', false],
    ['cluster', 'teleport.example.com', true],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/GitLab variable reference
    ['cluster', '${TELEPORT_CLUSTER}', true],
    ['cluster', 'teleport.example.com:443', false],
    ['cluster', 'https://teleport.example.com', false],
    ['version', 'auto', true],
    ['version', '17.4.2', true],
    ['version', 'v18.0.0-beta.1', true],
    ['version', '17', false],
    ['version', 'latest', false],
    ['token', 'gitlab-demo', true],
    ['token', '$TELEPORT_BOT_TOKEN', true],
    ['token', 'gitlab demo', false],
    ['certificate_ttl', '2h30m', true],
    ['certificate_ttl', '1 hour', false],
    ['roles', 'access,deploy', true],
    ['roles', 'a;rm -rf /', false],
    ['join_method', 'gitlab', true],
    ['join_method', 'github', false],
    ['setup', false, true],
    ['setup', 'no', false],
  ] as const)('%s = %j accepted: %s', (name, value, ok) => {
    expect(inputProblem(inputs[name]!, value) === null).toBe(ok);
  });
});
