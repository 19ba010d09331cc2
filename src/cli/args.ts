/**
 * The command line's plumbing, shared by every command: where it writes, its exit codes, one parser
 * of options, and one way of turning an error into a one-line message and an exit code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TemplateLoadError } from '../graph/template-loader';

export const TOOL_NAME = 'api-reachability';

/** Where the command line writes, and what it knows of its surroundings (tests pass their own). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly env: { readonly [name: string]: string | undefined };
  readonly cwd: string;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Bad usage: an unknown option, a missing value, a bad value. Exit 2, one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An input that cannot be used: the message is one line naming the path and what is wrong. Exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The options one command accepts: `true` for an option that takes a value, `false` for a flag. */
export interface OptionSpec {
  readonly [name: string]: boolean;
}

/** Parsed arguments: positional ones in order, each value option's values in order, the flags given. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly values: ReadonlyMap<string, string[]>;
  readonly flags: ReadonlySet<string>;
}

/** Short options and the long option each stands for. */
const SHORT: { readonly [short: string]: string } = { '-h': '--help', '-v': '--version', '-o': '--out' };

/**
 * Parses `argv` against `spec`. Values are given as `--name value` or `--name=value`; `--` ends the
 * options. An option not in the spec, a value option without a value or a flag with one is a UsageError.
 */
export function parseArgs(argv: ReadonlyArray<string>, spec: OptionSpec): ParsedArgs {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const given = eq > 0 ? arg.slice(0, eq) : arg;
    const name = SHORT[given] ?? given;
    if (!(name in spec)) throw new UsageError(`unknown option ${given}`);
    if (spec[name]) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${given} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      if (eq > 0) throw new UsageError(`${given} takes no value`);
      flags.add(name);
    }
  }
  return { positional, values, flags };
}

/** The last value of a value option, or undefined. */
export function lastValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  return v ? v[v.length - 1] : undefined;
}

/** The last value of an option that must be one of `allowed`, else `fallback`. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: ReadonlyArray<T>, fallback: T): T {
  const v = lastValue(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as ReadonlyArray<string>).includes(v)) {
    const list =
      allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : allowed[0];
    throw new UsageError(`${name} must be ${list}, not '${v}'`);
  }
  return v as T;
}

/** The package version, from the package.json two folders up (src/cli or lib/cli). */
export function toolVersion(): string {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')) as { version: string }
    ).version;
  } catch {
    return '0.0.0';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Runs one command and turns what it throws into one line on stderr and exit 2: a UsageError as
 * it is; an InputError or TemplateLoadError with the files named from the current directory; any
 * other error as an internal error. Stack traces only with `debug`.
 */
export function guarded(io: CliIo, debug: () => boolean, run: () => number): number {
  try {
    return run();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${TOOL_NAME}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError || e instanceof TemplateLoadError) {
      // The files were resolved to absolute paths: name them as the user would, from the current directory.
      io.stderr(`${TOOL_NAME}: ${oneLine(e.message.split(`${io.cwd}${path.sep}`).join(''))}\n`);
      if (debug()) io.stderr(`${e.stack}\n`);
      return EXIT_USAGE;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(
      `${TOOL_NAME}: internal error: ${oneLine(err.message)}` +
        (debug() ? `\n${err.stack}\n` : ' (run with --debug for the stack trace)\n'),
    );
    return EXIT_USAGE;
  }
}

/** Writes `text` to the file of `--out`, or to stdout. An unwritable file is an InputError. */
export function writeOutput(io: CliIo, out: string | undefined, text: string): void {
  if (out === undefined || out === '-') {
    io.stdout(text);
    return;
  }
  const file = path.resolve(io.cwd, out);
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new InputError(`${out}: cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** One command of the command line (`check`, `report`, `explain`). */
export interface Command {
  readonly name: string;
  /** One line for the overall usage. */
  readonly summary: string;
  /** The command's own usage text (`api-reachability <name> --help`). */
  readonly usage: string;
  /** Its options besides `--help` and `--debug`, which every command takes. */
  readonly options: OptionSpec;
  /** Runs it with its parsed arguments (positional ones after the command name); returns the exit code. */
  run(args: ParsedArgs, io: CliIo): number;
}
