import { execFile } from 'node:child_process';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError, UserError } from '../errors';
import type { JoinMethod } from '../platform/join-methods';
import type { ProxyAddress } from '../proxy/address';
import { renderTbotConfig } from '../tbot/config';
import { requireJoinMethod } from '../tbot/features';

const exec = promisify(execFile);

export interface DaemonPlan {
  proxy: ProxyAddress;
  token: string;
  joinMethod: JoinMethod;
  /** The tbot found for the install (it may sit in a private cache, e.g. under /root). */
  tbotPath: string;
  tbotVersion: string;
  /** Where tbot is installed for the service: a root-owned folder the bot user can read. */
  binDir: string;
  /** `bound_keypair`'s registration secret for the first join (teleport-behaviour.md §2.2). */
  registrationSecret?: string;
  /** Where the credentials appear for the reader (e.g. `/opt/machine-id`). */
  outputDir: string;
  /** tbot's own state (its renewable identity). */
  dataDir: string;
  configPath: string;
  unitPath: string;
  botUser: string;
  readerUser: string;
}

export interface PlannedFile {
  path: string;
  mode: number;
  content: string;
}

// What may go into the unit unquoted: systemd reads `%` as a specifier, `$` as a variable,
// `\\` and quotes as escapes, white space as a word break and a new line as a new directive
// (systemd.syntax, systemd.service "Command lines"); none of them belongs in a path or a
// user name, so they are refused rather than escaped.
const UNIT_SAFE = /^[A-Za-z0-9_./@+:,=-]+$/;

function refuseUnsafeInUnit(flag: string, value: string): void {
  if (UNIT_SAFE.test(value)) return;
  const bad = [...value].find((c) => !UNIT_SAFE.test(c)) ?? '';
  const shown = /^[\x21-\x7e]$/.test(bad)
    ? `'${bad}'`
    : `U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
  throw new InputError(
    flag,
    `holds ${shown}, which the systemd unit would read as syntax: use a path or name of letters, digits and . _ - / @ + : , =`,
  );
}

/** The tbot the service runs: a copy in `binDir`, so the bot user can read and run it. */
export function serviceTbotPath(plan: Pick<DaemonPlan, 'binDir'>): string {
  return join(plan.binDir, 'tbot');
}

/** The systemd unit that keeps tbot running and renewing (teleport-behaviour.md §1.6: SIGHUP renews). */
export function systemdUnit(plan: DaemonPlan): string {
  refuseUnsafeInUnit('bin-dir', plan.binDir);
  refuseUnsafeInUnit('config', plan.configPath);
  refuseUnsafeInUnit('bot-user', plan.botUser);
  return `[Unit]
Description=Teleport Machine ID (tbot) for CI jobs on this agent
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${plan.botUser}
Group=${plan.botUser}
ExecStart=${serviceTbotPath(plan)} start -c ${plan.configPath}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
}

/**
 * What `daemon install` writes, and the commands that install tbot and set owners and ACLs.
 * Refuses, before anything is written, a join method the tbot lacks and a `bound_keypair` join
 * with no registration secret (its first join could not succeed, teleport-behaviour.md §2.2).
 */
export function planDaemon(plan: DaemonPlan): { files: PlannedFile[]; commands: string[][] } {
  requireJoinMethod(plan.tbotVersion, plan.joinMethod, 'join-method');
  if (plan.joinMethod === 'bound_keypair' && !plan.registrationSecret) {
    throw new InputError(
      'registration-secret',
      "is needed for the first bound_keypair join: give the join token's registration secret (set TBOT_REGISTRATION_SECRET for daemon install), or use --join-method token",
    );
  }
  const config = renderTbotConfig(
    {
      proxyServer: plan.proxy.hostPort,
      joinMethod: plan.joinMethod,
      token: plan.token,
      ...(plan.registrationSecret ? { registrationSecret: plan.registrationSecret } : {}),
      oneshot: false,
      storage: { type: 'directory', path: plan.dataDir },
      // tbot writes its files 0600: the reader gets its ACL from tbot on each file (a default
      // ACL on the folder alone would be masked off by that mode), teleport-behaviour.md §2.4.
      outputs: [
        {
          type: 'identity',
          destination: {
            type: 'directory',
            path: plan.outputDir,
            readers: [{ user: plan.readerUser }],
          },
        },
      ],
    },
    plan.tbotVersion,
  );
  return {
    files: [
      { path: plan.configPath, mode: 0o600, content: config },
      { path: plan.unitPath, mode: 0o644, content: systemdUnit(plan) },
    ],
    commands: [
      // A root-owned copy the bot user can run: the tbot found may sit in root's cache.
      ['install', '-D', '-m', '0755', plan.tbotPath, serviceTbotPath(plan)],
      ['install', '-d', '-m', '0700', '-o', plan.botUser, '-g', plan.botUser, plan.dataDir],
      ['install', '-d', '-m', '0750', '-o', plan.botUser, '-g', plan.botUser, plan.outputDir],
      ['chown', plan.botUser, plan.configPath],
      // The reader (the Jenkins user) may read what tbot writes now and later (default ACL).
      ['setfacl', '-m', `u:${plan.readerUser}:rX`, plan.outputDir],
      [
        'setfacl',
        '-d',
        '-m',
        `u:${plan.readerUser}:rX`,
        '-m',
        `u:${plan.botUser}:rwX`,
        plan.outputDir,
      ],
    ],
  };
}

async function userExists(name: string): Promise<boolean> {
  try {
    await exec('id', ['-u', name]);
    return true;
  } catch {
    return false;
  }
}

/** Carries out a plan: writes the files and runs the commands (needs root). */
export async function installDaemon(plan: DaemonPlan): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new UserError(
      'daemon install needs root (it creates system folders and a systemd unit): run it with sudo, or use --dry-run',
    );
  }
  for (const [input, user] of [
    ['bot-user', plan.botUser],
    ['reader-user', plan.readerUser],
  ] as const) {
    if (!(await userExists(user)))
      throw new InputError(
        input,
        `user '${user}' does not exist: create it first (useradd --system ${user})`,
      );
  }
  const planned = planDaemon(plan);
  for (const file of planned.files) await writeFileWithMode(file);
  for (const [cmd, ...args] of planned.commands) {
    try {
      await exec(cmd!, args);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new UserError(
        missing
          ? `${cmd} is not installed: install it (Debian/Ubuntu: apt-get install acl) and run daemon install again`
          : `'${[cmd, ...args].join(' ')}' failed: ${((err as { stderr?: string }).stderr ?? '').trim()}`,
      );
    }
  }
}

/**
 * Writes a file with exactly its planned mode, even over an existing one (writeFile's `mode`
 * only applies to a new file: a 0644 tbot.yaml would stay readable while holding a join
 * secret). A fresh file, chmod-ed before it holds anything, then renamed over the old one.
 */
async function writeFileWithMode(file: PlannedFile): Promise<void> {
  await mkdir(dirname(file.path), { recursive: true });
  const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.tmp`);
  await rm(temp, { force: true });
  try {
    await writeFile(temp, '', { mode: 0o600, flag: 'wx' });
    await chmod(temp, file.mode);
    await writeFile(temp, file.content);
    await rename(temp, file.path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
