#!/usr/bin/env node
/**
 * `api-reachability check <cdk.out | template | folder>…`: the command line (docs/cli.md).
 * It imports the template-only engine (../engine), never aws-cdk-lib or cdk-nag.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyzeRawStacks } from '../engine';
import { FindingLevel } from '../finding';
import { TemplateLoadError } from '../graph/template-loader';
import { RULE_PREFIX, RULES, Rule } from '../rules';
import { InputError, positionsByFile, readInputs, resolveInputs } from './inputs';
import { jsonReport, ReportContext, sarifReport, textReport, TOOL_NAME } from './report';

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

class UsageError extends Error {}

type Format = 'text' | 'json' | 'sarif';
type FailOn = 'error' | 'warning' | 'never';

interface Options {
  command?: string;
  inputs: string[];
  region?: string;
  format: Format;
  failOn: FailOn;
  ignore: string[];
  only: string[];
  listRules: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: ${TOOL_NAME} check [options] <cdk.out dir | template file | folder>...
       ${TOOL_NAME} --list-rules [--format json]

Finds the infrastructure mistakes that make Amazon API Gateway answer 403, in a cloud
assembly (cdk.out) or CloudFormation / SAM templates. Several inputs are read as one app.

Options:
  --region <region>               region of the stacks whose region is unknown
  --format <text|json|sarif>      report format (default: text)
  --fail-on <error|warning|never> exit 1 when a finding at or above this level is reported (default: error)
  --ignore <Rule,...>             do not run these rules (ApiReachability-Name or Name)
  --only <Rule,...>               run only these rules
  --list-rules                    list the rules (id, level, summary, docs)
  --debug                         print stack traces of internal errors
  -h, --help                      show this help
  -v, --version                   show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 unusable input or bad usage.
See https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/cli.md
`;

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

const VALUE_OPTIONS = new Set(['--region', '--format', '--fail-on', '--ignore', '--only']);

function parseArgs(argv: ReadonlyArray<string>): Options {
  const o: Options = {
    inputs: [],
    format: 'text',
    failOn: 'error',
    ignore: [],
    only: [],
    listRules: false,
    debug: false,
    help: false,
    version: false,
  };
  let positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional = positional.concat(argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (VALUE_OPTIONS.has(name)) {
      value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    } else if (eq > 0) {
      throw new UsageError(`${name} takes no value`);
    }
    switch (name) {
      case '--region':
        o.region = value;
        break;
      case '--format':
        if (value !== 'text' && value !== 'json' && value !== 'sarif') {
          throw new UsageError(`--format must be text, json or sarif, not '${value}'`);
        }
        o.format = value;
        break;
      case '--fail-on':
        if (value !== 'error' && value !== 'warning' && value !== 'never') {
          throw new UsageError(`--fail-on must be error, warning or never, not '${value}'`);
        }
        o.failOn = value;
        break;
      case '--ignore':
        o.ignore.push(...ruleList(value!));
        break;
      case '--only':
        o.only.push(...ruleList(value!));
        break;
      case '--list-rules':
        o.listRules = true;
        break;
      case '--debug':
        o.debug = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-v':
      case '--version':
        o.version = true;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  if (positional[0] === 'check') {
    o.command = 'check';
    o.inputs = positional.slice(1);
  } else if (positional.length > 0) {
    o.command = positional[0];
  }
  return o;
}

/** The rule ids of a comma-separated list of rule names (`ApiReachability-Name` or `Name`). */
function ruleList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const id = s.startsWith(`${RULE_PREFIX}-`) ? s : `${RULE_PREFIX}-${s}`;
      if (!RULES.some((r) => r.id === id)) throw new UsageError(`unknown rule '${s}' (see --list-rules)`);
      return id;
    });
}

function selectedRules(o: Options): Rule[] {
  return RULES.filter((r) => (o.only.length === 0 || o.only.includes(r.id)) && !o.ignore.includes(r.id));
}

function listRules(o: Options, io: CliIo): void {
  if (o.format === 'json') {
    const rules = RULES.map((r) => ({ id: r.id, name: r.name, level: r.level, summary: r.summary, docs: r.docs }));
    io.stdout(`${JSON.stringify({ version: 1, rules }, null, 2)}\n`);
    return;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  const lines = RULES.map(
    (r) => `${r.id.padEnd(width)}  ${r.level.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${r.docs}`,
  );
  io.stdout(`${lines.join('\n')}\n`);
}

const RANK: { readonly [level in FindingLevel]: number } = { warning: 1, error: 2 };

/** Runs the command line with `argv` (the arguments after the program name); returns the exit code. */
export function main(argv: ReadonlyArray<string>, io: CliIo): number {
  let o: Options | undefined;
  try {
    o = parseArgs(argv);
    if (o.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (o.version) {
      io.stdout(`${toolVersion()}\n`);
      return EXIT_OK;
    }
    if (o.listRules) {
      listRules(o, io);
      return EXIT_OK;
    }
    if (o.command === undefined) throw new UsageError(`no command given (try '${TOOL_NAME} check cdk.out')`);
    if (o.command !== 'check') throw new UsageError(`unknown command '${o.command}' (the command is 'check')`);
    if (o.inputs.length === 0) throw new UsageError('check needs a cdk.out directory, a template file or a folder');
    const rules = selectedRules(o);
    if (rules.length === 0) throw new UsageError('--only and --ignore leave no rule to run');

    const skipped: string[] = [];
    const stacks = readInputs(resolveInputs(o.inputs), o.region, skipped);
    if (skipped.length > 0) {
      const first = path.relative(io.cwd, skipped[0]) || skipped[0];
      io.stderr(
        `${TOOL_NAME}: skipped ${skipped.length} JSON or YAML file(s) found in folders that are not CloudFormation templates (${first}${skipped.length > 1 ? ', …' : ''})\n`,
      );
    }
    const analysis = analyzeRawStacks(stacks, rules);
    for (const d of analysis.diagnostics) io.stderr(`${TOOL_NAME}: warning: ${d}\n`);
    const ctx: ReportContext = {
      version: toolVersion(),
      rules,
      positions: positionsByFile(stacks),
      fileCount: new Set(stacks.map((s) => s.templateFile).filter((f) => f !== undefined)).size,
      cwd: io.cwd,
      color: io.isTTY && !io.env.NO_COLOR,
    };
    const report = o.format === 'json' ? jsonReport : o.format === 'sarif' ? sarifReport : textReport;
    io.stdout(report(analysis.findings, ctx));
    if (o.failOn === 'never') return EXIT_OK;
    const threshold = RANK[o.failOn];
    return analysis.findings.some((f) => RANK[f.level] >= threshold) ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${TOOL_NAME}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError || e instanceof TemplateLoadError) {
      // The files were resolved to absolute paths: name them as the user would, from the current directory.
      io.stderr(`${TOOL_NAME}: ${oneLine(e.message.split(`${io.cwd}${path.sep}`).join(''))}\n`);
      if (o?.debug) io.stderr(`${e.stack}\n`);
      return EXIT_USAGE;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(
      `${TOOL_NAME}: internal error: ${oneLine(err.message)}` +
        (o?.debug ? `\n${err.stack}\n` : ' (run with --debug for the stack trace)\n'),
    );
    return EXIT_USAGE;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
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
