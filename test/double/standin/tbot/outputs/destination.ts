// Destinations (teleport-behaviour.md §2.4): a directory (created with MkdirAll; files 0600 and new directories
// 0700, like tbot's botfs defaults), or memory (nothing persists). kubernetes_secret needs a
// cluster the double does not have.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Destination } from '../config/types';
import { TbotError } from '../errors';

export interface Writer {
  readonly description: string;
  /** Absolute directory for directory destinations. */
  readonly dir?: string;
  init(): Promise<void>;
  write(name: string, data: string | Buffer): Promise<void>;
  read(name: string): Promise<Buffer | undefined>;
}

/** botfs defaults: 0600 files, 0700 directories. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

class DirectoryWriter implements Writer {
  readonly dir: string;
  readonly description: string;

  constructor(
    p: string,
    private readonly readers: Array<{ user?: string; group?: string }> = [],
  ) {
    this.dir = path.resolve(p);
    this.description = `directory ${this.dir}`;
  }

  /**
   * `readers`: tbot grants each reader read access by ACL on the folder and every file it
   * writes (files stay 0600, so a folder's default ACL alone would be masked off), teleport-behaviour.md §2.4.
   */
  private grantReaders(target: string, isDir: boolean): void {
    if (this.readers.length === 0) return;
    const perm = isDir ? 'r-x' : 'r--';
    const entries = this.readers.flatMap((r) => [
      ...(r.user ? [`u:${r.user}:${perm}`] : []),
      ...(r.group ? [`g:${r.group}:${perm}`] : []),
    ]);
    try {
      execFileSync('setfacl', ['-m', [...entries, `m::${perm}`].join(','), target], {
        stdio: 'pipe',
      });
    } catch (err) {
      throw new TbotError(`setting ACLs on ${target}: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
    this.grantReaders(this.dir, true);
    // Checks the destination is writable (teleport-behaviour.md §3: `.write-test`).
    await this.write('.write-test', '');
  }

  async write(name: string, data: string | Buffer): Promise<void> {
    const file = path.join(this.dir, name);
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    // Remove first: writeFile keeps an existing file's mode.
    await rm(file, { force: true });
    await writeFile(file, data, { mode: FILE_MODE });
    this.grantReaders(file, false);
  }

  async read(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path.join(this.dir, name));
    } catch {
      return undefined;
    }
  }
}

class MemoryWriter implements Writer {
  readonly description = 'memory';
  private files = new Map<string, Buffer>();
  async init(): Promise<void> {}
  async write(name: string, data: string | Buffer): Promise<void> {
    this.files.set(name, Buffer.from(data));
  }
  async read(name: string): Promise<Buffer | undefined> {
    return this.files.get(name);
  }
}

export function writerFor(d: Destination): Writer {
  switch (d.type) {
    case 'directory':
      return new DirectoryWriter(d.path, d.readers);
    case 'memory':
      return new MemoryWriter();
    default:
      throw new TbotError(
        'the kubernetes_secret destination is not implemented by this Teleport double stand-in',
      );
  }
}
