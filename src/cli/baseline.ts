/**
 * Baselines: the findings a team has already seen, by fingerprint. With `--baseline FILE`, only the
 * findings not in it fail the run; those in it are reported as known, and those it holds that are
 * gone are reported as fixed. `--write-baseline FILE` writes the findings of this run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Finding, FindingLevel } from '../finding';
import { InputError, TOOL_NAME } from './args';
import { fingerprint } from './report';

/** One finding of a baseline file. Only `fingerprint` decides; the rest is there for people and for the report of fixed findings. */
export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly findingId: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly level: FindingLevel;
  readonly message: string;
}

/** Whether a finding of this run is in the baseline. */
export type BaselineState = 'new' | 'unchanged';

/** A run compared with a baseline. */
export interface BaselineComparison {
  /** For each finding of the run, by fingerprint: new or unchanged. */
  readonly state: ReadonlyMap<string, BaselineState>;
  /** The baseline's findings this run no longer reports (fixed, or their resource is gone), sorted. */
  readonly absent: ReadonlyArray<BaselineEntry>;
}

/** The text of a baseline file holding `findings` (sorted by fingerprint, so that it diffs well). */
export function baselineText(findings: ReadonlyArray<Finding>, version: string): string {
  const entries: BaselineEntry[] = findings.map((f) => ({
    fingerprint: fingerprint(f),
    ruleId: f.rule,
    findingId: f.findingId,
    stack: f.resource.stack,
    logicalId: f.resource.logicalId,
    level: f.level,
    message: f.message,
  }));
  const unique = [...new Map(entries.map((e) => [e.fingerprint, e])).values()].sort((a, b) =>
    byText(a.fingerprint, b.fingerprint),
  );
  return `${JSON.stringify({ version: 1, tool: { name: TOOL_NAME, version }, findings: unique }, null, 2)}\n`;
}

/** Reads a baseline file; anything else is an InputError that names the file. */
export function readBaseline(file: string, cwd: string): BaselineEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf-8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${file}: no such baseline file (write one with --write-baseline ${file})`
        : `${file}: cannot be read (${code})`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: is not a baseline file: not valid JSON (${(e as Error).message})`);
  }
  const d = doc as { version?: unknown; findings?: unknown };
  if (typeof doc !== 'object' || doc === null || d.version !== 1 || !Array.isArray(d.findings)) {
    throw new InputError(
      `${file}: is not a baseline file (expected {"version": 1, "findings": [...]}, as --write-baseline writes)`,
    );
  }
  return d.findings.map((e, i) => {
    const entry = e as Partial<BaselineEntry>;
    if (typeof entry !== 'object' || entry === null || typeof entry.fingerprint !== 'string') {
      throw new InputError(`${file}: finding ${i + 1} has no fingerprint`);
    }
    return {
      fingerprint: entry.fingerprint,
      ruleId: String(entry.ruleId ?? ''),
      findingId: String(entry.findingId ?? ''),
      stack: String(entry.stack ?? ''),
      logicalId: String(entry.logicalId ?? ''),
      level: entry.level === 'warning' ? 'warning' : 'error',
      message: String(entry.message ?? ''),
    };
  });
}

/** Compares the findings of a run with a baseline. */
export function compareBaseline(
  findings: ReadonlyArray<Finding>,
  baseline: ReadonlyArray<BaselineEntry>,
): BaselineComparison {
  const known = new Set(baseline.map((e) => e.fingerprint));
  const state = new Map<string, BaselineState>();
  for (const f of findings) {
    const fp = fingerprint(f);
    state.set(fp, known.has(fp) ? 'unchanged' : 'new');
  }
  const seen = new Set<string>();
  const absent = baseline
    .filter((e) => !state.has(e.fingerprint) && !seen.has(e.fingerprint) && seen.add(e.fingerprint))
    .sort(
      (a, b) =>
        byText(a.stack, b.stack) ||
        byText(a.ruleId, b.ruleId) ||
        byText(a.findingId, b.findingId) ||
        byText(a.logicalId, b.logicalId),
    );
  return { state, absent };
}

/** Code-point order (the same on every machine, unlike localeCompare). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
