/**
 * The shared library's files, without running Groovy: layout, help text covering every option,
 * README topics, and the step's options matching the CLI's flags (so a renamed flag fails here,
 * not on a Jenkins agent).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, COMMON_FLAGS } from '../../packages/cli/src/usage';
import { LIBRARY, STEP_SOURCE, stepOptions } from './harness';

const source = await readFile(STEP_SOURCE, 'utf8');
const help = await readFile(join(LIBRARY, 'vars/withTeleport.txt'), 'utf8');
const readme = await readFile(join(LIBRARY, 'README.md'), 'utf8');
const { flags, own } = await stepOptions();
const kinds = [
  ...(/kinds\(\) \{\s*return \[([^\]]*)\]/.exec(source)?.[1] ?? '').matchAll(/'([\w-]+)'/g),
].map((m) => m[1]!);

describe('Jenkins shared library files', () => {
  it('is a private ESM workspace package', async () => {
    const pkg = JSON.parse(await readFile(join(LIBRARY, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@teleport-actions/jenkins', private: true, type: 'module' });
  });

  it('defines a block step: call(Map, Closure)', () => {
    expect(source).toMatch(/^def call\(Map opts = \[:\], Closure body\)/m);
    expect(Object.keys(flags).length).toBeGreaterThan(10);
    expect(own).toEqual(
      expect.arrayContaining([
        'kind',
        'version',
        'cliPath',
        'cliDownloadUrl',
        'registrationSecretCredentialsId',
      ]),
    );
  });

  it('calls no pipeline step from a @NonCPS method (Jenkins would not run it right)', () => {
    const nonCps = [...source.matchAll(/^@NonCPS\n([^\n]*)\n([\s\S]*?)^\}/gm)];
    expect(nonCps.length).toBeGreaterThan(8);
    for (const [, signature, body] of nonCps) {
      expect(body, signature).not.toMatch(
        /\b(sh|withEnv|withCredentials|error|echo|readFile|dir|deleteDir|pwd|string)\s*[({]/,
      );
    }
  });

  it('documents every option and kind in vars/withTeleport.txt', () => {
    for (const option of [...Object.keys(flags), ...own]) {
      expect(help, option).toContain(`<code>${option}</code>`);
    }
    for (const kind of kinds) expect(help, kind).toContain(`<code>${kind}</code>`);
    // Jenkins shows the help as HTML: no stray '<' from examples.
    expect(help.replace(/<\/?[a-z][a-z0-9]*>/g, '')).not.toMatch(/</);
  });

  it('uses only flags the CLI has', () => {
    expect(kinds.sort()).toEqual(
      Object.keys(COMMANDS)
        .filter((c) => c.startsWith('auth') || c.endsWith('-tunnel'))
        .sort(),
    );
    const kindFlags = new Set(kinds.flatMap((k) => Object.keys(COMMANDS[k]!.flags)));
    for (const flag of Object.values(flags)) expect(kindFlags, flag).toContain(flag);
    for (const kind of kinds) {
      expect(COMMANDS[kind]!.flags).toHaveProperty('out');
      expect(COMMANDS[kind]!.switches).toHaveProperty('print-env');
    }
    expect(Object.keys(COMMANDS.setup!.flags)).toEqual(
      expect.arrayContaining(['version', 'proxy', 'cdn-base-url']),
    );
    expect(COMMANDS.setup!.switches).toHaveProperty('print-env');
    expect(COMMON_FLAGS).toHaveProperty('state-file');
    expect(COMMANDS).toHaveProperty('cleanup');
  });

  it('README covers installing and pinning the library, agents, examples, join methods and the daemon', () => {
    for (const topic of [
      'Global Trusted Pipeline Libraries',
      'Library Path',
      "@Library('teleport') _",
      "@Library('teleport@v1.2.3') _",
      'teleport-actions/jenkins-library',
      'gh attestation verify',
      'cliPath',
      'cliDownloadUrl',
      'TELEPORT_CI_BIN',
      'Node.js 20',
      'apk add nodejs npm',
      'JenkinsPipelineUnit',
      'Deploying tbot on Jenkins',
      'ssh -F "$TELEPORT_SSH_CONFIG"',
      'kubectl',
      'database-tunnel',
      'bound_keypair',
      'registrationSecretCredentialsId',
      'generic_oidc',
      'OpenID Connect Provider plugin',
      'teleport-ci daemon install',
      'default-jre-headless',
      'maven',
    ]) {
      expect(readme, topic).toContain(topic);
    }
  });
});
