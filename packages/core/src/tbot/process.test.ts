import { describe, expect, it } from 'vitest';
import { tbotEnv, tbotFailureReason, unhealthyReason } from './process';

describe('running tbot', () => {
  it('shows tbot ERROR line first (teleport-behaviour.md §1.6)', () => {
    const out =
      'INFO starting\n\x1b[31mERROR: \x1b[0mjoining with token: audience mismatch\nusage...\n';
    expect(tbotFailureReason(out)).toBe('joining with token: audience mismatch');
    expect(tbotFailureReason('just this\n')).toBe('just this');
    // trace wraps causes on the following, indented lines (outer first)
    const wrapped =
      'ERROR: joining with token\n\tid token claims did not match any allow rules\nusage: tbot\n';
    expect(tbotFailureReason(wrapped)).toBe(
      'joining with token: id token claims did not match any allow rules',
    );
  });
  it('removes variables tbot would take over the config', () => {
    const env = tbotEnv(
      { TELEPORT_PROXY: 'a', TELEPORT_AUTH_SERVER: 'b', PATH: '/bin' },
      { X: '1' },
    );
    expect(env).toEqual({ PATH: '/bin', X: '1' });
  });
  it('says which service is unhealthy (teleport-behaviour.md §5.4)', () => {
    const body = JSON.stringify({
      status: 'unhealthy',
      services: {
        'db-tunnel': { status: 'unhealthy', reason: 'connection refused' },
        ok: { status: 'healthy' },
      },
    });
    expect(unhealthyReason(body)).toBe('db-tunnel: connection refused');
  });
});
