export { authAppAction } from '../actions/application';
export { authAction, authSshAction } from '../actions/identity';
export { authK8sAction } from '../actions/kubernetes';
export { applicationTunnelAction, databaseTunnelAction } from '../actions/tunnels';
export type { BotConfig, Output, Service } from '../tbot/config';
export { renderTbotConfig } from '../tbot/config';
export { runAuthPost } from './post';
export type { AuthAction } from './run-auth';
export { runAuth } from './run-auth';
