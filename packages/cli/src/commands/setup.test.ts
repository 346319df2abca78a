import { shellPlatform } from '@teleport-actions/core/teleport-ci';
import { describe, expect, it } from 'vitest';
import { withVersionDefault } from './setup';

const platform = (inputs: Record<string, string>) =>
  shellPlatform({
    ciName: 'local',
    joinMethod: 'token',
    inputs,
    env: {},
    stderr: Object.assign(() => {}, { write: () => true }) as never,
    debug: false,
    flags: new Set(),
  });

describe('teleport-ci setup: the version default', () => {
  it("is 'auto' when a proxy is known and no version given", () => {
    const p = withVersionDefault(platform({ proxy: 'teleport.example.com:443' }));
    expect(p.getInput('version')).toBe('auto');
    expect(p.getInput('proxy')).toBe('teleport.example.com:443');
  });
  it('keeps a version given, and stays empty without a proxy', () => {
    expect(
      withVersionDefault(platform({ proxy: 'p:443', version: '17.4.2' })).getInput('version'),
    ).toBe('17.4.2');
    expect(withVersionDefault(platform({})).getInput('version')).toBe('');
  });
});
