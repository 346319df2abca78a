import { afterAll, describe, expect, it } from 'vitest';
import { run, runOk } from './exec';
import { requireSsh } from './preflight';
import { ensureLoginUser } from './users';

const NAME = 'ci-users-test';

afterAll(async () => {
  await run('userdel', ['-r', NAME]);
});

describe('ensureLoginUser', () => {
  it('creates an unlocked user once, even when called concurrently', async () => {
    await requireSsh();
    await run('userdel', ['-r', NAME]); // start from scratch
    const results = await Promise.all([1, 2, 3].map(() => ensureLoginUser(NAME)));
    for (const u of results) expect(u).toEqual({ name: NAME, home: `/home/${NAME}` });
    const again = await ensureLoginUser(NAME);
    expect(again.home).toBe(`/home/${NAME}`);
    const shadow = (await runOk('getent', ['shadow', NAME])).stdout.split(':');
    expect(shadow[1]).toBe('*'); // not `!`: sshd with UsePAM no would refuse a locked account
    const passwd = (await runOk('getent', ['passwd', NAME])).stdout.trim().split(':');
    expect(passwd[6]).toBe('/bin/bash');
  });

  it('rejects names useradd would not take', async () => {
    await expect(ensureLoginUser('Bad Name')).rejects.toThrow(/invalid user name/);
  });
});
