/**
 * `api-reachability check`: the findings of the rules on cloud assemblies and templates, in the
 * format a person or a CI gate reads.
 */
import * as path from 'path';
import { analyzeRawStacks } from '../engine';
import { FindingLevel } from '../finding';
import { RULE_PREFIX, RULES, Rule } from '../rules';
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
} from './args';
import { positionsByFile, readInputs, resolveInputs } from './inputs';
import { jsonReport, ReportContext, sarifReport, textReport } from './report';

const FORMATS = ['text', 'json', 'sarif'] as const;
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

const RANK: { readonly [level in FindingLevel]: number } = { warning: 1, error: 2 };

export const CHECK: Command = {
  name: 'check',
  summary: 'report the findings of the rules on cdk.out, templates or folders',
  usage: `Usage: ${TOOL_NAME} check [options] <cdk.out dir | template file | folder>...

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
`,
  options: {
    '--region': true,
    '--format': true,
    '--fail-on': true,
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
    const skipped: string[] = [];
    const stacks = readInputs(resolveInputs(args.positional), lastValue(args, '--region'), skipped);
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
    const report = format === 'json' ? jsonReport : format === 'sarif' ? sarifReport : textReport;
    io.stdout(report(analysis.findings, ctx));
    if (failOn === 'never') return EXIT_OK;
    const threshold = RANK[failOn];
    return analysis.findings.some((f) => RANK[f.level] >= threshold) ? EXIT_FINDINGS : EXIT_OK;
  },
};
