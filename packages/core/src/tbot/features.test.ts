import { describe, expect, it } from 'vitest';
import { requireFeature, supports } from './features';

describe('tbot features by release (teleport-behaviour.md §7)', () => {
  it('names the minimum version for a missing feature', () => {
    expect(supports('17.2.8', 'allowReissue')).toBe(true);
    expect(() => requireFeature('16.5.4', 'allowReissue', 'allow-reissue')).toThrow(
      "Input 'allow-reissue' needs allow_reissue, which tbot has from 17.2.8; this job has tbot 16.5.4: install 17.2.8 or newer with teleport-actions/setup",
    );
    expect(() => requireFeature('18.6.4', 'tunnels', 'app')).not.toThrow();
  });
});
