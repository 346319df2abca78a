/**
 * `${{ }}` expressions, evaluated by GitHub's own parser and evaluator (`@actions/expressions`),
 * plus the runner's parts it leaves out: the status functions (`success()`, `failure()`,
 * `always()`, `cancelled()`), `hashFiles()`, templates with text around the expressions, and
 * the rule that an `if:` without a status function means `success() && (...)`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { TokenType } from '@actions/expressions/lexer';
import { falsy } from '@actions/expressions/result';

type Data = data.ExpressionData;

export interface ExpressionScope {
  /** Context name → plain JSON-like value (github, env, steps, runner, job, secrets, vars, ...). */
  contexts: Record<string, unknown>;
  /** The job's state, for the status functions. */
  jobFailed: boolean;
  /** Root for hashFiles(). */
  workspace: string;
}

const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

const EXTENSION_FUNCTIONS = [
  ...STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];

export function toData(value: unknown): Data {
  if (value === undefined) return new data.Null();
  return JSON.parse(JSON.stringify(value), data.reviver) as Data;
}

/** ExpressionData → plain JS value. */
export function fromData(d: Data): unknown {
  return JSON.parse(JSON.stringify(d, data.replacer));
}

export function isTruthy(d: Data): boolean {
  return !falsy(d);
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
        if (pattern[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** hashFiles(): sha256 over the sha256 of each matching file under the workspace, '' if none. */
function hashFiles(workspace: string, patterns: string[]): string {
  const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  const files = listFiles(workspace)
    .map((f) => relative(workspace, f).split(sep).join('/'))
    .filter((f) => include.some((r) => r.test(f)) && !exclude.some((r) => r.test(f)))
    .sort();
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const f of files) {
    all.update(
      createHash('sha256')
        .update(readFileSync(join(workspace, f)))
        .digest(),
    );
  }
  return all.digest('hex');
}

function parse(expression: string, contextNames: string[]) {
  const { tokens } = new Lexer(expression).lex();
  const expr = new Parser(tokens, contextNames, EXTENSION_FUNCTIONS).parse();
  if (!expr) throw new Error(`Expected an expression, got '${expression}'`);
  return { expr, tokens };
}

/** Whether the expression calls one of the status functions (then `if:` is not ANDed with success()). */
export function hasStatusFunction(expression: string): boolean {
  const { tokens } = new Lexer(expression).lex();
  return tokens.some(
    (t, i) =>
      t.type === TokenType.IDENTIFIER &&
      STATUS_FUNCTIONS.includes(t.lexeme.toLowerCase()) &&
      tokens[i + 1]?.type === TokenType.LEFT_PAREN,
  );
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(expression: string, scope: ExpressionScope): Data {
  const { expr } = parse(expression, Object.keys(scope.contexts));
  const fn = (name: string, call: (...args: Data[]) => Data) => [
    name.toLowerCase(),
    { name, minArgs: 0, maxArgs: 255, call },
  ];
  const functions = new Map([
    fn('always', () => new data.BooleanData(true)),
    fn('success', () => new data.BooleanData(!scope.jobFailed)),
    fn('failure', () => new data.BooleanData(scope.jobFailed)),
    fn('cancelled', () => new data.BooleanData(false)),
    fn(
      'hashFiles',
      (...args) =>
        new data.StringData(
          hashFiles(
            scope.workspace,
            args.map((a) => a.coerceString()),
          ),
        ),
    ),
  ] as Array<
    [string, { name: string; minArgs: number; maxArgs: number; call: (...a: Data[]) => Data }]
  >);
  const context = new data.Dictionary(
    ...Object.entries(scope.contexts).map(([key, value]) => ({ key, value: toData(value) })),
  );
  const result = new Evaluator(expr, context, functions).evaluate();
  return result ?? new data.Null();
}

interface TemplatePart {
  text?: string;
  expression?: string;
}

/** Splits `a ${{ x }} b` into text and expressions; `}}` inside a string literal does not end one. */
export function splitTemplate(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < value.length) {
    const start = value.indexOf('${{', pos);
    if (start < 0) break;
    let i = start + 3;
    let inString = false;
    let end = -1;
    while (i < value.length) {
      const c = value[i];
      if (inString) {
        if (c === "'") {
          if (value[i + 1] === "'") i++;
          else inString = false;
        }
      } else if (c === "'") inString = true;
      else if (c === '}' && value[i + 1] === '}') {
        end = i;
        break;
      }
      i++;
    }
    if (end < 0)
      throw new Error(
        `The expression is not closed. An unescaped \${{ sequence was found, but the closing }} sequence was not found.`,
      );
    if (start > pos) parts.push({ text: value.slice(pos, start) });
    parts.push({ expression: value.slice(start + 3, end).trim() });
    pos = end + 2;
  }
  if (pos < value.length) parts.push({ text: value.slice(pos) });
  return parts;
}

/** A string that is exactly one `${{ expr }}` returns that expression. */
function soleExpression(value: string): string | undefined {
  const parts = splitTemplate(value.trim());
  return parts.length === 1 && parts[0]?.expression !== undefined ? parts[0].expression : undefined;
}

/**
 * Evaluates a template value: a string that is exactly one `${{ }}` keeps the expression's type
 * (for `continue-on-error`, `timeout-minutes`), any other string is interpolated.
 */
export function evaluateValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value !== 'string') return value;
  if (!value.includes('${{')) return value;
  const sole = soleExpression(value);
  if (sole !== undefined) return fromData(evaluate(sole, scope));
  return interpolate(value, scope);
}

/** Evaluates every `${{ }}` in a string; results are coerced to strings like the runner does. */
export function interpolate(value: unknown, scope: ExpressionScope): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  if (!value.includes('${{')) return value;
  return splitTemplate(value)
    .map((p) =>
      p.expression !== undefined ? evaluate(p.expression, scope).coerceString() : p.text,
    )
    .join('');
}

/**
 * An `if:` condition. Bare strings are expressions; `${{ x }}` is `x`; text mixed with `${{ }}` is
 * a string (true when not empty). Without a status function the condition is `success() && (...)`.
 */
export function evaluateCondition(
  condition: unknown,
  scope: ExpressionScope,
  defaultCondition = 'success()',
): boolean {
  if (condition === undefined || condition === null || condition === '') {
    return isTruthy(evaluate(defaultCondition, scope));
  }
  const text = String(condition).trim();
  if (text.includes('${{')) {
    const sole = soleExpression(text);
    if (sole === undefined) {
      const parts = splitTemplate(text);
      const status = parts.some((p) => p.expression && hasStatusFunction(p.expression));
      if (!status && scope.jobFailed) return false;
      return interpolate(text, scope) !== '';
    }
    return evaluateCondition(sole, scope, defaultCondition);
  }
  const expression = hasStatusFunction(text) ? text : `success() && (${text})`;
  return isTruthy(evaluate(expression, scope));
}
