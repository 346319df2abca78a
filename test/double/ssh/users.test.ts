// Creates and deletes a local user: needs root, directly or through passwordless sudo.
import { stat } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runAsRoot, runAsRootOk } from '../../privileged';
import { runOk } from './exec';
import { requireSsh } from './preflight';
import { ensureLoginUser } from './users';

const NAME = 'ci-users-test';
const WHAT = 'users.test.ts (deletes its test user)';

afterAll(async () => {
  await runAsRoot(WHAT, 'userdel', ['-r', NAME]);
});

describe('ensureLoginUser', () => {
  it('creates an unlocked user once, even when called concurrently', async () => {
    await requireSsh();
    await runAsRoot(WHAT, 'userdel', ['-r', NAME]); // start from scratch
    const results = await Promise.all([1, 2, 3].map(() => ensureLoginUser(NAME)));
    for (const u of results) expect(u).toEqual({ name: NAME, home: `/home/${NAME}` });
    const again = await ensureLoginUser(NAME);
    expect(again.home).toBe(`/home/${NAME}`);
    const shadow = (await runAsRootOk(WHAT, 'getent', ['shadow', NAME])).stdout.split(':');
    expect(shadow[1]).toBe('*'); // not `!`: sshd with UsePAM no would refuse a locked account
    const passwd = (await runOk('getent', ['passwd', NAME])).stdout.trim().split(':');
    expect(passwd[6]).toBe('/bin/bash');
    // Tests read what the login user writes in its home (Ubuntu's useradd makes it 0750).
    expect((await stat(`/home/${NAME}`)).mode & 0o777).toBe(0o755);
  });

  it('rejects names useradd would not take', async () => {
    await expect(ensureLoginUser('Bad Name')).rejects.toThrow(/invalid user name/);
  });
});
