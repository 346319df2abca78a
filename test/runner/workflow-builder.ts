/** One step of a workflow a test writes: an action with inputs, or a shell command. */
export interface WorkflowStep {
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, string>;
}

export interface WorkflowOptions {
  /** Runs `./packages/setup` with this version first. */
  setupVersion?: string;
  /** The workflow's `permissions:` block as YAML lines; none when empty. */
  permissions?: string;
}

/** The permissions an auth action needs, as users write them. */
export const ID_TOKEN_PERMISSIONS = 'permissions:\n  id-token: write\n  contents: read';

function renderStep(step: WorkflowStep): string {
  const lines = [
    `      - ${step.uses ? `uses: ${step.uses}` : `run: ${JSON.stringify(step.run)}`}`,
  ];
  if (step.id) lines.push(`        id: ${step.id}`);
  if (step.if) lines.push(`        if: ${step.if}`);
  if (step.with) {
    lines.push('        with:');
    for (const [k, v] of Object.entries(step.with))
      lines.push(`          ${k}: ${JSON.stringify(v)}`);
  }
  return lines.join('\n');
}

/** A one-job workflow file, as a user would write it, for `runWorkflow`. */
export function workflowYaml(steps: WorkflowStep[], opts: WorkflowOptions = {}): string {
  const all: WorkflowStep[] = [
    ...(opts.setupVersion
      ? [{ uses: './packages/setup', with: { version: opts.setupVersion } }]
      : []),
    ...steps,
  ];
  return `on: push
${opts.permissions ?? ''}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
${all.map(renderStep).join('\n')}
`;
}
