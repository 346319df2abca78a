import { execFile } from 'node:child_process';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError, UserError } from '../errors';
import type { JoinMethod } from '../platform/join-methods';
import type { ProxyAddress } from '../proxy/address';
import { renderTbotConfig } from '../tbot/config';

const exec = promisify(execFile);

export interface DaemonPlan {
  proxy: ProxyAddress;
  token: string;
  joinMethod: JoinMethod;
  tbotPath: string;
  tbotVersion: string;
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

/** The systemd unit that keeps tbot running and renewing (teleport-behaviour.md §1.6: SIGHUP renews). */
export function systemdUnit(plan: DaemonPlan): string {
  refuseUnsafeInUnit('tbot', plan.tbotPath);
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
ExecStart=${plan.tbotPath} start -c ${plan.configPath}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
}

/** What `daemon install` writes, and the commands that set owners and ACLs. */
export function planDaemon(plan: DaemonPlan): { files: PlannedFile[]; commands: string[][] } {
  const config = renderTbotConfig(
    {
      proxyServer: plan.proxy.hostPort,
      joinMethod: plan.joinMethod,
      token: plan.token,
      oneshot: false,
      storage: { type: 'directory', path: plan.dataDir },
      outputs: [{ type: 'identity', destination: { type: 'directory', path: plan.outputDir } }],
    },
    plan.tbotVersion,
  );
  return {
    files: [
      { path: plan.configPath, mode: 0o600, content: config },
      { path: plan.unitPath, mode: 0o644, content: systemdUnit(plan) },
    ],
    commands: [
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
