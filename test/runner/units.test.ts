// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub `${{ }}` expressions, not JS templates
import { describe, expect, it } from 'vitest';
import { KNOWN_COMMANDS, parseCommand } from './commands';
import { evaluateCondition, evaluateValue, interpolate } from './expressions';
import { parseKeyValue } from './files';
import { SecretMasker } from './masker';
import { splitArgs } from './run-step';

const registered = new Set<string>(KNOWN_COMMANDS);

describe('file commands', () => {
  it('parses name=value lines and heredocs like the runner', () => {
    const text =
      'a=1\nb=x=y\n\nmulti<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nempty<<EOF\nEOF\nlast=\n';
    expect(parseKeyValue(text)).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
      ['multi', 'line 1\nline 2'],
      ['empty', ''],
      ['last', ''],
    ]);
  });

  it('keeps blank lines inside a heredoc value', () => {
    expect(parseKeyValue('v<<D\n\nx\n\nD\n')).toEqual([['v', '\nx\n']]);
  });

  it('rejects a heredoc without its delimiter and lines without = or <<', () => {
    expect(() => parseKeyValue('v<<D\nvalue\n')).toThrow(/Matching delimiter not found 'D'/);
    expect(() => parseKeyValue('justtext\n')).toThrow(/Invalid environment variable format/);
  });
});

describe('workflow command parsing', () => {
  it('reads properties and unescapes data', () => {
    expect(
      parseCommand('::warning file=a.ts,line=3,title=A%2CB%3A C::100%25%0Adone', registered),
    ).toEqual({
      command: 'warning',
      properties: { file: 'a.ts', line: '3', title: 'A,B: C' },
      data: '100%\ndone',
    });
  });

  it('accepts leading whitespace and the legacy ##[...] form', () => {
    expect(parseCommand('   ::debug::x', registered)?.command).toBe('debug');
    expect(parseCommand('##[group]Title', registered)).toMatchObject({
      command: 'group',
      data: 'Title',
    });
  });

  it('leaves unknown commands and plain text alone', () => {
    expect(parseCommand('::unknown::x', registered)).toBeNull();
    expect(parseCommand('a :: b', registered)).toBeNull();
  });
});

describe('secret masker', () => {
  it('masks values, each line of multi-line values, and common encodings', () => {
    const m = new SecretMasker();
    m.add('s3cr3t-value');
    m.add('first line\nsecond line');
    expect(m.mask('a s3cr3t-value b')).toBe('a *** b');
    expect(m.mask('>second line<')).toBe('>***<');
    expect(m.mask(Buffer.from('s3cr3t-value').toString('base64'))).toBe('***');
    expect(m.mask('x=s3cr3t-value&s3cr3t-value')).toBe('x=***&***');
  });

  it('merges overlapping matches into one mask', () => {
    const m = new SecretMasker();
    m.add('abcdef');
    m.add('defghi');
    expect(m.mask('abcdefghi!')).toBe('***!');
  });
});

describe('expressions (@actions/expressions + runner functions)', () => {
  const scope = (jobFailed = false) => ({
    contexts: {
      github: { ref: 'refs/heads/main', event_name: 'push' },
      env: { NAME: 'world' },
      steps: { s: { outputs: { json: '{"list":[1,2,3],"ok":true}', v: '3' }, outcome: 'success' } },
    },
    jobFailed,
    workspace: '/nonexistent',
  });

  it('interpolates templates, including }} inside string literals', () => {
    expect(interpolate("${{ format('Hi {0} ({1})', env.NAME, '}}') }}!", scope())).toBe(
      'Hi world (}})!',
    );
    expect(interpolate('${{ steps.s.outputs.missing }}|${{ 1 == 1 }}|${{ null }}', scope())).toBe(
      '|true|',
    );
  });

  it('supports contains, startsWith, endsWith, join, toJSON, fromJSON and comparisons', () => {
    expect(evaluateValue("${{ contains(github.ref, 'heads') }}", scope())).toBe(true);
    expect(
      evaluateValue(
        "${{ startsWith(github.ref, 'refs/') && endsWith(github.ref, 'main') }}",
        scope(),
      ),
    ).toBe(true);
    expect(evaluateValue("${{ join(fromJSON(steps.s.outputs.json).list, '-') }}", scope())).toBe(
      '1-2-3',
    );
    expect(evaluateValue('${{ fromJSON(steps.s.outputs.json).ok }}', scope())).toBe(true);
    expect(evaluateValue('${{ steps.s.outputs.v > 2 && steps.s.outputs.v < 4 }}', scope())).toBe(
      true,
    );
    expect(evaluateValue("${{ !(env.NAME != 'world') }}", scope())).toBe(true);
    expect(JSON.parse(String(evaluateValue('${{ toJSON(env) }}', scope())))).toEqual({
      NAME: 'world',
    });
  });

  it('applies success() to conditions without a status function', () => {
    expect(evaluateCondition("github.event_name == 'push'", scope())).toBe(true);
    expect(evaluateCondition("github.event_name == 'push'", scope(true))).toBe(false);
    expect(evaluateCondition("${{ always() && github.event_name == 'push' }}", scope(true))).toBe(
      true,
    );
    expect(evaluateCondition('failure()', scope(true))).toBe(true);
    expect(evaluateCondition(undefined, scope(true))).toBe(false);
    expect(evaluateCondition('cancelled()', scope())).toBe(false);
  });

  it('rejects unknown contexts like GitHub does', () => {
    expect(() => interpolate('${{ nope.x }}', scope())).toThrow(/Unrecognized named-value: 'nope'/);
  });
});

describe('shell argument splitting', () => {
  it('splits on spaces and honours double quotes', () => {
    expect(splitArgs('--noprofile --norc -e -o pipefail /tmp/x.sh')).toEqual([
      '--noprofile',
      '--norc',
      '-e',
      '-o',
      'pipefail',
      '/tmp/x.sh',
    ]);
    expect(splitArgs('-c "a b" \\"q\\"')).toEqual(['-c', 'a b', '"q"']);
  });
});
