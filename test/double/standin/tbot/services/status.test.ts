import { describe, expect, it } from 'vitest';
import { StatusRegistry } from './status';

// lib/tbot/readyz/readyz.go@07540a7 `OverallStatus` (teleport-behaviour.md §5.4): the top-level status is
// only `healthy` or `unhealthy`; a service may be `initializing` before its first report.
describe('the /readyz overall status', () => {
  it('is unhealthy while a service has not reported, never initializing', () => {
    const r = new StatusRegistry();
    r.register('identity');
    r.register('app-tunnel');
    r.report('identity', 'healthy');
    expect(r.snapshot()).toEqual({
      status: 'unhealthy',
      services: { identity: { status: 'healthy' }, 'app-tunnel': { status: 'initializing' } },
    });
    r.report('app-tunnel', 'healthy');
    expect(r.overall()).toBe('healthy');
    r.report('app-tunnel', 'unhealthy', 'connection refused');
    expect(r.overall()).toBe('unhealthy');
  });
});
