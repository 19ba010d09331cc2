/**
 * The command line's reports: text for people, JSON (a stable schema, docs/cli.md) and SARIF 2.1.0
 * for code scanning. Findings come sorted from the engine; the reports keep that order.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { Finding, FindingEvidence, FindingLevel, FindingResource } from '../finding';
import type { CliAcknowledgement } from './acknowledged';
import { SourcePosition, TemplatePositions } from '../graph/source-positions';
import { SourceFrame } from '../graph/types';
import { findingDescription, findingLabel } from '../integrations/wording';
import { Rule } from '../rules';
import { TOOL_NAME } from './args';
import type { BaselineComparison } from './baseline';

export { TOOL_NAME };
export const INFORMATION_URI = 'https://github.com/cdk-api-reachability/cdk-api-reachability';

/** What a report needs besides the findings. */
export interface ReportContext {
  readonly version: string;
  readonly rules: ReadonlyArray<Rule>;
  readonly positions: ReadonlyMap<string, TemplatePositions>;
  /** Where the user's code created each resource, by `stack|logicalId` (cdk.out with creation stack traces). */
  readonly sources?: ReadonlyMap<string, SourceFrame>;
  /** The number of template files read (nested templates included). */
  readonly fileCount: number;
  readonly cwd: string;
  readonly color: boolean;
  /** The run compared with `--baseline`, when one was given. */
  readonly baseline?: BaselineComparison;
  /** The lowest level that fails the run (`--fail-on`); undefined for `never`. JUnit marks those findings as failures. */
  readonly failOn?: FindingLevel;
  /** What acknowledges each acknowledged finding, by fingerprint (see acknowledged.ts). */
  readonly acknowledged?: ReadonlyMap<string, CliAcknowledgement>;
}

/** A stable hash of what names a finding (rule, finding id, stack, logical id), never of line numbers. */
export function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.rule, f.findingId, f.resource.stack, f.resource.logicalId].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Where a property of a resource sits in its file: the deepest part of `location`
 * (`Properties.Environment.Variables.URL`) the file has, else the resource itself; for a resource
 * the SAM transform makes, the part of the SAM resource that made it (`Properties.Events.GetPets`).
 */
export function positionOf(
  positions: ReadonlyMap<string, TemplatePositions>,
  r: FindingResource,
  location?: string,
): SourcePosition | undefined {
  const p = r.templateFile ? positions.get(r.templateFile) : undefined;
  if (!p) return undefined;
  const segments = location ? location.split('.').filter((s) => s !== '') : [];
  for (let n = segments.length; n >= 0; n--) {
    const found = p.positionOf(['Resources', r.logicalId, ...segments.slice(0, n)]);
    if (found) return found;
  }
  // A resource SAM makes is not in the file: point at the part of the SAM resource that made it.
  if (r.origin) {
    const made = r.origin.property ? r.origin.property.split('.').filter((s) => s !== '') : [];
    for (let n = made.length; n >= 0; n--) {
      const found = p.positionOf(['Resources', r.origin.logicalId, ...made.slice(0, n)]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Where the user's code created the resource, when the cloud assembly recorded it. */
export function sourceOf(ctx: Pick<ReportContext, 'sources'>, r: FindingResource): SourceFrame | undefined {
  return ctx.sources?.get(`${r.stack}|${r.logicalId}`);
}

function relativeUri(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

function counts(findings: ReadonlyArray<Finding>): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.level === 'error').length;
  return { errors, warnings: findings.length - errors };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line: `2 errors, 1 warning, 3 files`. */
export function summaryLine(findings: ReadonlyArray<Finding>, fileCount: number): string {
  const c = counts(findings);
  return `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${plural(fileCount, 'file')}`;
}

/**
 * `; 2 acknowledged` when findings are acknowledged, and `; 1 new, 2 in the baseline, 1 fixed` when a
 * baseline was given, after the summary line.
 */
function baselineSummary(b: BaselineComparison | undefined, acknowledged?: ReadonlyMap<string, unknown>): string {
  const acks = acknowledged && acknowledged.size > 0 ? `; ${acknowledged.size} acknowledged` : '';
  if (!b) return acks;
  const states = [...b.state.values()];
  const fresh = states.filter((s) => s === 'new').length;
  return `${acks}; ${fresh} new, ${states.length - fresh} in the baseline, ${b.absent.length} fixed`;
}

/** The text report: findings grouped by stack, then a summary line. */
export function textReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const paint = (code: string, s: string) => (ctx.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  let stack: string | undefined;
  for (const f of findings) {
    if (f.resource.stack !== stack) {
      stack = f.resource.stack;
      if (lines.length > 0) lines.push('');
      const file = f.resource.templateFile ? ` (${relativeUri(ctx.cwd, f.resource.templateFile)})` : '';
      lines.push(paint('1', `Stack ${stack}${file}`));
    }
    const level = f.level === 'error' ? paint('31', 'error  ') : paint('33', 'warning');
    const pos = positionOf(ctx.positions, f.resource, f.location);
    const where = pos ? ` at ${relativeUri(ctx.cwd, pos.file)}:${pos.line}:${pos.column}` : '';
    const known = ctx.baseline?.state.get(fingerprint(f)) === 'unchanged' ? paint('2', ' (in the baseline)') : '';
    const ack = ctx.acknowledged?.get(fingerprint(f));
    const acked = ack ? paint('2', ` (acknowledged${ack.reason ? `: ${ack.reason}` : ''})`) : '';
    lines.push(`  ${level} ${paint('1', findingLabel(f))}${acked}${known}`);
    lines.push(`          resource: ${f.resource.path ?? f.resource.logicalId} (${f.location})${where}`);
    if (f.evidence) {
      const e = f.evidence;
      const at = positionOf(ctx.positions, e.resource, e.location);
      const ewhere = at ? ` at ${relativeUri(ctx.cwd, at.file)}:${at.line}:${at.column}` : '';
      lines.push(`          cause: ${e.resource.path ?? e.resource.logicalId} (${e.location})${ewhere}`);
    }
    const src = sourceOf(ctx, f.resource);
    if (src) lines.push(`          created at ${relativeUri(ctx.cwd, src.file)}:${src.line}:${src.column}`);
    lines.push(`          ${findingDescription(f, false)}`);
    lines.push(`          Fix: ${f.fix}`);
    lines.push(`          Docs: ${paint('36', f.docs)}`);
  }
  const absent = ctx.baseline?.absent ?? [];
  if (absent.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(paint('1', `Fixed since the baseline (${absent.length})`));
    for (const e of absent) lines.push(`  ${e.ruleId}[${e.findingId}] (${e.stack}/${e.logicalId})`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(findings, ctx.fileCount) + baselineSummary(ctx.baseline, ctx.acknowledged));
  return `${lines.join('\n')}\n`;
}

function acknowledgementJson(a: CliAcknowledgement | undefined) {
  return a ? { id: a.id, reason: a.reason, at: a.at, source: a.source } : null;
}

function sourceJson(src: SourceFrame | undefined) {
  return src ? { file: src.file, line: src.line, column: src.column } : null;
}

/** The JSON report (schema version 1, docs/cli.md). */
export function jsonReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const resource = (r: FindingResource) => ({
    stack: r.stack,
    logicalId: r.logicalId,
    constructPath: r.path ?? null,
    templateFile: r.templateFile ? relativeUri(ctx.cwd, r.templateFile) : null,
  });
  const evidenceJson = (e: FindingEvidence) => {
    const at = positionOf(ctx.positions, e.resource, e.location);
    return { resource: resource(e.resource), property: e.location, line: at?.line ?? null, column: at?.column ?? null };
  };
  const c = counts(findings);
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: ctx.version },
    findings: findings.map((f) => {
      const pos = positionOf(ctx.positions, f.resource, f.location);
      return {
        ruleId: f.rule,
        findingId: f.findingId,
        level: f.level,
        message: f.message,
        fix: f.fix,
        docs: f.docs,
        resource: resource(f.resource),
        location: { property: f.location, line: pos?.line ?? null, column: pos?.column ?? null },
        evidence: f.evidence ? evidenceJson(f.evidence) : null,
        source: sourceJson(sourceOf(ctx, f.resource)),
        related: f.relatedResources.map(resource),
        fingerprint: fingerprint(f),
        acknowledged: acknowledgementJson(ctx.acknowledged?.get(fingerprint(f))),
        ...(ctx.baseline ? { baselineState: ctx.baseline.state.get(fingerprint(f)) } : {}),
      };
    }),
    ...(ctx.baseline ? { fixed: ctx.baseline.absent } : {}),
    summary: {
      errors: c.errors,
      warnings: c.warnings,
      findings: findings.length,
      files: ctx.fileCount,
      acknowledged: ctx.acknowledged?.size ?? 0,
      ...(ctx.baseline ? { new: [...ctx.baseline.state.values()].filter((v) => v === 'new').length } : {}),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The SARIF 2.1.0 log. */
export function sarifReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const ruleIndex = new Map(ctx.rules.map((r, i) => [r.id, i]));
  const physical = (r: FindingResource, location?: string) => {
    if (!r.templateFile) return undefined;
    const pos = positionOf(ctx.positions, r, location);
    return {
      artifactLocation: { uri: relativeUri(ctx.cwd, r.templateFile) },
      ...(pos
        ? {
            region: {
              startLine: pos.line,
              startColumn: pos.column,
              endLine: pos.endLine,
              endColumn: pos.endColumn,
            },
          }
        : {}),
    };
  };
  const sourceLocation = (src: SourceFrame | undefined) =>
    src
      ? [
          {
            physicalLocation: {
              artifactLocation: { uri: relativeUri(ctx.cwd, src.file) },
              region: { startLine: src.line, startColumn: src.column },
            },
            message: { text: 'The construct is created here.' },
          },
        ]
      : [];
  const logical = (r: FindingResource) => [
    {
      name: r.logicalId,
      fullyQualifiedName: r.path ?? `${r.stack}/${r.logicalId}`,
      kind: 'resource',
    },
  ];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: ctx.version,
            informationUri: INFORMATION_URI,
            rules: ctx.rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.explanation },
              helpUri: r.docs,
              help: { text: `${r.explanation} See ${r.docs}` },
              defaultConfiguration: { level: r.level },
            })),
          },
        },
        results: findings.map((f) => {
          const loc = physical(f.resource, f.location);
          return {
            ruleId: f.rule,
            ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
            level: f.level,
            message: { text: `${findingLabel(f)}: ${f.message} Fix: ${f.fix}` },
            locations: [
              { ...(loc ? { physicalLocation: loc } : {}), logicalLocations: logical(f.resource) },
              ...sourceLocation(sourceOf(ctx, f.resource)),
            ],
            // The cause first when it is in another resource (an ECS service's task definition), at its property.
            relatedLocations: [
              ...(f.evidence ? [{ resource: f.evidence.resource, location: f.evidence.location }] : []),
              ...f.relatedResources.map((r) => ({ resource: r, location: undefined })),
            ].map(({ resource: r, location }, i) => {
              const rl = physical(r, location);
              const name = r.path ?? `${r.stack}/${r.logicalId}`;
              return {
                id: i + 1,
                ...(rl ? { physicalLocation: rl } : {}),
                logicalLocations: logical(r),
                message: { text: location ? `The cause: ${name} ${location}` : name },
              };
            }),
            partialFingerprints: { 'apiReachability/v1': fingerprint(f) },
            ...(ctx.baseline ? { baselineState: ctx.baseline.state.get(fingerprint(f)) } : {}),
            ...suppressions(ctx.acknowledged?.get(fingerprint(f))),
            properties: {
              findingId: f.findingId,
              property: f.location,
              ...(f.evidence
                ? {
                    evidence: {
                      resource:
                        f.evidence.resource.path ?? `${f.evidence.resource.stack}/${f.evidence.resource.logicalId}`,
                      property: f.evidence.location,
                    },
                  }
                : {}),
            },
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** SARIF's record of an acknowledged result: suppressed in the source, accepted, with its reason. */
function suppressions(a: CliAcknowledgement | undefined) {
  if (!a) return {};
  return {
    suppressions: [
      {
        kind: 'inSource',
        status: 'accepted',
        ...(a.reason ? { justification: a.reason } : {}),
        properties: { id: a.id, at: a.at, source: a.source },
      },
    ],
  };
}

/** The characters XML text and attributes cannot hold as they are; control characters XML 1.0 forbids are dropped. */
function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

const LEVEL_RANK: { readonly [level in FindingLevel]: number } = { warning: 1, error: 2 };

/** True when the finding fails the run: at or above `--fail-on`, not acknowledged, and not known from the baseline. */
export function failsRun(f: Finding, ctx: Pick<ReportContext, 'failOn' | 'baseline' | 'acknowledged'>): boolean {
  if (ctx.failOn === undefined || LEVEL_RANK[f.level] < LEVEL_RANK[ctx.failOn]) return false;
  if (ctx.acknowledged?.has(fingerprint(f))) return false;
  return ctx.baseline?.state.get(fingerprint(f)) !== 'unchanged';
}

/**
 * The JUnit XML report: a test suite per rule that ran, a test case per rule × resource with
 * findings (failed when one of its findings fails the run, see failsRun; passed with the findings
 * in `system-out` otherwise), and one passing case for a rule that found nothing.
 */
export function junitReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const rule of ctx.rules) {
    const byResource = new Map<string, Finding[]>();
    for (const f of findings) {
      if (f.rule !== rule.id) continue;
      const key = `${f.resource.stack}\u0000${f.resource.logicalId}`;
      byResource.set(key, [...(byResource.get(key) ?? []), f]);
    }
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const group of byResource.values()) {
      const r = group[0].resource;
      const name = xml(r.path ?? `${r.stack}/${r.logicalId}`);
      const pos = positionOf(ctx.positions, r, group[0].location);
      const file = r.templateFile
        ? ` file="${xml(relativeUri(ctx.cwd, r.templateFile))}"${pos ? ` line="${pos.line}"` : ''}`
        : '';
      const body = group
        .map((f) => {
          const ack = ctx.acknowledged?.get(fingerprint(f));
          const acked = ack ? `\nAcknowledged (${ack.id} at ${ack.at})${ack.reason ? `: ${ack.reason}` : ''}` : '';
          return `${findingLabel(f)} (${f.level}): ${f.message}\nFix: ${f.fix}\nDocs: ${f.docs}${acked}`;
        })
        .join('\n\n');
      const failing = group.filter((f) => failsRun(f, ctx));
      if (failing.length > 0) {
        suiteFailures++;
        const first = failing[0];
        cases.push(
          `    <testcase classname="${xml(rule.id)}" name="${name}"${file}>\n` +
            `      <failure type="${first.level}" message="${xml(`${findingLabel(first)}: ${first.message}`)}">${xml(body)}</failure>\n` +
            '    </testcase>',
        );
      } else {
        cases.push(
          `    <testcase classname="${xml(rule.id)}" name="${name}"${file}>\n      <system-out>${xml(body)}</system-out>\n    </testcase>`,
        );
      }
    }
    if (cases.length === 0) cases.push(`    <testcase classname="${xml(rule.id)}" name="no findings"/>`);
    tests += cases.length;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xml(rule.id)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  out.push(`<testsuites name="${TOOL_NAME}" tests="${tests}" failures="${failures}" errors="0">`);
  out.push(...suites);
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** `, cause: Svc/Task/Resource (Properties.…)` when the cause is in another resource's template. */
function cause(f: Finding): string {
  const e = f.evidence;
  return e ? `, cause: ${e.resource.path ?? `${e.resource.stack}/${e.resource.logicalId}`} (${e.location})` : '';
}

/** GitHub workflow-command escaping of a message, and of a property value (which also escapes `:` and `,`). */
function ghData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): one annotation per finding
 * on its template file and line; findings known from the baseline, or acknowledged, are left out. Ends with the
 * summary line, which the log shows as plain text.
 */
export function githubReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const lines: string[] = [];
  for (const f of findings) {
    if (ctx.baseline?.state.get(fingerprint(f)) === 'unchanged' || ctx.acknowledged?.has(fingerprint(f))) continue;
    const props: string[] = [];
    const pos = positionOf(ctx.positions, f.resource, f.location);
    // The user's source is in the repository (and in the pull request's diff); cdk.out is not.
    const src = sourceOf(ctx, f.resource);
    if (src) {
      props.push(`file=${ghProperty(relativeUri(ctx.cwd, src.file))}`, `line=${src.line}`, `col=${src.column}`);
    } else if (f.resource.templateFile) {
      props.push(`file=${ghProperty(relativeUri(ctx.cwd, f.resource.templateFile))}`);
      if (pos) {
        props.push(`line=${pos.line}`, `col=${pos.column}`);
        if (pos.endLine !== undefined) props.push(`endLine=${pos.endLine}`);
      }
    }
    props.push(`title=${ghProperty(findingLabel(f))}`);
    const where = f.resource.path ?? `${f.resource.stack}/${f.resource.logicalId}`;
    lines.push(
      `::${f.level} ${props.join(',')}::${ghData(`${where} (${f.location})${cause(f)}: ${f.message}\nFix: ${f.fix}\nDocs: ${f.docs}`)}`,
    );
  }
  lines.push(summaryLine(findings, ctx.fileCount) + baselineSummary(ctx.baseline, ctx.acknowledged));
  return `${lines.join('\n')}\n`;
}
