import { readFile, stat } from 'node:fs/promises';
import { execCapture } from './exec';

// A pid read back from state names whatever process has that number now. Before signalling
// it, check it is the tbot this job started: our user's, leading its own process group (we
// start it detached), running `start -c <the config this job wrote>`.

interface ProcessFacts {
  uid: number;
  pgid: number;
  args: string[];
}

async function linuxFacts(pid: number): Promise<ProcessFacts | undefined> {
  try {
    const [cmdline, statLine, info] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
      readFile(`/proc/${pid}/stat`, 'utf8'),
      stat(`/proc/${pid}`),
    ]);
    // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp.
    const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
    return { uid: info.uid, pgid: Number(fields[2]), args: cmdline.split('\0').filter(Boolean) };
  } catch {
    return undefined;
  }
}

async function psFacts(pid: number): Promise<ProcessFacts | undefined> {
  const ps = await execCapture('ps', ['-o', 'uid=,pgid=,command=', '-p', String(pid)]).catch(
    () => undefined,
  );
  const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(ps?.stdout.trim() ?? '');
  if (!match) return undefined;
  return { uid: Number(match[1]), pgid: Number(match[2]), args: match[3]!.split(/\s+/) };
}

/** Whether `pid` is a tbot this user started with `tbot start -c <configPath>`, detached. */
export async function isOwnTbot(pid: number, configPath: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const facts = process.platform === 'linux' ? await linuxFacts(pid) : await psFacts(pid);
  if (!facts) return false;
  const uid = process.getuid?.();
  if (uid !== undefined && facts.uid !== uid) return false;
  const at = facts.args.indexOf('-c');
  return (
    facts.pgid === pid &&
    facts.args.includes('start') &&
    at > 0 &&
    facts.args[at + 1] === configPath
  );
}
