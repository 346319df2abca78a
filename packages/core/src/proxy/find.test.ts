import { describe, expect, it } from 'vitest';
import { autoVersion } from '../install/input-version';
import { parseProxyAddress } from './address';
import { parseFindResponse } from './find';

const proxy = parseProxyAddress('teleport.example.com:443');

describe('/webapi/find (teleport-behaviour.md §5.1)', () => {
  it('prefers auto_update.tools_version, falls back to server_version', () => {
    const modern = parseFindResponse(
      JSON.stringify({
        server_version: '17.4.2',
        edition: 'ent',
        fips: false,
        auto_update: { tools_version: '17.3.0' },
      }),
      proxy,
    );
    expect(autoVersion(modern, proxy)).toBe('17.3.0');
    expect(modern.edition).toBe('ent');
    const legacy = parseFindResponse(
      JSON.stringify({ proxy: {}, server_version: '15.4.0' }),
      proxy,
    );
    expect(autoVersion(legacy, proxy)).toBe('15.4.0');
  });
  it('explains answers that are not Teleport', () => {
    expect(() => parseFindResponse('<!doctype html><html>', proxy)).toThrow(
      /answered HTML, not JSON/,
    );
    expect(() => parseFindResponse('{"ok":true}', proxy)).toThrow(
      /without a proxy or server_version/,
    );
    expect(() => parseFindResponse('nope', proxy)).toThrow(/did not answer JSON/);
  });
});
