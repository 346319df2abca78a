import { describe, expect, it } from 'vitest';
import { parseProxyAddress } from './address';

describe('proxy input', () => {
  it('parses host and port, defaulting to 443', () => {
    expect(parseProxyAddress('teleport.example.com')).toEqual({
      host: 'teleport.example.com',
      port: 443,
      hostPort: 'teleport.example.com:443',
    });
    expect(parseProxyAddress('localhost:3080').hostPort).toBe('localhost:3080');
  });
  it.each([
    ['https://teleport.example.com', /has a URL scheme/],
    ['teleport.example.com/web', /has a path/],
    ['teleport.example.com:99999', /invalid port/],
    ['bad host:443', /not a host name/],
  ])('rejects %j', (raw, why) => {
    expect(() => parseProxyAddress(raw)).toThrow(why);
    expect(() => parseProxyAddress(raw)).toThrow(/^Input 'proxy'/);
  });
});
