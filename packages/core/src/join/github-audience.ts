/** tbot asks GitHub for this audience and the auth server checks it (teleport-behaviour.md §4.1, §4.2). */
export const GITHUB_AUDIENCE = 'teleport.cluster.local';
