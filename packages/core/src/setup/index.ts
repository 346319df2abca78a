// What the setup action's entry point imports.
export { runSetup } from './run-setup';
