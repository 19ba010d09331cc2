/**
 * The invariants the fuzz tests check, shared by the CI-sized tests and the long run (`run.ts`).
 * Each check returns the problems it found (empty when the case holds), never throws.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AppSpec, buildApp } from './apps';
import { serialize, shuffleKeys, TemplateCase } from './templates';
import { ApiReachabilityAspect, ApiReachabilityChecks } from '../../src';
import { analyzeScope, analyzeTemplateFiles, Analysis, graphOfApp } from '../../src/analyze';
import { Finding, FindingResource } from '../../src/finding';
import { stacksFromTemplateFiles } from '../../src/graph/from-cloud-assembly';
import { ResourceGraph, resourceKey } from '../../src/graph/resource-graph';
import { TemplateLoadError } from '../../src/graph/template-loader';
import { STAGE_NOT_CHECKED_ID } from '../../src/integrations/wording';
import { isTrueMissingNestedTemplate } from '../fixtures/helpers';

/** The kinds of problems the fuzzers count. */
export type ProblemKind =
  'throw' | 'hang' | 'silent' | 'nondeterministic' | 'order-dependent' | 'unknown-resource' | 'disagreement';

export interface Problem {
  readonly kind: ProblemKind;
  readonly detail: string;
}

/** What one template case gave: the problems, and how many findings the first run had. */
export interface CaseResult {
  readonly problems: Problem[];
  readonly findings: number;
  /** True when the engine refused the template with a TemplateLoadError (allowed). */
  readonly refused: boolean;
  /** The slowest single engine run of the case, in milliseconds. */
  readonly engineMs: number;
}

/** A finding without what differs between two runs over different files (the template file path). */
export function comparable(f: Finding): unknown {
  const strip = (r: FindingResource) => ({ path: r.path, logicalId: r.logicalId, stack: r.stack });
  const evidence = f.evidence ? { evidence: { ...f.evidence, resource: strip(f.evidence.resource) } } : {};
  return { ...f, resource: strip(f.resource), relatedResources: f.relatedResources.map(strip), ...evidence };
}

export function fingerprint(findings: ReadonlyArray<Finding>): string {
  return JSON.stringify(findings.map(comparable));
}

const SRC = path.resolve(__dirname, '../../src') + path.sep;

/** The first line of an error, with its stack top (enough to tell two failures apart). */
export function errorLine(e: unknown): string {
  if (e instanceof Error) {
    const at = (e.stack ?? '').split('\n').find((l) => l.includes(SRC));
    return `${e.name}: ${e.message.split('\n')[0].slice(0, 300)}${at ? ` ${at.trim()}` : ''}`;
  }
  return String(e);
}

type Run = { analysis: Analysis } | { refused: string } | { thrown: string };

let slowest = 0;
function timed<T>(f: () => T): T {
  const start = process.hrtime.bigint();
  try {
    return f();
  } finally {
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - start) / 1e6);
  }
}

function run(files: string[]): Run {
  return timed(() => runUntimed(files));
}

function runUntimed(files: string[]): Run {
  try {
    return { analysis: analyzeTemplateFiles(files) };
  } catch (e) {
    if (e instanceof TemplateLoadError) {
      // A refusal is allowed, when it is one line that starts with the file at fault: one of those
      // given, or a nested template beside them (a cycle is named at the template that closes it).
      const names = (f: string) => e.message.startsWith(f) || e.message.startsWith(path.dirname(f) + path.sep);
      if (!e.message.includes('\n') && files.some(names)) return { refused: e.message };
      return { thrown: `TemplateLoadError not on one line or without the file: ${e.message.slice(0, 300)}` };
    }
    return { thrown: errorLine(e) };
  }
}

/** Writes a case's files into a new temp folder; returns the main file and the folder. */
export function writeCase(files: ReadonlyArray<{ name: string; text: string }>): { main: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fz-'));
  for (const f of files) fs.writeFileSync(path.join(dir, f.name), f.text);
  return { main: path.join(dir, files[0].name), dir };
}

/**
 * Runs a template case through `analyzeTemplateFiles` three times (twice as written, once with
 * every mapping's keys shuffled) and checks: no throw beyond a one-line refusal, no internal
 * diagnostics, the same findings each time, and findings that name resources of the graph.
 */
export function checkTemplateCase(c: TemplateCase, shuffleSeed: number): CaseResult {
  slowest = 0;
  const r = checkTemplateCaseUntimed(c, shuffleSeed);
  return { ...r, engineMs: slowest };
}

function checkTemplateCaseUntimed(c: TemplateCase, shuffleSeed: number): Omit<CaseResult, 'engineMs'> {
  const problems: Problem[] = [];
  const first = writeCase(c.files);
  const yaml = c.files[0].name.endsWith('.yaml');
  const laughs = c.recipe.defects.some((d) => d.kind === 'billion-laughs');
  let shuffled: { main: string; dir: string } | undefined;
  try {
    shuffled = laughs
      ? undefined
      : writeCase(
          c.files.map((f, i) =>
            i < c.trees.length
              ? { name: f.name, text: serialize(shuffleKeys(c.trees[i], shuffleSeed), i === 0 && yaml) }
              : f,
          ),
        );
  } catch (e) {
    if (!(e instanceof RangeError)) throw e; // a tree too deep for the shuffle: this case runs unshuffled
  }
  try {
    const a = run([first.main]);
    if ('thrown' in a) return { problems: [{ kind: 'throw', detail: a.thrown }], findings: 0, refused: false };
    const b = run([first.main]);
    const key = (r: Run) =>
      'analysis' in r
        ? fingerprint(r.analysis.findings)
        : 'refused' in r
          ? `refused: ${r.refused}`
          : `thrown: ${r.thrown}`;
    if (key(a) !== key(b)) problems.push({ kind: 'nondeterministic', detail: 'two runs over the same file differ' });
    if ('refused' in a) return { problems, findings: 0, refused: true };
    const analysis = a.analysis;
    for (const d of analysis.diagnostics) {
      // a corpus template that names a nested template it does not ship: said, and true
      if (!isTrueMissingNestedTemplate(d)) problems.push({ kind: 'silent', detail: d.slice(0, 400) });
    }
    const graph = ResourceGraph.fromStacks(stacksFromTemplateFiles([first.main]));
    for (const f of analysis.findings) {
      for (const r of [f.resource, ...f.relatedResources]) {
        if (!graph.get(resourceKey(r.stack, r.logicalId))) {
          problems.push({
            kind: 'unknown-resource',
            detail: `${f.rule} names ${r.stack}/${r.logicalId}, not in the graph`,
          });
        }
      }
    }
    if (shuffled) {
      const s = run([shuffled.main]);
      if ('thrown' in s) {
        problems.push({ kind: 'order-dependent', detail: `throws only with shuffled keys: ${s.thrown}` });
      } else if (key(s) !== key(a)) {
        const sf =
          'analysis' in s ? s.analysis.findings.map((f) => `${f.ruleName}:${f.findingId}:${f.messageId}`) : [key(s)];
        const af = analysis.findings.map((f) => `${f.ruleName}:${f.findingId}:${f.messageId}`);
        problems.push({
          kind: 'order-dependent',
          detail: `shuffled keys change the findings: ${JSON.stringify(af).slice(0, 300)} vs ${JSON.stringify(sf).slice(0, 300)}${af.join() === sf.join() ? ' (same ids, other messages or evidence)' : ''}`,
        });
      }
    }
    return { problems, findings: analysis.findings.length, refused: false };
  } finally {
    fs.rmSync(first.dir, { recursive: true, force: true });
    if (shuffled) fs.rmSync(shuffled.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Apps

/** One reported finding, as the doors report it: `RuleId[findingId]` on a construct path. */
export interface DoorEntry {
  readonly rule: string;
  readonly path: string;
  readonly severity: string;
}

const entryKey = (e: DoorEntry) => `${e.path} ${e.rule} ${e.severity}`;
const entriesKey = (xs: ReadonlyArray<DoorEntry>) => JSON.stringify(xs.map(entryKey).sort());

/** Runs `f` with the console silenced; what went to `console.error` is kept in `printed`, when given. */
function quietly<T>(f: () => T, printed?: string[]): T {
  // CDK prints the validation report and annotations on the console; the figures say what matters.
  // eslint-disable-next-line no-console
  const saved = [console.error, console.warn, console.log];
  // eslint-disable-next-line no-console
  console.error = console.warn = console.log = () => undefined;
  // eslint-disable-next-line no-console
  if (printed) console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    return f();
  } finally {
    // eslint-disable-next-line no-console
    [console.error, console.warn, console.log] = saved;
  }
}

/** Why an app could not be built or synthesized by CDK itself (not our doors): the case is skipped. */
export class InvalidApp extends Error {}

/** The cdk-nag pack's report after `app.synth()`. */
export function packReport(app: App): DoorEntry[] {
  Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
  let thrown: unknown;
  quietly(() => {
    try {
      app.synth();
    } catch (e) {
      thrown = e;
    }
  });
  try {
    const file = path.join(app.outdir, 'validation-report.json');
    if (!fs.existsSync(file)) {
      if (thrown) throw thrown;
      return [];
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'ApiReachability');
    return (plugin?.violations ?? []).flatMap((v: any) =>
      // The first construct is the resource the finding is on; a second one, when there, holds its cause.
      v.violatingConstructs
        .slice(0, 1)
        .map((c: any) => ({ rule: v.ruleName, path: c.constructPath, severity: v.severity })),
    );
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/**
 * What the aspect (added on the App only) said about one Stage it could not run in: one
 * `StageNotChecked` message naming the Stage's findings, on the first stack outside any Stage, or
 * on the App and stderr when there is none.
 */
export interface StageNote {
  /** The Stage the message is about, as its id names it. */
  readonly stage: string;
  /** The construct carrying the message ('' for the App). */
  readonly on: string;
  readonly severity: string;
  /** The findings the message names: `RuleId[findingId]` and resource path (the severity is the message's). */
  readonly named: DoorEntry[];
  /** How many findings the message says it names, or undefined when its text could not be read. */
  readonly count?: number;
  /** Whether the message was also written to stderr (what `cdk synth` prints for an App-level message). */
  readonly printed: boolean;
}

export interface AspectReport {
  /** The annotations on resources. */
  readonly entries: DoorEntry[];
  readonly stages: StageNote[];
}

const STAGE_NOTE = new RegExp(
  `^${STAGE_NOT_CHECKED_ID}\\[([^\\]]*)\\]: ApiReachabilityAspect could not report the (\\d+) findings? in Stage `,
);

/** Reads a `StageNotChecked` message: its Stage, and the `Label on path (message)` items of its list. */
function readStageNote(text: string, on: string, severity: string, printed: string[]): StageNote {
  const head = STAGE_NOTE.exec(text);
  const stage = head ? head[1] : text.slice(STAGE_NOT_CHECKED_ID.length + 1, text.indexOf(']: '));
  const start = text.indexOf(' around it run: ');
  const end = text.lastIndexOf('. Fix: add the aspect inside the Stage');
  const list = start >= 0 && end > start ? text.slice(start + ' around it run: '.length, end) : '';
  const named: DoorEntry[] = [];
  for (const m of list.matchAll(/(?:^|; )(ApiReachability-[A-Za-z0-9]+\[[^\]]*\]) on (\S+) \(/g)) {
    named.push({ rule: m[1], path: m[2], severity });
  }
  const level = severity === 'error' ? 'Error' : 'Warning';
  return {
    stage,
    on,
    severity,
    named,
    count: head && list ? Number(head[2]) : undefined,
    printed: printed.some((p) => p.startsWith(`[${level} at /${on}] ${STAGE_NOT_CHECKED_ID}[${stage}]: `)),
  };
}

/**
 * The aspect's annotations after `app.synth()`: those on resources, from the stacks' messages; and
 * the `StageNotChecked` messages, from every construct's metadata (a message on the App reaches no
 * stack artifact), with whether each was printed on stderr.
 */
export function aspectReport(app: App): AspectReport {
  Aspects.of(app).add(new ApiReachabilityAspect());
  const printed: string[] = [];
  quietly(() => app.synth(), printed);
  try {
    const entries: DoorEntry[] = [];
    for (const stack of app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested)) {
      const a = Annotations.fromStack(stack);
      for (const [severity, msgs] of [
        ['error', a.findError('*', Match.stringLikeRegexp('^ApiReachability-'))],
        ['warning', a.findWarning('*', Match.stringLikeRegexp('^ApiReachability-'))],
      ] as const) {
        for (const m of msgs) {
          const text = String(m.entry.data);
          if (text.startsWith(`${STAGE_NOT_CHECKED_ID}[`)) continue;
          entries.push({ rule: text.slice(0, text.indexOf(']: ') + 1), path: m.id.replace(/^\//, ''), severity });
        }
      }
    }
    const stages: StageNote[] = [];
    for (const c of app.node.findAll()) {
      for (const m of c.node.metadata) {
        const severity = m.type === 'aws:cdk:error' ? 'error' : m.type === 'aws:cdk:warning' ? 'warning' : undefined;
        const text = String(m.data);
        if (severity && text.startsWith(`${STAGE_NOT_CHECKED_ID}[`)) {
          stages.push(readStageNote(text, c.node.path, severity, printed));
        }
      }
    }
    return { entries, stages };
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** The innermost Stage (not the App) a construct path is in, or undefined outside any Stage. */
function stageOfPath(stages: ReadonlyArray<string>, p: string): string | undefined {
  return stages.filter((s) => p.startsWith(`${s}/`)).sort((x, y) => y.length - x.length)[0];
}

/** The first stack outside any Stage in tree order, where the aspect says what concerns a whole Stage ('' for the App). */
function carrierOf(app: App): string {
  const queue = [...app.node.children];
  for (let c = queue.shift(); c; c = queue.shift()) {
    if (Stage.isStage(c)) continue;
    if (Stack.isStack(c)) return c.node.path;
    queue.unshift(...c.node.children);
  }
  return '';
}

/**
 * The aspect agrees with the pack: on resources outside Stages, the same annotations; for each Stage
 * with findings, one `StageNotChecked` message, an error when any of them is one, that names exactly
 * the pack's findings there, where `cdk synth` shows it; and no such message for a Stage without.
 */
export function compareAspectToPack(app: App, aspect: AspectReport, pack: ReadonlyArray<DoorEntry>): Problem[] {
  const problems: Problem[] = [];
  const disagree = (detail: string) => problems.push({ kind: 'disagreement', detail: detail.slice(0, 700) });
  const stages = app.node
    .findAll()
    .filter((c) => Stage.isStage(c) && c !== app)
    .map((c) => c.node.path);
  const outside = pack.filter((e) => stageOfPath(stages, e.path) === undefined);
  if (entriesKey(aspect.entries) !== entriesKey(outside)) {
    disagree(`aspect vs pack: ${entriesKey(aspect.entries).slice(0, 300)} vs ${entriesKey(outside).slice(0, 300)}`);
  }
  const named = (xs: ReadonlyArray<DoorEntry>) => JSON.stringify(xs.map((e) => `${e.path} ${e.rule}`).sort());
  const carrier = carrierOf(app);
  for (const stage of new Set([...stages, ...aspect.stages.map((n) => n.stage)])) {
    const inStage = pack.filter((e) => stageOfPath(stages, e.path) === stage);
    const notes = aspect.stages.filter((n) => n.stage === stage);
    if (inStage.length === 0) {
      if (notes.length > 0) {
        disagree(`aspect names Stage ${stage}, where the pack reports nothing: ${named(notes[0].named)}`);
      }
      continue;
    }
    if (notes.length !== 1) {
      disagree(`aspect: ${notes.length} StageNotChecked messages for Stage ${stage} (pack: ${named(inStage)})`);
      continue;
    }
    const note = notes[0];
    if (note.count === undefined || note.count !== note.named.length) {
      disagree(
        `aspect: unreadable StageNotChecked message for Stage ${stage} (${note.count} said, ${note.named.length} read)`,
      );
    }
    if (named(note.named) !== named(inStage)) {
      disagree(
        `aspect vs pack in Stage ${stage}: ${named(note.named).slice(0, 300)} vs ${named(inStage).slice(0, 300)}`,
      );
    }
    const severity = inStage.some((e) => e.severity === 'error') ? 'error' : 'warning';
    if (note.severity !== severity) disagree(`aspect: Stage ${stage} message is a ${note.severity}, pack: ${severity}`);
    if (note.on !== carrier) disagree(`aspect: Stage ${stage} message on '${note.on}', not on '${carrier}'`);
    if (note.on === '' && !note.printed) disagree(`aspect: Stage ${stage} message on the App, not printed on stderr`);
  }
  return problems;
}

/** What analyzeScope found, as the doors report it. */
export function scopeEntries(findings: ReadonlyArray<Finding>): DoorEntry[] {
  return findings.map((f) => ({ rule: `${f.rule}[${f.findingId}]`, path: f.resource.path ?? '', severity: f.level }));
}

export interface AppResult {
  readonly problems: Problem[];
  readonly findings: number;
  /** CDK itself refused the app (a generator limit, not a finding of ours). */
  readonly invalid?: string;
  /** The slowest analyzeScope run of the case, in milliseconds. */
  readonly engineMs: number;
}

/**
 * Builds a spec's app four times and checks: analyzeScope never throws and gives the same findings
 * twice and under another construct order, findings name resources of the graph, the pack reports
 * what analyzeScope found, and the aspect agrees with the pack.
 */
export function checkAppCase(spec: AppSpec, order: number): AppResult {
  slowest = 0;
  const r = checkAppCaseUntimed(spec, order);
  return { ...r, engineMs: slowest };
}

function checkAppCaseUntimed(spec: AppSpec, order: number): Omit<AppResult, 'engineMs'> {
  const problems: Problem[] = [];
  let app: App;
  try {
    app = buildApp(spec);
  } catch (e) {
    return { problems, findings: 0, invalid: errorLine(e) };
  }
  let a: Analysis;
  try {
    a = timed(() => analyzeScope(app));
  } catch (e) {
    return { problems: [{ kind: 'throw', detail: `analyzeScope: ${errorLine(e)}` }], findings: 0 };
  }
  for (const d of a.diagnostics) problems.push({ kind: 'silent', detail: d.slice(0, 400) });
  if (fingerprint(timed(() => analyzeScope(app)).findings) !== fingerprint(a.findings)) {
    problems.push({ kind: 'nondeterministic', detail: 'two analyzeScope runs over one app differ' });
  }
  const graph = graphOfApp(app);
  for (const f of a.findings) {
    for (const r of [f.resource, ...f.relatedResources]) {
      if (!graph.get(resourceKey(r.stack, r.logicalId))) {
        problems.push({
          kind: 'unknown-resource',
          detail: `${f.rule} names ${r.stack}/${r.logicalId}, not in the graph`,
        });
      }
    }
  }
  try {
    const other = buildApp(spec, order);
    const b = timed(() => analyzeScope(other));
    if (fingerprint(b.findings) !== fingerprint(a.findings)) {
      problems.push({
        kind: 'order-dependent',
        detail: `construct order ${order} changes the findings: ${entriesKey(scopeEntries(a.findings)).slice(0, 300)} vs ${entriesKey(scopeEntries(b.findings)).slice(0, 300)}`,
      });
    }
  } catch (e) {
    problems.push({ kind: 'throw', detail: `analyzeScope (order ${order}): ${errorLine(e)}` });
  }
  // A throw from synth is CDK's when the same app without our doors does not synthesize either.
  const cdkRefuses = (): string | undefined => {
    const plain = buildApp(spec);
    try {
      quietly(() => plain.synth());
      return undefined;
    } catch (e) {
      return errorLine(e);
    } finally {
      fs.rmSync(plain.outdir, { recursive: true, force: true });
    }
  };
  let pack: DoorEntry[] | undefined;
  try {
    pack = packReport(buildApp(spec));
  } catch (e) {
    const refused = cdkRefuses();
    if (refused) return { problems, findings: a.findings.length, invalid: refused };
    problems.push({ kind: 'throw', detail: `pack door: ${errorLine(e)}` });
  }
  if (pack && entriesKey(pack) !== entriesKey(scopeEntries(a.findings))) {
    problems.push({
      kind: 'disagreement',
      detail: `pack vs analyzeScope: ${entriesKey(pack).slice(0, 300)} vs ${entriesKey(scopeEntries(a.findings)).slice(0, 300)}`,
    });
  }
  // The app's aspect does not run inside a Stage (CDK synthesizes it first): it names each Stage's
  // findings in one StageNotChecked message, on the first stack outside any Stage, else on the App
  // and stderr. Half the Stage apps get an empty stack outside the Stage, so both places are checked.
  try {
    const app2 = buildApp(spec);
    if (spec.layout === 'stage' && order % 2 === 1) new Stack(app2, 'Top');
    const aspect = aspectReport(app2);
    if (pack) problems.push(...compareAspectToPack(app2, aspect, pack));
  } catch (e) {
    problems.push({ kind: 'throw', detail: `aspect door: ${errorLine(e)}` });
  }
  return { problems, findings: a.findings.length };
}
