/**
 * One step's log: reads the process output line by line, carries out the workflow commands in it
 * (like the runner's OutputManager + ActionCommandManager), and renders what the user sees:
 * masked, groups as `▼ title` with their lines indented, annotations as `Error: ...`.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { KNOWN_COMMANDS, OMIT_ECHO, parseCommand, type WorkflowCommand } from './commands';
import type { SecretMasker } from './masker';
import type { Annotation } from './types';

const UNSECURE_URL =
  'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';
const DEPRECATED_URL =
  'https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';

const LEVEL_LABEL = { error: 'Error', warning: 'Warning', notice: 'Notice' } as const;

export interface StepOutputOptions {
  masker: SecretMasker;
  debug: boolean;
  /** ACTIONS_ALLOW_UNSECURE_COMMANDS=true: `set-env` and `add-path` work. */
  allowUnsecureCommands?: boolean;
}

export class StepOutput {
  readonly lines: string[] = [];
  readonly annotations: Annotation[] = [];
  raw = '';
  /** A command could not be processed: the runner fails the step. */
  commandFailed = false;
  /** From the deprecated `set-output` / `save-state` commands. */
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  /** From `set-env` / `add-path` when unsecure commands are allowed. */
  readonly env: Record<string, string> = {};
  readonly path: string[] = [];

  private inGroup = false;
  private echo: boolean;
  private registered = new Set<string>(KNOWN_COMMANDS);
  private stopToken: string | null = null;

  constructor(private readonly opts: StepOutputOptions) {
    this.echo = opts.debug;
  }

  get text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }

  // ---- lines the runner itself writes -------------------------------------------------------

  /** A plain line (or several); masked, indented inside a group. */
  write(text: string): void {
    for (const line of this.opts.masker.mask(text).split('\n')) {
      this.lines.push(this.inGroup ? `  ${line}` : line);
    }
  }

  group(title: string): void {
    this.inGroup = false;
    this.write(`▼ ${title}`);
    this.inGroup = true;
  }

  endGroup(): void {
    this.inGroup = false;
  }

  debug(message: string): void {
    if (!this.opts.debug) return;
    for (const line of message.split('\n')) this.write(`##[debug]${line}`);
  }

  annotate(level: Annotation['level'], message: string, properties?: Record<string, string>): void {
    const mask = (s: string) => this.opts.masker.mask(s);
    const annotation: Annotation = { level, message: mask(message) };
    if (properties && Object.keys(properties).length > 0) {
      annotation.properties = Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, mask(v)]),
      );
    }
    this.annotations.push(annotation);
    this.write(`${LEVEL_LABEL[level]}: ${message}`);
  }

  // ---- process output -------------------------------------------------------------------------

  attach(stream: Readable): Promise<void> {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const take = (text: string) => {
      this.raw += text;
      pending += text;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        this.processLine(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    };
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        take(decoder.end());
        if (pending !== '') this.processLine(pending.replace(/\r$/, ''));
        pending = '';
        resolve();
      };
      stream.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
    });
  }

  /** One line the process printed. */
  processLine(line: string): void {
    const cmd = parseCommand(line, this.registered);
    if (!cmd) {
      this.write(line);
      return;
    }
    if (this.stopToken !== null) {
      // Only the resume token is registered while commands are stopped.
      this.write(line);
      this.debug('Resume processing commands');
      this.registered = new Set(KNOWN_COMMANDS);
      this.stopToken = null;
      return;
    }
    if (cmd.command === 'stop-commands') {
      this.write(line);
      this.debug(`Paused processing commands until '::${cmd.data}::' is received`);
      this.stopToken = cmd.data.toLowerCase();
      this.registered = new Set([this.stopToken]);
      return;
    }
    if (this.echo && !OMIT_ECHO.has(cmd.command)) this.write(line);
    try {
      this.run(cmd);
    } catch (e) {
      const shown = OMIT_ECHO.has(cmd.command) ? cmd.command : line;
      this.annotate('error', `Unable to process command '${shown}' successfully.`);
      this.annotate('error', (e as Error).message);
      this.commandFailed = true;
    }
  }

  private run(cmd: WorkflowCommand): void {
    const { data, properties } = cmd;
    switch (cmd.command) {
      case 'add-mask':
        if (data.trim() === '') {
          this.annotate(
            'warning',
            "Can't add secret mask for empty string in ##[add-mask] command.",
          );
        } else {
          if (this.echo) this.write('::add-mask::***');
          this.opts.masker.add(data);
        }
        return;
      case 'debug':
        this.debug(data);
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate(cmd.command, data, properties);
        return;
      case 'group':
        this.group(data);
        return;
      case 'endgroup':
        this.endGroup();
        return;
      case 'echo': {
        const v = data.trim().toUpperCase();
        if (v !== 'ON' && v !== 'OFF') {
          throw new Error(
            `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`,
          );
        }
        this.echo = v === 'ON';
        this.debug(`Setting echo command value to '${v.toLowerCase()}'`);
        return;
      }
      case 'set-output':
      case 'save-state': {
        const name = properties.name;
        if (!name)
          throw new Error(`Required field 'name' is missing in ##[${cmd.command}] command.`);
        this.annotate(
          'warning',
          `The \`${cmd.command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: ${DEPRECATED_URL}`,
        );
        if (cmd.command === 'set-output') this.outputs[name] = data;
        else this.state[name] = data;
        return;
      }
      case 'set-env':
      case 'add-path': {
        if (!this.opts.allowUnsecureCommands) {
          throw new Error(
            `The \`${cmd.command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: ${UNSECURE_URL}`,
          );
        }
        if (cmd.command === 'add-path') {
          if (!data) throw new Error('path');
          this.path.push(data);
          return;
        }
        const name = properties.name;
        if (!name) throw new Error("Required field 'name' is missing in ##[set-env] command.");
        if (name.toUpperCase() === 'NODE_OPTIONS') {
          this.annotate(
            'error',
            "Can't update NODE_OPTIONS environment variable using ::set-env:: command.",
          );
          return;
        }
        this.env[name] = data;
        return;
      }
      case 'add-matcher':
      case 'remove-matcher':
        this.debug(`Problem matchers are not emulated; ignoring ::${cmd.command}::${data}`);
        return;
    }
  }
}
