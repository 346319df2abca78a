import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCredentialsDir } from './credentials';

describe('a credentials folder the user named (--out)', () => {
  it('a file in the way is named in plain words, not errno', async () => {
    const root = await mkdtemp(join(tmpdir(), 'out-'));
    await writeFile(join(root, 'file'), 'x');
    await expect(useCredentialsDir(join(root, 'file'))).rejects.toThrow(
      `Input 'out': ${join(root, 'file')} is not a folder: name a new or empty folder`,
    );
    await expect(useCredentialsDir(join(root, 'file', 'sub'))).rejects.toThrow(
      `Input 'out': cannot create ${join(root, 'file', 'sub')} (a part of the path is a file, not a folder): name a new or empty folder`,
    );
    await expect(useCredentialsDir('/etc/passwd')).rejects.toThrow(
      "Input 'out': /etc/passwd is not a folder: name a new or empty folder",
    );
  });
  it('a new folder is made private', async () => {
    const root = await mkdtemp(join(tmpdir(), 'out-'));
    await expect(useCredentialsDir(join(root, 'a', 'b'))).resolves.toBe(join(root, 'a', 'b'));
  });
});
