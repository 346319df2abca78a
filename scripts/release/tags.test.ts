import { describe, expect, it } from 'vitest';
import { parseReleaseTag, planTags, releasedVersions } from './tags';

describe('parseReleaseTag', () => {
  it('reads stable and pre-release tags', () => {
    expect(parseReleaseTag('v1.2.3')).toEqual({
      tag: 'v1.2.3',
      version: '1.2.3',
      major: 1,
      prerelease: false,
    });
    expect(parseReleaseTag('v2.0.0-rc.1')).toMatchObject({ major: 2, prerelease: true });
  });

  it.each(['1.2.3', 'v1', 'v1.2', 'v01.2.3', 'v1.2.3.4', 'release-1.2.3', 'v1.2.3 '])(
    'refuses %j with the expected form',
    (tag) => {
      expect(() => parseReleaseTag(tag)).toThrow(
        /is not a version tag: expected v<major>\.<minor>\.<patch>/,
      );
    },
  );
});

describe('planTags', () => {
  it('first release: tag v1.0.0 and create v1', () => {
    expect(planTags('v1.0.0', [])).toEqual({
      create: 'v1.0.0',
      move: ['v1'],
      npmDistTag: 'latest',
      reason: 'v1 moves to v1.0.0',
    });
  });

  it('a newer minor or patch moves v1; the major tag and stray tags are not versions', () => {
    const existing = ['v1', 'v1.0.0', 'v1.1.0', 'nightly', 'v1.1.1-rc.1'];
    expect(planTags('v1.1.1', existing)).toMatchObject({ move: ['v1'], npmDistTag: 'latest' });
    expect(releasedVersions(existing)).toEqual(['1.0.0', '1.1.0', '1.1.1-rc.1']);
  });

  it('a pre-release never moves the major tag and publishes the CLI as next', () => {
    const plan = planTags('v1.2.0-rc.1', ['v1', 'v1.1.0']);
    expect(plan).toMatchObject({ create: 'v1.2.0-rc.1', move: [], npmDistTag: 'next' });
    expect(plan.reason).toBe('v1.2.0-rc.1 is a pre-release: v1 stays where it is');
  });

  it('a patch of an older line leaves the major tag on the newest release', () => {
    const plan = planTags('v1.2.4', ['v1', 'v1.2.3', 'v1.3.0']);
    expect(plan).toMatchObject({ move: [], npmDistTag: 'maintenance' });
    expect(plan.reason).toBe('v1 stays on v1.3.0, which is newer than v1.2.4');
  });

  it('a new major creates its own major tag; a fix on the old major moves only v1', () => {
    expect(planTags('v2.0.0', ['v1', 'v1.4.0'])).toMatchObject({
      move: ['v2'],
      npmDistTag: 'latest',
    });
    expect(planTags('v1.4.1', ['v1', 'v1.4.0', 'v2', 'v2.0.0'])).toMatchObject({
      move: ['v1'],
      npmDistTag: 'maintenance',
    });
  });

  it('refuses to release a version twice', () => {
    expect(() => planTags('v1.1.0', ['v1.0.0', 'v1.1.0'])).toThrow(
      'v1.1.0 is already released: release tags are immutable, cut the next version',
    );
  });
});
