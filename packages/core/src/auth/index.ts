// What the auth actions' entry points import.
export { applicationProxyAction } from '../actions/application-proxy';
export { applicationTunnelAction } from '../actions/application-tunnel';
export { authAction } from '../actions/auth';
export { authAppAction } from '../actions/auth-app';
export { authK8sAction } from '../actions/auth-k8s';
export { authSshAction } from '../actions/auth-ssh';
export { databaseTunnelAction } from '../actions/database-tunnel';
export { runAuthPost } from './post';
export {
  type AuthInputs,
  readAuthInputs,
  type SettingsOf,
  type StartedAuth,
  startAuth,
} from './run-auth';
