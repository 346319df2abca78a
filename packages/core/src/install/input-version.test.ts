import { describe, expect, it } from 'vitest';
import { parseVersionInput } from './input-version';

describe('version input', () => {
  it('accepts auto and full versions with or without v', async () => {
    expect(await parseVersionInput('auto')).toEqual({ kind: 'auto' });
    expect(await parseVersionInput('17.4.2')).toEqual({ kind: 'exact', version: '17.4.2' });
    expect(await parseVersionInput(' v17.4.2 ')).toEqual({ kind: 'exact', version: '17.4.2' });
    expect(await parseVersionInput('18.0.0-rc.1')).toEqual({
      kind: 'exact',
      version: '18.0.0-rc.1',
    });
  });
  it.each(['', '17', '17.4', 'latest-ish', 'v17.x'])('rejects %j naming the input', async (raw) => {
    await expect(parseVersionInput(raw)).rejects.toThrow(/^Input 'version': .*'17\.4\.2'/);
  });
});
