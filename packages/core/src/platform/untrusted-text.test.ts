import { describe, expect, it, vi } from 'vitest';
import { githubPlatform } from './github';
import { safeLogLines, untrustedText } from './untrusted-text';

describe("a server's words, made safe to show", () => {
  it.each([
    ['evil\n::set-output name=x::y', 'evil?::set-output name=x::y'],
    ['::add-path::/tmp/evil', ': :add-path::/tmp/evil'],
    ['\x1b[2K\x1b[1Agood\x1b[0m', 'good'],
    ['\x1b]0;title\x07name', 'name'],
    ['a\u2028b\u2029c\u0085d\re\0f\x7fg', 'a?b?c?d?e?f?g'],
    ['teleport.example.test', 'teleport.example.test'],
  ])('one line: %j', (raw, shown) => {
    expect(untrustedText(raw)).toBe(shown);
  });
  it('log lines keep their lines but none can start a workflow command', () => {
    expect(safeLogLines('tbot: ok\n::set-env name=PATH::/evil\n  ::error::x\r\n\x1b[31mred')).toBe(
      'tbot: ok\n: :set-env name=PATH::/evil\n  : :error::x\nred',
    );
  });
});

describe('the GitHub platform log', () => {
  it('prints no line that the runner would take as a workflow command', () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const log = githubPlatform({}).log;
      log.info('tbot: joined\n::set-output name=pwned::1');
      log.warning('proxy says\n::add-path::/tmp/evil');
    } finally {
      spy.mockRestore();
    }
    const text = written.join('');
    expect(text).toContain('tbot: joined');
    expect(text).toContain(': :set-output name=pwned::1');
    expect(text.split('\n').filter((l) => /^::(?!warning)/.test(l))).toEqual([]);
    expect(text).not.toMatch(/^::set-output|^::add-path/m);
  });
});
