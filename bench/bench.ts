/**
 * `npm run bench`: what the checks add to `cdk synth`, against bare synth and against cdk-nag.
 *
 * Generated apps (bench/app.ts) from ~250 to ~8,000 CloudFormation resources. In interleaved rounds
 * (every series once per round, in a rotating order, each on a freshly built app; building it is not
 * timed), each round in a process of its own after a warm-up there, it times `app.synth()`:
 *
 * - `bare`: no checks (CDK's built-in CloudFormation validation off, stack traces off, as `cdk synth`
 *   runs an app);
 * - `checks`: `Validations.of(app).addPlugins(new ApiReachabilityChecks(app))`;
 * - `aspect`: `Aspects.of(app).add(new ApiReachabilityAspect())`;
 * - `nag`: cdk-nag's `AwsSolutionsChecks` as a validation plugin (the reference users compare with);
 * - `floor`: an aspect that does nothing (what CDK charges any aspect door);
 * - `pluginFloor`: a validation plugin that reports nothing (what CDK charges any plugin door: it
 *   builds its construct tree index and writes the validation report whatever the plugin does).
 *
 * The two floors are measured at the size nearest 4,000 resources only (BENCH_FLOORS=all: at every size).
 *
 * The overhead of a series is the median, over rounds, of its synth time minus the bare synth time of
 * the same round. Its "door" time is the time spent inside the plugin's `validate` or the aspect's
 * `visit` calls. The engine alone (the template door's read of the synthesized `cdk.out`, the
 * construct-tree read, the graph, the facts and the rules, each timed) and the extra peak memory
 * (maxRSS of a child process that synthesizes the ~4,000-resource app with each door, against one
 * without) complete it. The log-log slope of each series against size says whether cost grows
 * linearly. Prints a table and writes the same as JSON (BENCH_OUT, default bench/results.json).
 *
 * BENCH_SIZES (target resource counts, default 250,500,1000,2000,4000,8000), BENCH_ROUNDS
 * (rounds at each size, default 5,4,3,3,2,2), BENCH_MEMORY=0 (skip the memory runs).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, IAspect, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { buildApp } from './app';
import { deriveFacts } from '../src/facts';
import { readsResourceType } from '../src/facts/read-types';
import { stacksFromCloudAssembly } from '../src/graph/from-cloud-assembly';
import { stacksFromConstructTree } from '../src/graph/from-construct-tree';
import { ResourceGraph } from '../src/graph/resource-graph';
import { ApiReachabilityAspect } from '../src/integrations/api-reachability-aspect';
import { ApiReachabilityChecks } from '../src/integrations/api-reachability-checks';
import { RULES } from '../src/rules';

const SERIES = ['bare', 'checks', 'aspect', 'nag', 'floor', 'pluginFloor'] as const;
const FLOORS: ReadonlyArray<Series> = ['floor', 'pluginFloor'];
type Series = (typeof SERIES)[number];
/** Resources per service stack of bench/app.ts, network stacks included (measured: 4,112 for 100). */
const PER_SERVICE = 41.1;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Run {
  readonly synthMs: number;
  readonly doorMs: number;
  readonly resources: number;
  readonly stacks: number;
}

/** Synthesizes a fresh app of `services` service stacks with one series' door; returns the times. */
function synthOnce(series: Series, services: number, outdir: string): Run {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = buildApp(services, { outdir });
  let doorMs = 0;
  const timed = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
    const t = now();
    try {
      return f(...a);
    } finally {
      doorMs += now() - t;
    }
  };
  if (series === 'checks' || series === 'nag') {
    const plugin = series === 'checks' ? new ApiReachabilityChecks(app) : new AwsSolutionsChecks(app);
    plugin.validate = timed(plugin.validate.bind(plugin));
    Validations.of(app).addPlugins(plugin);
  } else if (series === 'pluginFloor') {
    const plugin: IPolicyValidationPluginBeta1 = {
      name: 'Nothing',
      validate: timed((_: IPolicyValidationContextBeta1) => ({ success: true, violations: [] })),
    };
    Validations.of(app).addPlugins(plugin);
  } else if (series === 'aspect' || series === 'floor') {
    const aspect: IAspect = series === 'aspect' ? new ApiReachabilityAspect() : { visit: (_: IConstruct) => {} };
    aspect.visit = timed(aspect.visit.bind(aspect));
    Aspects.of(app).add(aspect);
  }
  // The validation report CDK prints is part of the cost, but not of the benchmark's output.
  const print = { log: console.log, error: console.error, warn: console.warn };
  console.log = console.error = console.warn = () => {};
  const t = now();
  try {
    app.synth();
  } catch (e) {
    // Both packs fail the synth of an app with error-level findings: the time until then is the cost.
    if (!/Validation failed/i.test(String((e as Error).message))) throw e;
  } finally {
    Object.assign(console, print);
  }
  const synthMs = now() - t;
  return { synthMs, doorMs, ...countOf(outdir) };
}

function countOf(outdir: string): { resources: number; stacks: number } {
  let resources = 0;
  let stacks = 0;
  for (const f of fs.readdirSync(outdir).filter((n) => n.endsWith('.template.json'))) {
    stacks++;
    resources += Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf-8')).Resources ?? {}).length;
  }
  return { resources, stacks };
}

interface EngineRun {
  readonly templateDoorMs: number;
  readonly treeReadMs: number;
  readonly graphMs: number;
  readonly factsMs: number;
  readonly rulesMs: number;
  readonly findings: number;
}

/** The engine alone: on the cloud assembly the bare synth wrote, and on the construct tree of a fresh app. */
function engineOnce(services: number, assembly: string, outdir: string): EngineRun {
  const tree = buildApp(services, { outdir });
  gc();
  let t = now();
  stacksFromConstructTree(tree, { readsType: readsResourceType });
  const treeReadMs = now() - t;
  t = now();
  const raw = stacksFromCloudAssembly(assembly);
  const templateDoorMs = now() - t;
  t = now();
  const graph = ResourceGraph.fromStacks(raw, { readsType: readsResourceType });
  const graphMs = now() - t;
  t = now();
  const facts = deriveFacts(graph);
  const factsMs = now() - t;
  t = now();
  let findings = 0;
  for (const rule of RULES) findings += rule.check(facts).length;
  const rulesMs = now() - t;
  return { templateDoorMs, treeReadMs, graphMs, factsMs, rulesMs, findings };
}

/** A collection before each timed run, when node runs with --expose-gc: what one run leaves is not charged to the next. */
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * One round at one size, in a process of its own (CDK's token map keeps every token of every app a
 * process builds, so that apps built one after another in one process get slower and slower): a
 * warm-up, then every series once in the given order, then the engine alone.
 */
function round(services: number, r: number, outdir: string, series: Series[]): { runs: Record<string, Run>; engine: EngineRun } {
  for (let pass = 0; pass < 2; pass++) for (const s of series) synthOnce(s, 5, path.join(outdir, `warm-${s}`));
  engineOnce(5, path.join(outdir, 'warm-bare'), path.join(outdir, 'warm-tree'));
  const runs: Record<string, Run> = {};
  for (const s of series.map((_, k) => series[(k + r) % series.length])) {
    gc();
    runs[s] = synthOnce(s, services, path.join(outdir, s));
  }
  // The engine three times on the same app: the median of warm runs, as for the other series.
  const engine = [0, 1, 2].map(() => engineOnce(services, path.join(outdir, 'bare'), path.join(outdir, 'tree')));
  const mid = (k: keyof EngineRun) => median(engine.map((e) => e[k]));
  return {
    runs,
    engine: {
      templateDoorMs: mid('templateDoorMs'),
      treeReadMs: mid('treeReadMs'),
      graphMs: mid('graphMs'),
      factsMs: mid('factsMs'),
      rulesMs: mid('rulesMs'),
      findings: mid('findings'),
    },
  };
}

/** Runs a mode of this script in a child process (with --expose-gc) and returns what it prints last. */
function child(args: string[]): string {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, ...args], { encoding: 'utf-8', maxBuffer: 1 << 26 });
  return out.trim().split('\n').pop() ?? '';
}

/** Peak resident memory (MB) of a child process that synthesizes the app with one door. */
function peakMemoryMb(series: Series, services: number, outdir: string): number {
  return Number(/maxrss=(\d+)/.exec(child(['--memory', series, String(services), outdir]))?.[1]) / 1024;
}

/** Least-squares slope of log(y) against log(x); NaN when a y is not positive. */
function slope(xs: number[], ys: number[]): number {
  if (xs.length < 2 || ys.some((y) => !(y > 0))) return NaN;
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  const num = lx.reduce((a, x, i) => a + (x - mx) * (ly[i] - my), 0);
  const den = lx.reduce((a, x) => a + (x - mx) ** 2, 0);
  return num / den;
}

function main(): void {
  if (process.argv[2] === '--memory') {
    const [series, services, outdir] = process.argv.slice(3);
    synthOnce(series as Series, Number(services), outdir);
    console.log(`maxrss=${process.resourceUsage().maxRSS}`);
    return;
  }
  if (process.argv[2] === '--round') {
    const [services, r, outdir, series] = process.argv.slice(3);
    console.log(JSON.stringify(round(Number(services), Number(r), outdir, series.split(',') as Series[])));
    return;
  }
  const started = now();
  const sizes = (process.env.BENCH_SIZES ?? '250,500,1000,2000,4000,8000').split(',').map(Number);
  const roundsList = (process.env.BENCH_ROUNDS ?? '5,4,3,3,2,2').split(',').map(Number);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-bench-'));
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`machine: ${machine}`);

  const rows = [];
  for (const [i, size] of sizes.entries()) {
    const services = Math.max(1, Math.round(size / PER_SERVICE));
    const rounds = roundsList[Math.min(i, roundsList.length - 1)];
    const nearest = sizes.reduce((a, b) => (Math.abs(b - 4000) < Math.abs(a - 4000) ? b : a));
    const measured = SERIES.filter((s) => !FLOORS.includes(s) || size === nearest || process.env.BENCH_FLOORS === 'all');
    const runs = new Map<Series, Run[]>(SERIES.map((s) => [s, []]));
    const engine: EngineRun[] = [];
    for (let r = 0; r < rounds; r++) {
      const result = JSON.parse(child(['--round', String(services), String(r), outdir, measured.join(',')])) as ReturnType<typeof round>;
      for (const s of measured) runs.get(s)!.push(result.runs[s]);
      engine.push(result.engine);
    }
    const bare = runs.get('bare')!;
    const { resources, stacks } = bare[0];
    const series = Object.fromEntries(
      SERIES.map((s) => {
        const rs = runs.get(s)!;
        const overheadMs = s === 'bare' ? 0 : median(rs.map((x, k) => x.synthMs - bare[k].synthMs));
        return [
          s,
          {
            synthMs: median(rs.map((x) => x.synthMs)),
            overheadMs,
            overheadPerResourceMs: overheadMs / resources,
            factor: median(rs.map((x) => x.synthMs)) / median(bare.map((x) => x.synthMs)),
            doorMs: median(rs.map((x) => x.doorMs)),
          },
        ];
      }),
    );
    const e = (k: keyof EngineRun) => median(engine.map((x) => x[k]));
    const engineMs = e('graphMs') + e('factsMs') + e('rulesMs');
    const row = {
      resources,
      stacks,
      rounds,
      series,
      engine: {
        templateDoorMs: e('templateDoorMs'),
        treeReadMs: e('treeReadMs'),
        graphMs: e('graphMs'),
        factsMs: e('factsMs'),
        rulesMs: e('rulesMs'),
        engineMs,
        engineMsPerResource: engineMs / resources,
        findings: e('findings'),
      },
    };
    rows.push(row);
    console.log(
      `${resources} resources, ${stacks} stacks, ${rounds} rounds: bare ${series.bare.synthMs.toFixed(0)} ms; ` +
        SERIES.filter((s) => s !== 'bare')
          .map((s) => `${s} +${series[s].overheadMs.toFixed(0)} ms (door ${series[s].doorMs.toFixed(0)})`)
          .join(', ') +
        `; engine ${engineMs.toFixed(0)} ms (${((now() - started) / 1000).toFixed(0)} s so far)`,
    );
  }

  // Extra peak memory at the size nearest 4,000 resources.
  let memory: Record<string, number> | undefined;
  if (process.env.BENCH_MEMORY !== '0') {
    const at = rows.reduce((a, b) => (Math.abs(b.resources - 4000) < Math.abs(a.resources - 4000) ? b : a));
    const services = Math.max(1, Math.round(at.resources / PER_SERVICE));
    const peak = (s: Series) => Math.min(peakMemoryMb(s, services, outdir), peakMemoryMb(s, services, outdir));
    const bare = peak('bare');
    memory = { resources: at.resources, bareMb: bare };
    for (const s of ['checks', 'aspect', 'nag'] as const) memory[`${s}ExtraMb`] = peak(s) - bare;
  }

  const xs = rows.map((r) => r.resources);
  const slopes: Record<string, number> = {};
  for (const s of SERIES.filter((x) => !FLOORS.includes(x) || process.env.BENCH_FLOORS === 'all')) {
    slopes[`${s}${s === 'bare' ? 'Synth' : 'Overhead'}`] = slope(
      xs,
      rows.map((r) => (s === 'bare' ? r.series.bare.synthMs : r.series[s].overheadMs)),
    );
    if (s !== 'bare') slopes[`${s}Door`] = slope(xs, rows.map((r) => r.series[s].doorMs));
  }
  slopes.engine = slope(xs, rows.map((r) => r.engine.engineMs));
  slopes.templateDoor = slope(xs, rows.map((r) => r.engine.templateDoorMs));
  slopes.treeRead = slope(xs, rows.map((r) => r.engine.treeReadMs));

  printTable(rows, slopes, memory);
  const result = { date: new Date().toISOString(), machine, rows, slopes, memory, seconds: (now() - started) / 1000 };
  const out = process.env.BENCH_OUT ?? path.resolve(__dirname, '..', '..', 'results.json'); // bench/results.json
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, undefined, 2) + '\n');
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(`\nwritten to ${out} (${result.seconds.toFixed(0)} s)`);
}

type Row = {
  resources: number;
  series: Record<Series, { synthMs: number; overheadMs: number; overheadPerResourceMs: number; factor: number; doorMs: number }>;
  engine: { templateDoorMs: number; treeReadMs: number; graphMs: number; factsMs: number; rulesMs: number; engineMs: number; engineMsPerResource: number };
};

function printTable(rows: Row[], slopes: Record<string, number>, memory?: Record<string, number>): void {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const floor = (r: Row, s: Series) =>
    Number.isFinite(r.series[s].overheadMs) ? `+${f(r.series[s].overheadMs)} (${f(r.series[s].overheadPerResourceMs, 3)})` : '—';
  console.log(
    '\n| resources | bare synth ms | checks: +ms (×, ms/res) | aspect: +ms (×, ms/res) | AwsSolutions: +ms (×, ms/res) | empty aspect: +ms (ms/res) | empty plugin: +ms (ms/res) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const c = (s: Series) => `+${f(r.series[s].overheadMs)} (×${f(r.series[s].factor, 2)}, ${f(r.series[s].overheadPerResourceMs, 3)})`;
    console.log(
      `| ${r.resources} | ${f(r.series.bare.synthMs)} | ${c('checks')} | ${c('aspect')} | ${c('nag')} | ${floor(r, 'floor')} | ${floor(r, 'pluginFloor')} |`,
    );
  }
  console.log('\n| resources | checks door ms | aspect door ms | AwsSolutions door ms | template read ms | tree read ms | graph ms | facts ms | rules ms | engine ms/res |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const e = r.engine;
    console.log(
      `| ${r.resources} | ${f(r.series.checks.doorMs)} | ${f(r.series.aspect.doorMs)} | ${f(r.series.nag.doorMs)} | ${f(e.templateDoorMs)} | ${f(e.treeReadMs)} | ${f(e.graphMs)} | ${f(e.factsMs)} | ${f(e.rulesMs)} | ${f(e.engineMsPerResource, 4)} |`,
    );
  }
  console.log('\nlog-log slopes against size:');
  for (const [k, v] of Object.entries(slopes)) console.log(`  ${k}: ${f(v, 2)}`);
  if (memory) {
    console.log(`\nextra peak memory at ${memory.resources} resources (bare synth ${f(memory.bareMb)} MB maxRSS):`);
    for (const s of ['checks', 'aspect', 'nag']) console.log(`  ${s}: ${f(memory[`${s}ExtraMb`], 1)} MB`);
  }
}

main();
