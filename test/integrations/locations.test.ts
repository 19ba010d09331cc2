/**
 * Every location a door names exists: for every finding of the test apps (the scenario apps, the
 * shared-DNS apps, every rule example), `location` is a property path that resolves to a value in the
 * synthesized template of the resource the finding names, and `evidence.location` one in the template
 * of the evidence's resource. The pack's validation report is checked the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { analyzeApp, analyzeCloudAssembly } from '../../src/analyze';
import { Finding, FindingResource } from '../../src/finding';
import { ApiReachabilityChecks } from '../../src/integrations/api-reachability-checks';
import { CallerKind, Evidence, newApp, scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { sharedDns, SharedDnsOptions } from '../fixtures/apps/shared-dns';

const EXAMPLES = path.join(__dirname, '..', 'fixtures', 'rule-examples');

/** The value at a property path (`Properties.A.0.B`) of a resource of a template, or undefined. */
function valueAt(template: any, logicalId: string, location: string): unknown {
  let v: any = template?.Resources?.[logicalId];
  for (const seg of location.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v) && !/^\d+$/.test(seg)) return undefined;
    v = v[seg];
  }
  return v;
}

const templates = new Map<string, any>();
function templateOf(r: FindingResource): any {
  if (!r.templateFile) throw new Error(`${r.stack}/${r.logicalId} has no template file`);
  if (!templates.has(r.templateFile)) {
    templates.set(r.templateFile, JSON.parse(fs.readFileSync(r.templateFile, 'utf-8')));
  }
  return templates.get(r.templateFile);
}

/** The locations of a finding that resolve to nothing, as `logicalId: path` (empty when all exist). */
function missing(f: Finding): string[] {
  const out: string[] = [];
  if (valueAt(templateOf(f.resource), f.resource.logicalId, f.location) === undefined) {
    out.push(`${f.rule} on ${f.resource.logicalId}: ${f.location}`);
  }
  if (
    f.evidence &&
    valueAt(templateOf(f.evidence.resource), f.evidence.resource.logicalId, f.evidence.location) === undefined
  ) {
    out.push(`${f.rule} evidence ${f.evidence.resource.logicalId}: ${f.evidence.location}`);
  }
  return out;
}

/** Synthesizes the app, reads the findings from cdk.out and from the tree; checks both agree on locations and all exist. */
function checkApp(app: App): Finding[] {
  const tree = analyzeApp(app);
  const asm = app.synth({ force: true });
  try {
    templates.clear();
    const found = analyzeCloudAssembly(asm.directory).findings;
    expect(found.flatMap(missing)).toEqual([]);
    const where = (f: Finding) => [
      f.rule,
      f.resource.logicalId,
      f.findingId,
      f.location,
      f.evidence?.resource.logicalId,
      f.evidence?.location,
    ];
    expect(tree.map(where)).toEqual(found.map(where));
    return found;
  } finally {
    fs.rmSync(asm.directory, { recursive: true, force: true });
  }
}

const CALLERS: CallerKind[] = ['lambda', 'fargate', 'ec2', 'asg', 'codebuild'];
const EVIDENCE: Evidence[] = ['url', 'grant', 'hint', 'id', 'endpoint-attr'];

describe('every finding of the scenario apps names a location that exists in its resource', () => {
  const cases: Array<[string, ScenarioOptions]> = [];
  for (const caller of CALLERS) {
    for (const evidence of EVIDENCE) {
      cases.push([`${caller}, ${evidence}, public API, private DNS on`, { caller, evidence }]);
    }
    cases.push([`${caller}, private API, private DNS off`, { caller, api: 'PRIVATE', privateDns: false }]);
    cases.push([`${caller}, nested stacks`, { caller, layout: 'nested' }]);
  }
  cases.push(['lambda in a Stage', { layout: 'stage' }]);
  cases.push(['lambda, one stack', { layout: 'one-stack' }]);
  test.each(cases)('%s', (_, o) => {
    const found = checkApp(scenario(o).app);
    if (o.evidence !== 'grant' && o.evidence !== 'id' && o.evidence !== 'endpoint-attr') {
      expect(found.length).toBeGreaterThan(0);
    }
  });
});

describe('every finding of the shared-DNS apps names a location that exists in its resource', () => {
  const paths: Array<SharedDnsOptions['path']> = ['profile-endpoint', 'zone-all', 'zone-per-api', 'forward', 'none'];
  test.each(paths)('%s', (p) => {
    checkApp(sharedDns({ path: p }).app);
  });
});

describe('every finding of the rule examples names a location that exists in its resource', () => {
  const files = fs
    .readdirSync(EXAMPLES)
    .filter((d) => fs.statSync(path.join(EXAMPLES, d)).isDirectory() && /^[A-Z]/.test(d))
    .flatMap((d) =>
      fs
        .readdirSync(path.join(EXAMPLES, d))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${d}/${f}`),
    )
    .sort();
  test('there are examples to check', () => expect(files.length).toBeGreaterThan(40));
  test.each(files)('%s', (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { build } = require(path.join(EXAMPLES, file)) as { build(app: App): void };
    const app = newApp();
    build(app);
    const found = checkApp(app);
    if (file.endsWith('/fails.ts')) expect(found.some((f) => f.ruleName === file.split('/')[0])).toBe(true);
  });
});

describe('an ECS service: the finding stays on the service, the cause is the task definition variable by index', () => {
  test('location Properties.TaskDefinition on the service, evidence ContainerDefinitions.0.Environment.<i>.Value', () => {
    const s = scenario({ caller: 'fargate' });
    const [f] = checkApp(s.app).filter((x) => x.ruleName === 'PrivateDnsShadowsPublicApi');
    expect(f.resource.path).toBe(s.callerPath);
    expect(f.location).toBe('Properties.TaskDefinition');
    expect(f.evidence?.resource.path).toBe('Svc/TaskDef/Resource');
    expect(f.evidence?.location).toMatch(/^Properties\.ContainerDefinitions\.0\.Environment\.\d+\.Value$/);
    expect(f.message).toContain('Svc/TaskDef Properties.ContainerDefinitions.0.Environment.');
    expect(f.message).toContain('.Value (API_URL)');
  });

  test('a CodeBuild variable is named by its index in EnvironmentVariables', () => {
    const [f] = checkApp(scenario({ caller: 'codebuild' }).app).filter(
      (x) => x.ruleName === 'PrivateDnsShadowsPublicApi',
    );
    expect(f.location).toMatch(/^Properties\.Environment\.EnvironmentVariables\.\d+\.Value$/);
    expect(f.evidence).toBeUndefined();
    expect(f.message).toContain('.Value (API_URL)');
  });
});

describe("the pack's validation report names only property paths that exist", () => {
  test.each<[string, ScenarioOptions]>([
    ['fargate', { caller: 'fargate' }],
    ['lambda', { caller: 'lambda' }],
    ['asg', { caller: 'asg' }],
  ])('%s: each violating resource and its property paths resolve in its template', (_, o) => {
    const s = scenario(o);
    Validations.of(s.app).addPlugins(new ApiReachabilityChecks(s.app));
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      s.app.synth();
    } catch {
      // error-level findings fail the synth; the report is on disk
    } finally {
      quiet.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(s.app.outdir, 'validation-report.json'), 'utf-8'));
    const plugin = report.pluginReports.find((p: any) => p.pluginName === 'ApiReachability');
    const resources = plugin.violations.flatMap((v: any) =>
      v.violatingConstructs.map((c: any) => c.cloudFormationResource),
    );
    expect(resources.length).toBeGreaterThan(0);
    const bad: string[] = [];
    for (const r of resources) {
      const file = path.isAbsolute(r.templatePath) ? r.templatePath : path.join(s.app.outdir, r.templatePath);
      const template = JSON.parse(fs.readFileSync(file, 'utf-8'));
      for (const p of r.propertyPaths ?? []) {
        if (valueAt(template, r.logicalId, p.split('/').join('.')) === undefined) bad.push(`${r.logicalId}: ${p}`);
      }
    }
    expect(bad).toEqual([]);
    if (o.caller === 'fargate') {
      // The service that must change first, at its TaskDefinition property; then the task definition, at the variable.
      const v = plugin.violations.find((x: any) =>
        x.ruleName.startsWith('ApiReachability-PrivateDnsShadowsPublicApi['),
      );
      expect(
        v.violatingConstructs.map((c: any) => [
          c.constructPath,
          c.cloudFormationResource.propertyPaths[0].replace(/\d+/g, 'N'),
        ]),
      ).toEqual([
        [s.callerPath, 'Properties/TaskDefinition'],
        ['Svc/TaskDef/Resource', 'Properties/ContainerDefinitions/N/Environment/N/Value'],
      ]);
    }
  });
});
