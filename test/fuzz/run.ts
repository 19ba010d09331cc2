/**
 * The long fuzz run (`npm run fuzz`): many random templates and apps through the engine, with the
 * invariants of the CI-sized tests, a per-case time budget, and a watchdog that kills a case that
 * hangs. Prints figures and writes each failing case (files, recipe, seed) to FUZZ_OUT.
 *
 *   FUZZ_TEMPLATES=20000 FUZZ_APPS=500 npm run fuzz
 *
 * Environment:
 *   FUZZ_TEMPLATES      template cases (default 2000)
 *   FUZZ_APPS           app cases (default 50)
 *   FUZZ_SEED           base seed (default 1); case i of a kind uses seed + i, so one case replays alone
 *   FUZZ_BUDGET_MS      per-case budget of the slowest engine run; over it counts as a hang (default 2000)
 *   FUZZ_KILL_MS        a case still running after this is killed and counted as a hang (default 5000)
 *   FUZZ_KNOWN_DEFECTS  1 (default): also generate the hostile inputs of the defects fixed in issue B
 *                       (YAML alias bombs, template cycles, Fn::GetStackOutput fan-out, deep nesting,
 *                       very long strings, key-order traps); their failures are listed apart, and
 *                       fail the run like any other; 0: only the bounded generators of the CI tests
 *   FUZZ_KNOWN_SHARE    the share of template cases given a known-defect input (default 0.05)
 *   FUZZ_OUT            where failing cases go (default: a new folder under the OS temp dir)
 *   FUZZ_ONLY           `template:<i>` or `app:<i>`: replay one case
 *
 * The run is a supervisor and a worker process: the worker runs the cases and reports each one;
 * the supervisor kills it when a case outlives FUZZ_KILL_MS, and starts a new one after that case.
 */
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { appSpecArb, AppSpec } from './apps';
import { checkAppCase, checkTemplateCase, errorLine, Problem } from './checks';
import {
  buildTemplateCase,
  CI_TEMPLATE_OPTIONS,
  TemplateFuzzOptions,
  TemplateRecipe,
  templateRecipeArb,
} from './templates';

type Kind = 'template' | 'app';

interface Settings {
  readonly templates: number;
  readonly apps: number;
  readonly seed: number;
  readonly budgetMs: number;
  readonly killMs: number;
  readonly knownDefects: boolean;
  readonly knownShare: number;
  readonly out: string;
  readonly only?: { kind: Kind; index: number };
}

function settings(): Settings {
  const num = (name: string, def: number) => {
    const v = process.env[name];
    return v === undefined || v === '' ? def : Number(v);
  };
  const only = /^(template|app):(\d+)$/.exec(process.env.FUZZ_ONLY ?? '');
  return {
    templates: num('FUZZ_TEMPLATES', 2000),
    apps: num('FUZZ_APPS', 50),
    seed: num('FUZZ_SEED', 1),
    budgetMs: num('FUZZ_BUDGET_MS', 2000),
    killMs: num('FUZZ_KILL_MS', 5_000),
    knownShare: num('FUZZ_KNOWN_SHARE', 0.05),
    knownDefects: process.env.FUZZ_KNOWN_DEFECTS !== '0',
    out: process.env.FUZZ_OUT || fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-fuzz-')),
    only: only ? { kind: only[1] as Kind, index: Number(only[2]) } : undefined,
  };
}

/** The generator bounds of the long run: far beyond CI's when the known defects are in. */
function templateOptions(s: Settings): TemplateFuzzOptions {
  return s.knownDefects
    ? { maxDepth: 5_000, maxStringLength: 200_000, knownDefects: true, knownShare: s.knownShare }
    : CI_TEMPLATE_OPTIONS;
}

export function templateRecipe(s: Settings, i: number): TemplateRecipe {
  return fc.sample(templateRecipeArb(templateOptions(s)), { seed: s.seed + i, numRuns: 1 })[0];
}

export function appSpec(s: Settings, i: number): AppSpec {
  return fc.sample(appSpecArb, { seed: s.seed + i, numRuns: 1 })[0];
}

/** The known defects a template case reaches by construction (its failures are counted apart). */
function knownTags(r: TemplateRecipe): string[] {
  const tags: string[] = r.defects.map((d) => d.kind);
  if (r.mutations.some((m) => m.kind === 'nest' && m.depth > CI_TEMPLATE_OPTIONS.maxDepth)) tags.push('deep-nesting');
  if (r.mutations.some((m) => m.kind === 'long' && m.length > CI_TEMPLATE_OPTIONS.maxStringLength)) {
    tags.push('very-long-string');
  }
  return tags;
}

// ---------------------------------------------------------------------------------------------
// Worker

interface Report {
  readonly type: 'start' | 'done';
  readonly kind: Kind;
  readonly index: number;
  readonly ms?: number;
  readonly problems?: Problem[];
  readonly refused?: boolean;
  readonly invalid?: boolean;
  readonly findings?: number;
  readonly known?: string[];
}

function saveCase(s: Settings, kind: Kind, index: number, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  if (kind === 'template') {
    const recipe = templateRecipe(s, index);
    const c = buildTemplateCase(recipe);
    for (const f of c.files) {
      fs.writeFileSync(path.join(into, f.name), f.text.length > 20_000_000 ? f.text.slice(0, 20_000_000) : f.text);
    }
    fs.writeFileSync(path.join(into, 'recipe.json'), JSON.stringify({ seed: s.seed + index, recipe }, null, 1));
  } else {
    fs.writeFileSync(
      path.join(into, 'spec.json'),
      JSON.stringify({ seed: s.seed + index, spec: appSpec(s, index) }, null, 1),
    );
  }
}

function worker(s: Settings, kind: Kind, from: number, to: number): void {
  process.env.CDK_VALIDATION = 'false'; // CDK's own template validation costs seconds a synth
  const send = (r: Report) => process.send!(r);
  for (let i = from; i < to; i++) {
    send({ type: 'start', kind, index: i });
    try {
      runCase(s, kind, i, send);
    } catch (e) {
      // The harness itself failed (a generator limit): say so, apart from the engine's failures.
      send({
        type: 'done',
        kind,
        index: i,
        ms: 0,
        problems: [{ kind: 'throw', detail: `harness: ${errorLine(e)}` }],
        known: ['harness'],
      });
    }
  }
}

function runCase(s: Settings, kind: Kind, i: number, send: (r: Report) => void): void {
  {
    if (kind === 'template') {
      const recipe = templateRecipe(s, i);
      const r = checkTemplateCase(buildTemplateCase(recipe), s.seed + i);
      send({
        type: 'done',
        kind,
        index: i,
        ms: r.engineMs,
        problems: r.problems,
        refused: r.refused,
        findings: r.findings,
        known: knownTags(recipe),
      });
    } else {
      const r = checkAppCase(appSpec(s, i), s.seed + i + 1);
      send({
        type: 'done',
        kind,
        index: i,
        ms: r.engineMs,
        problems: r.problems,
        invalid: r.invalid !== undefined,
        findings: r.findings,
        known: [],
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Supervisor

interface Figures {
  cases: number;
  refused: number;
  invalid: number;
  withFindings: number;
  maxMs: number;
  counts: { [kind: string]: number };
  knownCounts: { [kind: string]: number };
}

const newFigures = (): Figures => ({
  cases: 0,
  refused: 0,
  invalid: 0,
  withFindings: 0,
  maxMs: 0,
  counts: {},
  knownCounts: {},
});

/** A failure's signature: its kind and first line, without numbers, paths and ids that vary. */
function signature(p: Problem): string {
  return `${p.kind}: ${p.detail
    .replace(/\/tmp\/\S+/g, '<file>')
    .replace(/\d+/g, 'N')
    .replace(/Fz[A-Za-z]+N/g, 'Fz*')
    .slice(0, 160)}`;
}

function runKind(
  s: Settings,
  kind: Kind,
  total: number,
  figures: Figures,
  failures: Map<string, { count: number; first: string; known: boolean }>,
): Promise<void> {
  return new Promise((resolve) => {
    let next = s.only ? s.only.index : 0;
    const end = s.only ? s.only.index + 1 : total;
    let child: ChildProcess | undefined;
    let timer: NodeJS.Timeout | undefined;
    let current: number | undefined;
    const record = (index: number, problems: Problem[], known: string[]) => {
      if (problems.length === 0) return;
      const dir = path.join(s.out, `${kind}-${index}`);
      fs.mkdirSync(dir, { recursive: true });
      try {
        saveCase(s, kind, index, dir);
      } catch (e) {
        fs.writeFileSync(path.join(dir, 'unsaved.txt'), `the case could not be written: ${errorLine(e)}\n`);
      }
      fs.writeFileSync(path.join(dir, 'problems.json'), JSON.stringify({ known, problems }, null, 1));
      for (const p of problems) {
        const isKnown = known.length > 0;
        (isKnown ? figures.knownCounts : figures.counts)[p.kind] =
          ((isKnown ? figures.knownCounts : figures.counts)[p.kind] ?? 0) + 1;
        const sig = `${isKnown ? `[known: ${known.join(',')}] ` : ''}${signature(p)}`;
        const f = failures.get(sig);
        if (f) f.count++;
        else failures.set(sig, { count: 1, first: `${kind}:${index}`, known: isKnown });
      }
    };
    const start = () => {
      if (next >= end) return resolve();
      child = fork(__filename, [], {
        env: { ...process.env, FUZZ_WORKER: `${kind}:${next}:${end}`, FUZZ_OUT: s.out },
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      child.on('message', (r: Report) => {
        if (r.type === 'start') {
          current = r.index;
          clearTimeout(timer);
          timer = setTimeout(() => {
            // A hang: kill the worker, count it, and go on after this case.
            const known = kind === 'template' ? knownTags(templateRecipe(s, r.index)) : [];
            figures.cases++;
            record(r.index, [{ kind: 'hang', detail: `still running after ${s.killMs} ms (killed)` }], known);
            next = r.index + 1;
            current = undefined;
            child?.removeAllListeners('exit');
            child?.kill('SIGKILL');
            start();
          }, s.killMs);
          return;
        }
        clearTimeout(timer);
        current = undefined;
        next = r.index + 1;
        figures.cases++;
        if (r.refused) figures.refused++;
        if (r.invalid) figures.invalid++;
        if ((r.findings ?? 0) > 0) figures.withFindings++;
        figures.maxMs = Math.max(figures.maxMs, r.ms ?? 0);
        const problems = [...(r.problems ?? [])];
        if ((r.ms ?? 0) > s.budgetMs) {
          problems.push({ kind: 'hang', detail: `over the budget: ${Math.round(r.ms!)} ms > ${s.budgetMs} ms` });
        }
        record(r.index, problems, r.known ?? []);
        if (figures.cases % 250 === 0) process.stderr.write(`  ${kind}s: ${figures.cases}/${end}\n`);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (current !== undefined) {
          // The worker died inside a case (a crash of the process itself, e.g. out of memory).
          const known = kind === 'template' ? knownTags(templateRecipe(s, current)) : [];
          figures.cases++;
          record(current, [{ kind: 'throw', detail: `the process died (exit ${code})` }], known);
          next = current + 1;
          current = undefined;
        }
        start();
      });
    };
    start();
  });
}

function print(kind: string, f: Figures): void {
  const count = (k: string) => f.counts[k] ?? 0;
  const known = (k: string) => f.knownCounts[k] ?? 0;
  const line = (label: string, k: string) =>
    `    ${label.padEnd(34)} ${String(count(k)).padStart(6)}   (+${known(k)} in known-defect cases)`;
  const out = [
    `  ${kind}`,
    `    ${'cases run'.padEnd(34)} ${String(f.cases).padStart(6)}`,
    kind === 'templates'
      ? `    ${'refused (one-line TemplateLoadError)'.padEnd(34)} ${String(f.refused).padStart(6)}`
      : `    ${'skipped (CDK refused the app)'.padEnd(34)} ${String(f.invalid).padStart(6)}`,
    `    ${'with findings'.padEnd(34)} ${String(f.withFindings).padStart(6)}`,
    `    ${'slowest engine run (ms)'.padEnd(34)} ${String(Math.round(f.maxMs)).padStart(6)}`,
    line('throws', 'throw'),
    line('hangs (over budget or killed)', 'hang'),
    line('silent (internal diagnostics)', 'silent'),
    line('different findings on a rerun', 'nondeterministic'),
    line('order-dependent results', 'order-dependent'),
    line('findings naming unknown resources', 'unknown-resource'),
    line('door disagreements', 'disagreement'),
  ];
  // eslint-disable-next-line no-console
  console.log(out.join('\n'));
}

async function supervisor(s: Settings): Promise<void> {
  const t0 = Date.now();
  // eslint-disable-next-line no-console
  console.log(
    `fuzz: ${s.templates} templates, ${s.apps} apps, seed ${s.seed}, budget ${s.budgetMs} ms, known-defect generators ${s.knownDefects ? 'on' : 'off'}; failing cases go to ${s.out}`,
  );
  const failures = new Map<string, { count: number; first: string; known: boolean }>();
  const templates = newFigures();
  const apps = newFigures();
  if (!s.only || s.only.kind === 'template') await runKind(s, 'template', s.templates, templates, failures);
  if (!s.only || s.only.kind === 'app') await runKind(s, 'app', s.apps, apps, failures);
  // eslint-disable-next-line no-console
  console.log(`\nfigures (${Math.round((Date.now() - t0) / 1000)} s):`);
  print('templates', templates);
  print('apps', apps);
  const sorted = [...failures].sort((a, b) => Number(a[1].known) - Number(b[1].known) || b[1].count - a[1].count);
  // eslint-disable-next-line no-console
  console.log(`\ndistinct failures: ${failures.size}${failures.size > 0 ? ' (count, first case, signature)' : ''}`);
  for (const [sig, f] of sorted) {
    // eslint-disable-next-line no-console
    console.log(`  ${String(f.count).padStart(5)}  ${f.first.padEnd(14)} ${sig}`);
  }
  fs.mkdirSync(s.out, { recursive: true });
  fs.writeFileSync(
    path.join(s.out, 'summary.json'),
    JSON.stringify({ settings: s, templates, apps, failures: Object.fromEntries(sorted) }, null, 1),
  );
  const unknown = sorted.filter(([, f]) => !f.known).length;
  const hostile = sorted.length - unknown;
  // eslint-disable-next-line no-console
  console.log(
    `\n${unknown} distinct failure(s) outside the known-defect cases. Replay one with FUZZ_ONLY=<kind>:<i> (same FUZZ_SEED).`,
  );
  if (hostile > 0) {
    console.log(
      `${hostile} distinct failure(s) in the hostile-input cases: these defects were fixed, so this is a regression.`,
    );
  }
  // The defects these inputs were made for are fixed: a failure on them is a regression too.
  process.exitCode = sorted.length > 0 ? 1 : 0;
}

const s = settings();
const w = process.env.FUZZ_WORKER;
if (w) {
  const [kind, from, to] = w.split(':');
  worker(s, kind as Kind, Number(from), Number(to));
  process.disconnect?.();
} else {
  void supervisor(s);
}
