// Errors the way tbot shows them (teleport-behaviour.md §1.6): `ERROR: <message>` on stderr, exit 1. A wrapped
// error renders like gravitational/trace's UserMessage: the outermost message first, then each
// inner one on its own line, indented by one more tab (the exact multi-line rendering is
// unverified, teleport-behaviour.md §2.3; tests match substrings).

export class TbotError extends Error {
  /** Outer messages, outermost last (trace's Messages). */
  readonly wraps: string[] = [];

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }

  /** trace.Wrap(err, message). */
  wrap(message: string): this {
    this.wraps.push(message);
    return this;
  }

  render(): string {
    const lines = [...this.wraps].reverse();
    lines.push(this.message);
    return lines.map((line, i) => '\t'.repeat(i) + line).join('\n');
  }
}

/** A TbotError from anything thrown. */
export function asTbotError(err: unknown): TbotError {
  if (err instanceof TbotError) return err;
  if (err instanceof Error) return new TbotError(err.message);
  return new TbotError(String(err));
}

/** trace.Wrap(err, message) for anything thrown. */
export function wrap(err: unknown, message: string): TbotError {
  return asTbotError(err).wrap(message);
}

/** A kingpin command-line error: usage first, then the error (teleport-behaviour.md §1.6). */
export class UsageError extends TbotError {}
