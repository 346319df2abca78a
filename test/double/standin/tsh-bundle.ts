// Bundles the stand-in tsh's TypeScript (./tsh/main.ts) the same way as the stand-in tbot
// (./tbot-bundle.ts): an IIFE defining `__tshStandin`, node builtins from
// process.getBuiltinModule, no comments, once per process.
import { bundleStandin } from './tbot-bundle';

/** The bundled stand-in tsh program (IIFE defining `__tshStandin`). */
export const TSH_BUNDLE: string = await bundleStandin('./tsh/main.ts', '__tshStandin');
