// Faults a test can ask of the stand-in through `TBOT_DOUBLE_FAULT` (the real tbot has no such
// variable): the ways a tbot can misbehave that the plugins must notice.
//   exit-0-no-output  `start` joins, then exits 0 without writing any output
//   hang              `start` never finishes (nor joins)
//   segv              `start` dies of SIGSEGV
export type TbotFault = 'exit-0-no-output' | 'hang' | 'segv';

export function tbotFault(env: NodeJS.ProcessEnv = process.env): TbotFault | undefined {
  const value = env.TBOT_DOUBLE_FAULT;
  return value === 'exit-0-no-output' || value === 'hang' || value === 'segv' ? value : undefined;
}

/** Applies the faults that strike as `start` begins. */
export async function faultAtStart(): Promise<void> {
  const fault = tbotFault();
  if (fault === 'hang') {
    // A timer keeps the event loop (and so the process) alive forever.
    await new Promise(() => setInterval(() => {}, 1 << 30));
  }
  if (fault === 'segv') process.kill(process.pid, 'SIGSEGV');
}
