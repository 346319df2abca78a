// What the setup action's input check imports; the rest of the step is `./run`.
export { readSetupInputs } from './run-setup';
