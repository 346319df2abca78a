// The orb packer (`circleci orb pack` semantics, scripts/pack-orb.ts) on small fixture trees,
// and the check that the committed packages/circleci/orb.yml is what packing gives now.

import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  OrbPackError,
  orbFile,
  orbSrcDir,
  packOrb,
  packOrbData,
  STALE_MESSAGE,
} from '../../scripts/pack-orb';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'orb-src-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const ORB_YML = 'version: 2.1\ndescription: A fixture orb.\n';

describe('packOrb: layout', () => {
  it('merges root files at the top level and makes each folder a key with one entry per file', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      'commands/greet.yml': 'description: Greets.\nsteps:\n  - run: echo hi\n',
      'commands/ssh/connect.yml': 'description: Nested folders only organise.\nsteps: [checkout]\n',
      'commands/deeper/still/deep.yaml': 'steps: [checkout]\n',
      'jobs/build.yml': 'docker: [{image: cimg/base:current}]\nsteps: [checkout]\n',
    });
    const orb = packOrbData(src);
    expect(Object.keys(orb)).toEqual(['version', 'description', 'commands', 'jobs']);
    expect(orb.version).toBe(2.1);
    expect(Object.keys(orb.commands as object).sort()).toEqual(['connect', 'deep', 'greet']);
    expect((orb.commands as Record<string, unknown>).greet).toEqual({
      description: 'Greets.',
      steps: [{ run: 'echo hi' }],
    });
    expect(Object.keys(orb.jobs as object)).toEqual(['build']);
  });

  it('merges @-prefixed files at their folder level', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      'extra.yml': 'display:\n  source_url: https://example.com/orb\n',
      'commands/@shared.yml': 'one: {steps: [checkout]}\ntwo: {steps: [checkout]}\n',
      'commands/three.yml': 'steps: [checkout]\n',
    });
    const orb = packOrbData(src);
    expect(orb.display).toEqual({ source_url: 'https://example.com/orb' });
    expect(Object.keys(orb.commands as object).sort()).toEqual(['one', 'three', 'two']);
  });

  it('skips dotfiles, dot folders, non-YAML files and folders without YAML', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      '.hidden.yml': 'secret: true\n',
      '.git/config.yml': 'x: 1\n',
      'README.md': '# not YAML\n',
      'commands/.draft.yml': 'steps: [checkout]\n',
      'commands/notes.txt': 'nothing\n',
      'commands/real.yml': 'steps: [checkout]\n',
      'scripts/run.sh': 'echo hi\n',
    });
    const orb = packOrbData(src);
    expect(Object.keys(orb)).toEqual(['version', 'description', 'commands']);
    expect(Object.keys(orb.commands as object)).toEqual(['real']);
  });

  it('refuses a key defined twice', async () => {
    const twoFiles = await tree({
      'commands/a.yml': 'steps: [checkout]\n',
      'commands/sub/a.yml': 'steps: [checkout]\n',
    });
    expect(() => packOrbData(twoFiles)).toThrow(
      /duplicate key 'a'.*commands\/a\.yml.*commands\/sub\/a\.yml/,
    );
    const atFile = await tree({
      'commands/@all.yml': 'a: {steps: [checkout]}\n',
      'commands/a.yml': 'steps: [checkout]\n',
    });
    expect(() => packOrbData(atFile)).toThrow(OrbPackError);
    const rootAndFolder = await tree({
      '@orb.yml': 'version: 2.1\ncommands: {a: {steps: [checkout]}}\n',
      'commands/b.yml': 'steps: [checkout]\n',
    });
    expect(() => packOrbData(rootAndFolder)).toThrow(/duplicate key 'commands'/);
  });

  it('reads YAML 1.1 booleans and refuses files that are not maps', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      'commands/c.yml':
        'parameters:\n  a: {type: boolean, default: yes}\n  b: {type: boolean, default: off}\nsteps: [checkout]\n',
    });
    const c = (packOrbData(src).commands as Record<string, { parameters: object }>).c;
    expect(c?.parameters).toEqual({
      a: { type: 'boolean', default: true },
      b: { type: 'boolean', default: false },
    });
    const list = await tree({ 'commands/bad.yml': '- a\n- b\n' });
    expect(() => packOrbData(list)).toThrow(/commands\/bad\.yml must have a YAML map/);
    const broken = await tree({ 'commands/bad.yml': 'steps: [\n' });
    expect(() => packOrbData(broken)).toThrow(OrbPackError);
  });
});

describe('packOrb: includes', () => {
  const script = '#!/bin/bash\ncat <<EOF\nvalue: << parameters.x >>\nEOF\n';

  it('inlines <<include(path)>> in commands, jobs and executors, escaping << in the file', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      'scripts/print.sh': script,
      'commands/print.yml':
        'steps:\n  - run:\n      name: Print\n      command: <<include(scripts/print.sh)>>\n',
      'jobs/print.yml':
        'docker: [{image: x}]\nsteps:\n  - run:\n      command: << include(scripts/print.sh) >>\n',
      'executors/e.yml':
        'docker: [{image: x}]\nenvironment: {SCRIPT: "<<include(scripts/print.sh)>>"}\n',
    });
    const orb = packOrbData(src) as Record<string, Record<string, Record<string, unknown>>>;
    const escaped = '#!/bin/bash\ncat \\<<EOF\nvalue: \\<< parameters.x >>\nEOF\n';
    expect(orb.commands?.print?.steps).toEqual([{ run: { name: 'Print', command: escaped } }]);
    expect(orb.jobs?.print?.steps).toEqual([{ run: { command: escaped } }]);
    expect(orb.executors?.e?.environment).toEqual({ SCRIPT: escaped });
  });

  it('resolves an include embedded in a larger string', async () => {
    const src = await tree({
      'scripts/part.sh': 'echo part',
      'commands/c.yml': 'steps:\n  - run: "set -x; <<include(scripts/part.sh)>>; echo done"\n',
    });
    const orb = packOrbData(src) as Record<string, Record<string, { steps: unknown[] }>>;
    expect(orb.commands?.c?.steps).toEqual([{ run: 'set -x; echo part; echo done' }]);
  });

  it('leaves includes outside jobs, commands and executors alone', async () => {
    const src = await tree({
      '@orb.yml': `${ORB_YML}display: {source_url: "<<include(scripts/x.sh)>>"}\n`,
      'scripts/x.sh': 'echo x',
      'examples/e.yml': 'description: d\nusage:\n  steps: ["<<include(scripts/x.sh)>>"]\n',
    });
    const orb = packOrbData(src) as Record<string, Record<string, unknown>>;
    expect(orb.display?.source_url).toBe('<<include(scripts/x.sh)>>');
    expect(orb.examples?.e).toEqual({
      description: 'd',
      usage: { steps: ['<<include(scripts/x.sh)>>'] },
    });
  });

  it('fails on a missing file and on a path that leaves src/', async () => {
    const missing = await tree({
      'commands/c.yml': 'steps: [{run: "<<include(scripts/nope.sh)>>"}]\n',
    });
    expect(() => packOrbData(missing)).toThrow(/could not open scripts\/nope\.sh for inclusion/);
    const outside = await tree({
      'commands/c.yml': 'steps: [{run: "<<include(../etc/passwd)>>"}]\n',
    });
    expect(() => packOrbData(outside)).toThrow(/leaves the orb's src folder/);
  });
});

describe('packOrb: output', () => {
  it('writes YAML with 4-space indents that reads back as the packed data', async () => {
    const src = await tree({
      '@orb.yml': ORB_YML,
      'scripts/s.sh': 'echo "<<x>>"\n',
      'commands/c.yml':
        'parameters:\n  p: {type: string, default: ""}\nsteps:\n  - run:\n      command: <<include(scripts/s.sh)>>\n',
    });
    const text = packOrb(src);
    expect(text).toMatch(/^commands:\n {4}c:\n {8}parameters:\n {12}p:\n/m);
    expect(parse(text)).toEqual(packOrbData(src));
  });
});

describe('packages/circleci/orb.yml', () => {
  it('is what `npm run pack-orb` makes of packages/circleci/src', () => {
    let committed = '';
    try {
      committed = readFileSync(orbFile, 'utf8');
    } catch {
      expect.fail(`packages/circleci/orb.yml is missing: ${STALE_MESSAGE}`);
    }
    if (committed !== packOrb(orbSrcDir)) expect.fail(STALE_MESSAGE);
  });
});
