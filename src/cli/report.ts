/**
 * The command line's reports: text for people, JSON (a stable schema, docs/cli.md) and SARIF 2.1.0
 * for code scanning. Findings come sorted from the engine; the reports keep that order.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { Finding, FindingResource } from '../finding';
import { SourcePosition, TemplatePositions } from '../graph/source-positions';
import { findingDescription, findingLabel } from '../integrations/wording';
import { Rule } from '../rules';
import { TOOL_NAME } from './args';

export { TOOL_NAME };
export const INFORMATION_URI = 'https://github.com/cdk-api-reachability/cdk-api-reachability';

/** What a report needs besides the findings. */
export interface ReportContext {
  readonly version: string;
  readonly rules: ReadonlyArray<Rule>;
  readonly positions: ReadonlyMap<string, TemplatePositions>;
  /** The number of template files read (nested templates included). */
  readonly fileCount: number;
  readonly cwd: string;
  readonly color: boolean;
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
 * (`Properties.Environment.Variables.URL`) the file has, else the resource itself.
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
  return undefined;
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
    lines.push(`  ${level} ${paint('1', findingLabel(f))}`);
    lines.push(`          resource: ${f.resource.path ?? f.resource.logicalId} (${f.location})${where}`);
    lines.push(`          ${findingDescription(f, false)}`);
    lines.push(`          Fix: ${f.fix}`);
    lines.push(`          Docs: ${paint('36', f.docs)}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(findings, ctx.fileCount));
  return `${lines.join('\n')}\n`;
}

/** The JSON report (schema version 1, docs/cli.md). */
export function jsonReport(findings: ReadonlyArray<Finding>, ctx: ReportContext): string {
  const resource = (r: FindingResource) => ({
    stack: r.stack,
    logicalId: r.logicalId,
    constructPath: r.path ?? null,
    templateFile: r.templateFile ? relativeUri(ctx.cwd, r.templateFile) : null,
  });
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
        related: f.relatedResources.map(resource),
        fingerprint: fingerprint(f),
      };
    }),
    summary: { errors: c.errors, warnings: c.warnings, findings: findings.length, files: ctx.fileCount },
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
            locations: [{ ...(loc ? { physicalLocation: loc } : {}), logicalLocations: logical(f.resource) }],
            relatedLocations: f.relatedResources.map((r, i) => {
              const rl = physical(r);
              return {
                id: i + 1,
                ...(rl ? { physicalLocation: rl } : {}),
                logicalLocations: logical(r),
                message: { text: r.path ?? `${r.stack}/${r.logicalId}` },
              };
            }),
            partialFingerprints: { 'apiReachability/v1': fingerprint(f) },
            properties: { findingId: f.findingId, property: f.location },
          };
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
