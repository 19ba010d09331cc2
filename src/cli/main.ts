#!/usr/bin/env node
/**
 * `api-reachability <command>`: the command line (docs/cli.md). It imports the template-only
 * engine (../engine), never aws-cdk-lib or cdk-nag.
 */
import { CliIo, Command, EXIT_OK, guarded, OptionSpec, parseArgs, TOOL_NAME, toolVersion, UsageError } from './args';
import { CHECK, listRules } from './check';
import { EXPLAIN } from './explain';
import { REPORT } from './report-command';

export type { CliIo } from './args';
export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, toolVersion } from './args';

/** The commands, in the order the usage lists them. */
const COMMANDS: ReadonlyArray<Command> = [CHECK, REPORT, EXPLAIN];

/** Options every command takes. */
const COMMON: OptionSpec = { '--help': false, '--debug': false };

export const USAGE = `Usage: ${TOOL_NAME} <command> [options] <inputs>...
       ${TOOL_NAME} --list-rules [--format json]

Finds the infrastructure mistakes that make Amazon API Gateway answer 403, in a cloud
assembly (cdk.out) or CloudFormation / SAM templates.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run '${TOOL_NAME} <command> --help' for a command's options.
  -h, --help      show this help
  -v, --version   show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 unusable input or bad usage.
See https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/cli.md
`;

/** Every option of every command, for finding the command among the arguments. */
function allOptions(): OptionSpec {
  const all: { [name: string]: boolean } = { ...COMMON, '--version': false, '--list-rules': false, '--format': true };
  for (const c of COMMANDS) Object.assign(all, c.options);
  return all;
}

/** Runs the command line with `argv` (the arguments after the program name); returns the exit code. */
export function main(argv: ReadonlyArray<string>, io: CliIo): number {
  let debug = false;
  return guarded(
    io,
    () => debug,
    () => {
      // First pass: find the command (options may come before it); the command's own spec checks the rest.
      const first = parseArgs(argv, allOptions());
      debug = first.flags.has('--debug');
      const name = first.positional[0];
      const command = COMMANDS.find((c) => c.name === name);
      if (command === undefined) {
        if (first.flags.has('--help')) {
          io.stdout(USAGE);
          return EXIT_OK;
        }
        if (first.flags.has('--version')) {
          io.stdout(`${toolVersion()}\n`);
          return EXIT_OK;
        }
        if (first.flags.has('--list-rules')) {
          const format = first.values.get('--format');
          listRules(format ? format[format.length - 1] : 'text', io);
          return EXIT_OK;
        }
        if (name === undefined) throw new UsageError(`no command given (try '${TOOL_NAME} check cdk.out')`);
        throw new UsageError(`unknown command '${name}' (the commands are ${COMMANDS.map((c) => c.name).join(', ')})`);
      }
      const rest = [...argv];
      rest.splice(rest.indexOf(name), 1);
      const args = parseArgs(rest, { ...COMMON, ...command.options });
      if (args.flags.has('--help')) {
        io.stdout(command.usage);
        return EXIT_OK;
      }
      return command.run(args, io);
    },
  );
}

/* istanbul ignore next: runs only as the installed binary (test/cli/child.test.ts covers it in a child process) */
if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  });
}
