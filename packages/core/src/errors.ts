/**
 * An error the user can act on. Its message is shown as-is, on one line, without a stack
 * trace: it names what is wrong and what to change.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A bad value in a named input. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input '${input}': ${problem}`);
  }
}

/** The one-line text to show for any thrown value. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // One line: collapse whatever a library put on several.
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
