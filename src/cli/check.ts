/**
 * `api-reachability check`: the findings of the rules on cloud assemblies and templates, in the
 * format a person or a CI gate reads.
 */
import { analyzeRawStacks } from '../engine';
import { RULE_PREFIX, RULES, Rule } from '../rules';
import { acknowledgementsOf } from './acknowledged';
import { APP_OPTIONS, APP_OPTIONS_USAGE, readApp } from './app-inputs';
import {
  choice,
  CliIo,
  Command,
  EXIT_FINDINGS,
  EXIT_OK,
  lastValue,
  ParsedArgs,
  TOOL_NAME,
  toolVersion,
  UsageError,
  writeOutput,
} from './args';
import { baselineText, compareBaseline, readBaseline } from './baseline';
import { positionsByFile, sourcesByResource } from './inputs';
import { failsRun, githubReport, jsonReport, junitReport, ReportContext, sarifReport, textReport } from './report';

const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = ['error', 'warning', 'never'] as const;

/** The rule ids of a comma-separated list of rule names (`ApiReachability-Name` or `Name`). */
export function ruleList(values: ReadonlyArray<string>): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const id = s.startsWith(`${RULE_PREFIX}-`) ? s : `${RULE_PREFIX}-${s}`;
      if (!RULES.some((r) => r.id === id)) throw new UsageError(`unknown rule '${s}' (see --list-rules)`);
      return id;
    });
}

/** The rules `--only` and `--ignore` leave. */
export function selectedRules(args: ParsedArgs): Rule[] {
  const only = ruleList(args.values.get('--only') ?? []);
  const ignore = ruleList(args.values.get('--ignore') ?? []);
  const rules = RULES.filter((r) => (only.length === 0 || only.includes(r.id)) && !ignore.includes(r.id));
  if (rules.length === 0) throw new UsageError('--only and --ignore leave no rule to run');
  return rules;
}

/** `--list-rules`: id, level, summary and docs of every rule, as text or JSON. */
export function listRules(format: string, io: CliIo): void {
  if (format === 'json') {
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

const REPORTS = { text: textReport, json: jsonReport, sarif: sarifReport, junit: junitReport, github: githubReport };

export const CHECK: Command = {
  name: 'check',
  summary: 'report the findings of the rules on cdk.out, templates or folders',
  usage: `Usage: ${TOOL_NAME} check [options] <cdk.out dir | template file | folder>...

Finds the infrastructure mistakes that make Amazon API Gateway answer 403, in a cloud
assembly (cdk.out) or CloudFormation / SAM templates. Several inputs are read as one app.

Options:
${APP_OPTIONS_USAGE}  --format <text|json|sarif|junit|github>  report format (default: text)
  --out <file>                    write the report to this file instead of stdout
  --fail-on <error|warning|never> exit 1 when a finding at or above this level is reported (default: error)
  --baseline <file>               findings in this baseline are known: only new ones fail
  --write-baseline <file>         write this run's findings as a baseline
  --ignore <Rule,...>             do not run these rules (ApiReachability-Name or Name)
  --only <Rule,...>               run only these rules
  --list-rules                    list the rules (id, level, summary, docs)
  --debug                         print stack traces of internal errors
`,
  options: {
    ...APP_OPTIONS,
    '--format': true,
    '--out': true,
    '--fail-on': true,
    '--baseline': true,
    '--write-baseline': true,
    '--ignore': true,
    '--only': true,
    '--list-rules': false,
  },
  run(args: ParsedArgs, io: CliIo): number {
    const format: Format = choice(args, '--format', FORMATS, 'text');
    const failOn = choice(args, '--fail-on', FAIL_ON, 'error');
    if (args.flags.has('--list-rules')) {
      listRules(format, io);
      return EXIT_OK;
    }
    if (args.positional.length === 0) {
      throw new UsageError('check needs a cdk.out directory, a template file or a folder');
    }
    const rules = selectedRules(args);
    const baselineFile = lastValue(args, '--baseline');
    const baseline = baselineFile !== undefined ? readBaseline(baselineFile, io.cwd) : undefined;
    const stacks = readApp(args.positional, args, io);
    const analysis = analyzeRawStacks(stacks, rules);
    for (const d of analysis.diagnostics) io.stderr(`${TOOL_NAME}: warning: ${d}\n`);
    const ctx: ReportContext = {
      version: toolVersion(),
      rules,
      positions: positionsByFile(stacks),
      sources: sourcesByResource(stacks),
      fileCount: new Set(stacks.map((s) => s.templateFile).filter((f) => f !== undefined)).size,
      cwd: io.cwd,
      color: io.isTTY && !io.env.NO_COLOR && lastValue(args, '--out') === undefined,
      baseline: baseline ? compareBaseline(analysis.findings, baseline) : undefined,
      failOn: failOn === 'never' ? undefined : failOn,
      acknowledged: acknowledgementsOf(analysis.findings, stacks),
    };
    writeOutput(io, lastValue(args, '--out'), REPORTS[format](analysis.findings, ctx));
    const writeTo = lastValue(args, '--write-baseline');
    if (writeTo !== undefined) {
      writeOutput(io, writeTo, baselineText(analysis.findings, ctx.version));
      io.stderr(`${TOOL_NAME}: wrote ${analysis.findings.length} finding(s) to the baseline ${writeTo}\n`);
      // The findings just written are known from now on: only those new to an older --baseline fail.
      if (!ctx.baseline) return EXIT_OK;
    }
    return analysis.findings.some((f) => failsRun(f, ctx)) ? EXIT_FINDINGS : EXIT_OK;
  },
};
