import { describe, expect, it } from 'vitest';
import { testPlatform } from '../platform/test-platform';
import { readEditionInputs, resolveEdition } from './edition';

describe('edition', () => {
  const inputs = (edition = 'auto', enterprise = 'false', fips = 'auto') =>
    readEditionInputs(testPlatform({ inputs: { edition, enterprise, fips } }));
  it('follows the cluster when auto, OSS without one', () => {
    expect(resolveEdition(inputs(), { edition: 'ent' })).toEqual({
      edition: 'enterprise',
      fips: false,
    });
    expect(resolveEdition(inputs(), { edition: 'community' })).toEqual({
      edition: 'oss',
      fips: false,
    });
    expect(resolveEdition(inputs())).toEqual({ edition: 'oss', fips: false });
    expect(resolveEdition(inputs(), { edition: 'ent', fips: true })).toEqual({
      edition: 'enterprise',
      fips: true,
    });
  });
  it('lets explicit inputs win, and FIPS forces Enterprise', () => {
    expect(resolveEdition(inputs('oss'), { edition: 'ent' }).edition).toBe('oss');
    expect(resolveEdition(inputs('auto', 'true'), { edition: 'oss' }).edition).toBe('enterprise');
    expect(resolveEdition(inputs('auto', 'false', 'true'))).toEqual({
      edition: 'enterprise',
      fips: true,
    });
  });
  it('rejects unknown or contradictory values', () => {
    expect(() => inputs('pro')).toThrow(/^Input 'edition': 'pro' is not one of/);
    expect(() => inputs('oss', 'true')).toThrow(/contradicts/);
    expect(() => inputs('auto', 'yes')).toThrow(/^Input 'enterprise'/);
    expect(() => inputs('oss', 'false', 'true')).toThrow(/^Input 'fips'/);
  });
});
