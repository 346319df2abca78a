import { InputError } from '../errors';

/** Join methods whose ID token a CI platform provides (teleport-behaviour.md §4.1). */
export type CiJoinMethod = 'github' | 'gitlab' | 'circleci' | 'bitbucket' | 'azure_devops';

/** Every join method the engine configures tbot with. */
export type JoinMethod = CiJoinMethod | 'bound_keypair' | 'token';

export const JOIN_METHODS: readonly JoinMethod[] = [
  'github',
  'gitlab',
  'circleci',
  'bitbucket',
  'azure_devops',
  'bound_keypair',
  'token',
];

export function isJoinMethod(value: string): value is JoinMethod {
  return (JOIN_METHODS as readonly string[]).includes(value);
}

/** The `join-method` input: one of the methods above. */
export function parseJoinMethodInput(raw: string, input = 'join-method'): JoinMethod {
  if (isJoinMethod(raw)) return raw;
  throw new InputError(input, `'${raw}' is not one of ${JOIN_METHODS.join(', ')}`);
}
