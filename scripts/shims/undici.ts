/**
 * Stands in for `undici` inside our bundles. `@actions/http-client` imports it only for
 * `getAgentDispatcher()` (a proxy dispatcher for `fetch` users such as Octokit), which no
 * code we bundle calls; the real module is 415 KB that every step would parse at start-up.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled: HttpClient.getAgentDispatcher() is unavailable');
  }
}
