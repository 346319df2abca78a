import { describe, expect, it } from 'vitest';
import { parseListen } from './tunnel-inputs';

describe('tunnel inputs', () => {
  it('parses listen URIs', () => {
    expect(parseListen('tcp://127.0.0.1:5432').port).toBe('5432');
    expect(parseListen('unix:///tmp/db.sock').pathname).toBe('/tmp/db.sock');
    expect(() => parseListen('127.0.0.1:5432')).toThrow(/^Input 'listen'/);
    expect(() => parseListen('tcp://127.0.0.1')).toThrow(/must be tcp:\/\/<host>:<port>/);
    expect(() => parseListen('http://127.0.0.1:80')).toThrow(/must be tcp/);
  });
});
