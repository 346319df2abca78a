// The orb development kit's review rules (RC001-RC012, see review.ts) and our own (EX001,
// PA001): the orb passes every one, and each one catches the mistake it is about.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { orbSrcDir } from '../../scripts/pack-orb';
import { ORB_NAME } from './interpreter';
import { RULES, type RuleId, reviewOrb } from './review';

const pkg = JSON.parse(readFileSync(join(orbSrcDir, '..', 'package.json'), 'utf8')) as {
  version: string;
};
const options = { orbName: ORB_NAME, version: pkg.version };

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A copy of the orb's source with one change made to it. */
function mutated(change: (src: string) => void): string {
  const src = mkdtempSync(join(tmpdir(), 'orb-review-'));
  made.push(src);
  cpSync(orbSrcDir, src, { recursive: true });
  change(src);
  return src;
}

// biome-ignore lint/suspicious/noExplicitAny: free-form edits of YAML documents
type Doc = Record<string, any>;
function edit(src: string, file: string, fn: (doc: Doc) => void): void {
  const path = join(src, file);
  const doc = parse(readFileSync(path, 'utf8')) as Doc;
  fn(doc);
  writeFileSync(path, stringify(doc));
}

const review = (src: string) => reviewOrb(src, options);

describe('orb review', () => {
  const problems = review(orbSrcDir);
  it.each(Object.keys(RULES) as RuleId[])('%s passes', (rule) => {
    expect(problems[rule]).toEqual([]);
  });
});

const cases: [RuleId, string, (src: string) => void, RegExp][] = [
  [
    'RC001',
    'no source_url',
    (s) => edit(s, '@orb.yml', (d) => delete d.display.source_url),
    /source_url/,
  ],
  [
    'RC002',
    'a command without description',
    (s) => edit(s, 'commands/setup.yml', (d) => delete d.description),
    /commands\/setup\.yml is missing a description/,
  ],
  [
    'RC003',
    'no examples',
    (s) => rmSync(join(s, 'examples'), { recursive: true }),
    /no usage example/,
  ],
  [
    'RC004',
    'an example named "example"',
    (s) => renameSync(join(s, 'examples/ssh_to_node.yml'), join(s, 'examples/ssh_example.yml')),
    /ssh_example\.yml/,
  ],
  [
    'RC005',
    'a short orb description',
    (s) => edit(s, '@orb.yml', (d) => (d.description = 'Teleport for CircleCI.')),
    /under 64 characters/,
  ],
  [
    'RC006',
    'a source_url that is not a GitHub repository',
    (s) => edit(s, '@orb.yml', (d) => (d.display.source_url = 'http://example.com')),
    /source_url "http:\/\/example\.com"/,
  ],
  [
    'RC007',
    'a home_url that is not https',
    (s) => edit(s, '@orb.yml', (d) => (d.display.home_url = 'goteleport.com/docs')),
    /home_url/,
  ],
  [
    'RC008',
    'a run step without a name',
    (s) => edit(s, 'commands/setup.yml', (d) => delete d.steps[1].run.name),
    /commands\/setup\.yml\.steps\[1\]\.run: run step without a name/,
  ],
  [
    'RC009',
    'a long inline command',
    (s) =>
      edit(s, 'commands/cleanup.yml', (d) => {
        d.steps[0].run.command = `echo "${'x'.repeat(70)}"`;
      }),
    /longer than 64 characters/,
  ],
  [
    'RC010',
    'a kebab-case file name',
    (s) => renameSync(join(s, 'commands/auth_ssh.yml'), join(s, 'commands/auth-ssh.yml')),
    /auth-ssh\.yml: component names should be snake_cased/,
  ],
  [
    'RC010',
    'a kebab-case parameter',
    (s) =>
      edit(s, 'commands/setup.yml', (d) => {
        d.parameters['cli-path'] = d.parameters.cli_path;
      }),
    /parameter "cli-path"/,
  ],
  [
    'RC011',
    'an example on an old major version',
    (s) =>
      edit(s, 'examples/ssh_to_node.yml', (d) => {
        d.usage.orbs.teleport = `${ORB_NAME}@0.9.1`;
      }),
    /uses teleport-actions\/teleport@0\.9\.1, but the current major version is 1/,
  ],
  [
    'RC012',
    'an environment variable as a default',
    (s) =>
      edit(s, 'commands/auth.yml', (d) => {
        d.parameters.proxy.default = '$TELEPORT_PROXY';
      }),
    /"proxy" defaults to an environment variable/,
  ],
  [
    'EX001',
    'a command no example uses',
    (s) => rmSync(join(s, 'examples/kubectl_access.yml')),
    /no usage example uses command auth_k8s/,
  ],
  [
    'PA001',
    'a parameter without description',
    (s) => edit(s, 'jobs/deploy_over_ssh.yml', (d) => delete d.parameters.out.description),
    /"out" has no description/,
  ],
];

describe('each review rule catches its mistake', () => {
  it.each(cases)('%s: %s', (rule, _what, change, message) => {
    const found = review(mutated(change));
    expect(found[rule].join('\n')).toMatch(message);
  });
});
