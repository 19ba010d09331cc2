import { buildApp } from './app';
import { stacksFromCloudAssembly } from '../src/graph/from-cloud-assembly';
import { ResourceGraph } from '../src/graph/resource-graph';
import { deriveFacts } from '../src/facts';
import { RULES } from '../src/rules';
const t = () => Number(process.hrtime.bigint()) / 1e6;
const n = Number(process.env.N ?? 100);
buildApp(n, { outdir: '/tmp/bench-eng' }).synth();
function once() {
  let a = t(); const raw = stacksFromCloudAssembly('/tmp/bench-eng'); const door = t() - a;
  a = t(); const g = ResourceGraph.fromStacks(raw); const graph = t() - a;
  a = t(); const f = deriveFacts(g); const facts = t() - a;
  a = t(); let k = 0; for (const r of RULES) k += r.check(f).length; const rules = t() - a;
  return { door: Math.round(door), graph: Math.round(graph), facts: Math.round(facts), rules: Math.round(rules), k, n: g.resources.length };
}
for (let i = 0; i < Number(process.env.REPS ?? 10); i++) console.log(once());
