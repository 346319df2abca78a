/**
 * What withTeleport hands to the shell and what it reads back: hostile option values stay
 * inert under dash (Jenkins' `sh` on Debian agents) and bash, and its parser reads exactly
 * what the real CLI's `--print-env` writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellExports } from '../../packages/cli/src/env-export';
import {
  fakeCalls,
  folderOf,
  groovyArgs,
  groovyProblem,
  leftovers,
  result,
  runPipeline,
  SKIP_GROOVY,
  sandbox,
} from './harness';

const describeGroovy = SKIP_GROOVY ? describe.skip : describe;

/** Values that would run `touch <canary>` (or worse) if interpolated into a command line. */
function hostile(canary: string): string[] {
  return [
    "'; rm -rf ~ #",
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `"; touch ${canary}; "`,
    `x\ntouch ${canary}`,
    `'$(touch ${canary})'`,
    `\\'; touch ${canary}; echo \\'`,
    '--debug',
    'a b\tc * ?',
    '',
    'ünïcødé ✓',
    `x'y"z\\`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, on purpose
    '$HOME ${HOME} ~',
  ];
}

describeGroovy.concurrent('withTeleport quoting and parsing', () => {
  beforeAll(() => {
    const problem = groovyProblem();
    if (problem) throw new Error(problem);
  });

  it.each(['/bin/sh', '/bin/bash'])(
    'keeps hostile option values and an odd temp path inert (%s)',
    async (shell) => {
      // WORKSPACE_TMP with a space, quotes and a command substitution in its name.
      const s = await sandbox({ fake: true, workspaceTmpName: 'my job\'s "tmp" $(touch ws-bad)' });
      const canary = join(s.root, 'canary');
      const v = hostile(canary);
      const options = {
        proxy: v[0]!,
        token: v[1]!,
        joinMethod: v[2]!,
        roles: v[3]!,
        certificateTtl: v[4]!,
        kubernetesCluster: v[7]!,
        app: v[8]!,
        service: v[10]!,
        database: v[11]!,
        username: v[5]!,
        listen: v[12]!,
      };
      const b = await runPipeline(
        s,
        `withTeleport(${groovyArgs({ ...options, kind: 'auth-ssh' })}) {
  sh 'cat "$TELEPORT_IDENTITY_FILE" > "$RESULTS/identity"'
}`,
        { shell },
      );
      expect(b.log, b.log).toContain('Finished: SUCCESS');
      expect(existsSync(canary)).toBe(false);
      const made = spawnSync('find', [s.root, '-name', 'canary', '-o', '-name', 'ws-bad']);
      expect(made.stdout.toString()).toBe('');
      expect(existsSync(join(s.home, 'keep-me'))).toBe(true);

      const calls = await fakeCalls(s);
      const folder = folderOf(calls)!;
      expect(folder.startsWith(`${s.workspaceTmp}/teleport-ci.`)).toBe(true);
      expect(calls[0]!.args).toEqual(['setup', '--version=auto', `--proxy=${v[0]}`, '--print-env']);
      expect(calls[1]!.env.TELEPORT_BOT_TOKEN).toBe(v[1]);
      expect(calls[1]!.args).toEqual([
        'auth-ssh',
        `--proxy=${v[0]}`,
        `--join-method=${v[2]}`,
        `--roles=${v[3]}`,
        `--certificate-ttl=${v[4]}`,
        `--kubernetes-cluster=${v[7]}`,
        `--app=${v[8]}`,
        `--service=${v[10]}`,
        `--database=${v[11]}`,
        `--username=${v[5]}`,
        `--listen=${v[12]}`,
        `--out=${folder}/out`,
        `--state-file=${folder}/state.json`,
        '--print-env',
      ]);
      expect(await result(s, 'identity')).toBe('identity for auth-ssh\n');
      expect(calls.at(-1)!.args[0]).toBe('cleanup');
      expect(await leftovers(s)).toEqual([]);
    },
  );

  it.each(['/bin/sh', '/bin/bash'])('quote() round-trips any value through %s', async (shell) => {
    const s = await sandbox();
    const canary = join(s.root, 'canary');
    const values = [...hostile(canary), 'x'.repeat(5000), "'", "''", '\\', '\n', ' '];
    await writeFile(join(s.root, 'values.json'), JSON.stringify(values));
    const b = await runPipeline(
      s,
      `def step = stubSteps.withTeleport
def values = new groovy.json.JsonSlurper().parseText(readFile("\${env.RESULTS}/../values.json"))
values.eachWithIndex { v, i ->
  sh "printf '%s' \${step.quote(v)} > \${step.quote(env.RESULTS + '/q' + i)}"
  sh step.shellCommand(['printf', '%s|', v, 'x y']) + ' > ' + step.quote(env.RESULTS + '/c' + i)
}`,
      { shell, timeoutMs: 90_000 },
    );
    expect(b.log, b.log).toContain('Finished: SUCCESS');
    for (const [i, value] of values.entries()) {
      expect(await result(s, `q${i}`)).toBe(value);
      expect(await result(s, `c${i}`)).toBe(`${value}|x y|`);
    }
    expect(existsSync(canary)).toBe(false);
  });

  it("parses exactly what the real CLI's --print-env writes, as a shell would read it", async () => {
    const exports: Record<string, string> = {
      TELEPORT_IDENTITY_FILE: '/tmp/ws@tmp/teleport-ci.abc/out/identity',
      QUOTE: "it's",
      QUOTES: "''''",
      LINES: 'a\nb\n\nc\n',
      EMPTY: '',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, on purpose
      DOLLAR: '$HOME $(id) `id` ${X}',
      BACKSLASH: 'a\\b\\\\c\\',
      SPACES: '  lead and trail  ',
      TAB: 'a\tb',
      UNICODE: 'café ✓ 日本',
      EQUALS: 'a=b=c',
      CRLF: 'a\r\nb',
    };
    const text = shellExports({
      exports,
      outputs: { 'ssh-config': "/tmp/my job's/ssh_config" },
      paths: ['/opt/tele port/bin', "/o'dd"],
    });
    const expected = [
      ...Object.entries(exports).map(([k, v]) => `${k}=${v}`),
      "TELEPORT_CI_SSH_CONFIG=/tmp/my job's/ssh_config",
      "PATH+TELEPORT_CI=/opt/tele port/bin:/o'dd",
    ];

    // The shell's reading is what the parser must match.
    const names = [...Object.keys(exports), 'TELEPORT_CI_SSH_CONFIG'];
    const shell = spawnSync(
      'bash',
      [
        '-c',
        `PATH=/usr/bin:/bin\n${text}\nprintf '%s\\0' ${names.map((n) => `"$${n}"`).join(' ')} "$PATH"`,
      ],
      { encoding: 'utf8', env: { LC_ALL: 'C.UTF-8' } },
    );
    expect(shell.stdout.split('\0').slice(0, -1)).toEqual([
      ...Object.values(exports),
      "/tmp/my job's/ssh_config",
      "/opt/tele port/bin:/o'dd:/usr/bin:/bin",
    ]);

    const s = await sandbox();
    await writeFile(join(s.root, 'exports.txt'), text);
    const b = await runPipeline(
      s,
      `def step = stubSteps.withTeleport
def parsed = step.parseExports(readFile("\${env.RESULTS}/../exports.txt"))
writeFile file: "\${env.RESULTS}/parsed.json", text: groovy.json.JsonOutput.toJson(parsed)
def errors = []
for (bad in ["export A='unterminated", 'hello', "export A=unquoted", "export 1A='x'", "export PATH='/x':\\"\\$HOME\\""]) {
  try {
    step.parseExports(bad)
    errors << 'parsed: ' + bad
  } catch (IllegalArgumentException e) {
    errors << e.message
  }
}
writeFile file: "\${env.RESULTS}/errors.json", text: groovy.json.JsonOutput.toJson(errors)
writeFile file: "\${env.RESULTS}/empty.json", text: groovy.json.JsonOutput.toJson(step.parseExports('\\n'))`,
    );
    expect(b.log, b.log).toContain('Finished: SUCCESS');
    expect(JSON.parse((await result(s, 'parsed.json'))!)).toEqual(expected);
    expect(JSON.parse((await result(s, 'empty.json'))!)).toEqual([]);
    expect(JSON.parse((await result(s, 'errors.json'))!)).toEqual([
      'unterminated quote after A=',
      'unexpected output from teleport-ci: hello',
      'unexpected output from teleport-ci: unquoted',
      "unexpected output from teleport-ci: 1A='x'",
      'unexpected output from teleport-ci: :"$HOME"',
    ]);
    expect(await readFile(join(s.root, 'exports.txt'), 'utf8')).toBe(text);
  });
});
