export type { ArtifactSpec } from '../install/artifact';
export { artifactName, DEFAULT_CDN_BASE_URL, resolveCdnBase, topFolder } from '../install/artifact';
export type { InstallRequest, InstallResult } from '../install/install';
export { installTeleport } from '../install/install';
export { readSetupInputs, runSetup } from './run-setup';
