// The standalone `teleport-ci` (npm run build:bin): the CLI in a Node.js 24 single executable,
// for job images without Node.js. The amd64 build runs here, a GitLab job's whole auth against
// the Teleport double; the arm64 build is checked for format, payload and checksum.
import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../packages/cli/package.json' with { type: 'json' };
import { buildStandaloneCli, sha256File } from '../../scripts/build-bin';
import { type Double, startDouble } from '../double';

const exec = promisify(execFile);
let out: string;
let double: Double;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cli-bin-'));
  await buildStandaloneCli(out);
  double = await startDouble({
    auth: true,
    proxy: { serverVersion: '18.6.4', clusterName: 'teleport.example.test' },
  });
  double.auth!.addRole({ name: 'bin-role', logins: ['ci'] });
  double.auth!.addBot({ name: 'bin', roles: ['bin-role'] });
  double.auth!.addToken(`kind: token
version: v2
metadata: { name: gitlab-bin }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: bin
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/deploy
`);
}, 600_000);
afterAll(async () => {
  await double?.close();
});

/** The ELF header's machine field: 0x3e x86-64, 0xb7 AArch64. */
async function elfMachine(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const { buffer } = await file.read(Buffer.alloc(20), 0, 20, 0);
    expect(buffer.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(buffer[4]).toBe(2); // 64-bit
    return buffer.readUInt16LE(18);
  } finally {
    await file.close();
  }
}

describe('the standalone teleport-ci', () => {
  it('amd64: answers --version and --help with no Node.js on PATH', async () => {
    const bin = join(out, 'teleport-ci-linux-amd64');
    expect(await elfMachine(bin)).toBe(0x3e);
    const env = { PATH: '/nonexistent' };
    const version = await exec(bin, ['--version'], { env });
    expect(version.stdout).toBe(`teleport-ci ${pkg.version}\n`);
    const help = await exec(bin, ['auth', '--help'], { env });
    expect(help.stdout).toMatch(/^teleport-ci auth: identity file for tsh and tctl/);
  });

  it("amd64: a GitLab job's setup and auth against the double, then tsh with the identity", async () => {
    const bin = join(out, 'teleport-ci-linux-amd64');
    const issuer = double.auth!.issuers.gitlab;
    const jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), {
      audience: 'teleport.example.test',
    });
    const home = await mkdtemp(join(tmpdir(), 'cli-bin-job-'));
    const job = {
      ...double.env,
      HOME: home,
      TMPDIR: home,
      GITLAB_CI: 'true',
      CI_JOB_ID: `bin-${Date.now()}`,
      TBOT_GITLAB_JWT: jwt,
      PATH: process.env.PATH!,
      BIN: bin,
      PROXY: double.proxy.addr,
    };
    const { stdout, stderr } = await exec(
      'bash',
      [
        '-c',
        `set -e
eval "$("$BIN" setup --version 18.6.4 --print-env)"
eval "$(TELEPORT_BOT_TOKEN=gitlab-bin "$BIN" auth --proxy "$PROXY" --print-env)"
test -s "$TELEPORT_IDENTITY_FILE" && echo IDENTITY OK
tsh ls | grep -c node-1
"$BIN" cleanup`,
      ],
      { env: job },
    );
    expect(stdout).toContain('IDENTITY OK');
    expect(stdout).toMatch(/^1$/m);
    expect(stderr).toContain('Joined as bot-bin');
    expect(stderr).toContain('Deleted the credentials in');
    expect(stderr).not.toContain(jwt.split('.')[2]!);
  });

  it('arm64: an AArch64 executable carrying the CLI, the size of Node.js, with its checksum', async () => {
    const bin = join(out, 'teleport-ci-linux-arm64');
    expect(await elfMachine(bin)).toBe(0xb7);
    const { size } = await stat(bin);
    expect(size).toBeGreaterThan(60e6);
    expect(size).toBeLessThan(200e6);
    const body = await readFile(bin);
    // postject flips Node's fuse to :1 and adds the blob holding the bundle.
    expect(body.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
    expect(body.includes("teleport-ci: unknown command '")).toBe(true);
    for (const name of ['teleport-ci-linux-arm64', 'teleport-ci-linux-amd64']) {
      const line = await readFile(join(out, `${name}.sha256`), 'utf8');
      expect(line).toBe(`${await sha256File(join(out, name))}  ${name}\n`);
    }
  });
});
