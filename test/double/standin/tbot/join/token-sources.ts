// Where tbot gets each platform's ID token (teleport-behaviour.md §4.1): the same environment variables, the
// same HTTP request for GitHub (audience teleport.cluster.local, the same headers), and the same
// error texts.

import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Features } from '../build';
import type { BotConfig } from '../config/types';
import { TbotError } from '../errors';
import { log } from '../log';

/** lib/githubactions/token_source.go: the audience tbot always asks for. */
export const GITHUB_AUDIENCE = 'teleport.cluster.local';

function get(url: string, headers: Record<string, string>): Promise<string> {
  const u = new URL(url);
  const request = u.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'GET', headers, agent: false }, (res) => {
      log.debug('TBOT:GITHUB', 'ID token response', { status: res.statusCode });
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', (err) => reject(new TbotError(`Get "${url}": ${err.message}`)));
    req.end();
  });
}

/** githubactions.IDTokenSource.GetIDToken. The status code is ignored, like tbot does. */
export async function githubIdToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  if (!url) throw new TbotError('ACTIONS_ID_TOKEN_REQUEST_URL environment variable missing');
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!token) throw new TbotError('ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable missing');
  log.debug('TBOT:GITHUB', 'Requesting the GitHub Actions ID token', { audience: GITHUB_AUDIENCE });
  const text = await get(`${url}&audience=${GITHUB_AUDIENCE}`, {
    Authorization: `Bearer ${token}`,
    Accept: 'application/json; api-version=2.0',
    'Content-Type': 'application/json',
  });
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    const first = text.trimStart()[0] ?? '';
    throw new TbotError(`invalid character '${first}' looking for beginning of value`);
  }
  if (typeof value !== 'string' || value === '') {
    throw new TbotError('response did not include ID token');
  }
  return value;
}

export function gitlabIdToken(cfg: BotConfig, f: Features, env = process.env): string {
  const name =
    (f.gitlabTokenEnvVarName && cfg.onboarding.gitlab?.token_env_var_name) || 'TBOT_GITLAB_JWT';
  const value = env[name];
  if (!value) {
    throw new TbotError(
      f.gitlabTokenEnvVarName
        ? `"${name}" environment variable missing`
        : `${name} environment variable missing`,
    );
  }
  return value;
}

export function circleciIdToken(env = process.env): string {
  const value = env.CIRCLE_OIDC_TOKEN;
  if (!value) {
    throw new TbotError(`'CIRCLE_OIDC_TOKEN' must be present to use 'circleci' join method`);
  }
  return value;
}

/** The ID token for the configured join method (undefined for `token`). */
export async function idTokenFor(cfg: BotConfig, f: Features): Promise<string | undefined> {
  switch (cfg.onboarding.join_method) {
    case 'github':
      return githubIdToken();
    case 'gitlab':
      return gitlabIdToken(cfg, f);
    case 'circleci':
      return circleciIdToken();
    case 'token':
      return undefined;
    default:
      throw new TbotError(
        `the "${cfg.onboarding.join_method}" join method is not implemented by this Teleport double stand-in (it does github, gitlab, circleci and token)`,
      );
  }
}

/** OnboardingConfig.Token: the value, or the content of the file it names (TryReadValueAsFile). */
export async function tokenValue(value: string): Promise<string> {
  if (value.startsWith('/')) {
    try {
      return (await readFile(value, 'utf8')).trim();
    } catch {
      return value;
    }
  }
  return value;
}
