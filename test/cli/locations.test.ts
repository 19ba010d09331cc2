/**
 * The command line's reports point at positions that exist in the template of the resource they
 * name: an ECS service's finding at the service's `TaskDefinition` property, and the cause, the task
 * definition's variable, as a second place (text `cause:`, JSON `evidence`, SARIF a related location).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { scenario } from '../fixtures/apps/scenario';

const CWD = path.resolve(__dirname, '..', '..');

function run(args: string[]): { code: number; stdout: string } {
  let stdout = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false, env: {}, cwd: CWD });
  return { code, stdout };
}

let out: string;
beforeAll(() => {
  const { app } = scenario({ caller: 'fargate' });
  app.synth({ force: true });
  out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-locations-')), 'cdk.out');
  fs.cpSync(app.outdir, out, { recursive: true });
});
afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

/** The 1-based line of the first line at or after `from` that holds `text`, in a file. */
function lineOf(file: string, text: string, from = 1): number {
  const lines = fs.readFileSync(file, 'utf-8').split('\n');
  const i = lines.findIndex((l, n) => n + 1 >= from && l.includes(text));
  return i + 1;
}

test('JSON: location on the service, evidence on the task definition, each at a line of its own resource', () => {
  const doc = JSON.parse(run(['check', '--format', 'json', out]).stdout);
  const f = doc.findings.find((x: any) => x.ruleId === 'ApiReachability-PrivateDnsShadowsPublicApi');
  expect(f.resource.constructPath).toBe('Svc/Worker/Service');
  expect(f.location.property).toBe('Properties.TaskDefinition');
  expect(f.evidence.resource.constructPath).toBe('Svc/TaskDef/Resource');
  expect(f.evidence.property).toMatch(/^Properties\.ContainerDefinitions\.0\.Environment\.\d+\.Value$/);
  const file = path.join(CWD, f.resource.templateFile);
  // The service's TaskDefinition line comes after the service's logical id; the variable's Value after the task definition's.
  expect(f.location.line).toBe(lineOf(file, '"TaskDefinition"', lineOf(file, `"${f.resource.logicalId}": {`)));
  expect(f.evidence.line).toBe(lineOf(file, '"Value"', lineOf(file, `"${f.evidence.resource.logicalId}": {`)));
});

test('SARIF: the cause is the first related location, with a region', () => {
  const log = JSON.parse(run(['check', '--format', 'sarif', out]).stdout);
  const r = log.runs[0].results.find((x: any) => x.ruleId === 'ApiReachability-PrivateDnsShadowsPublicApi');
  expect(r.properties.property).toBe('Properties.TaskDefinition');
  expect(r.properties.evidence).toEqual({
    resource: 'Svc/TaskDef/Resource',
    property: expect.stringMatching(/^Properties\.ContainerDefinitions\.0\.Environment\.\d+\.Value$/),
  });
  const [cause] = r.relatedLocations;
  expect(cause.message.text).toMatch(
    /^The cause: Svc\/TaskDef\/Resource Properties\.ContainerDefinitions\.0\.Environment\.\d+\.Value$/,
  );
  expect(cause.physicalLocation.region.startLine).toBeGreaterThan(0);
});

test('text and github: the cause is named after the resource', () => {
  expect(run(['check', out]).stdout).toMatch(
    /resource: Svc\/Worker\/Service \(Properties\.TaskDefinition\) at .*\n\s+cause: Svc\/TaskDef\/Resource \(Properties\.ContainerDefinitions\.0\.Environment\.\d+\.Value\) at /,
  );
  expect(run(['check', '--format', 'github', out]).stdout).toContain(
    'Svc/Worker/Service (Properties.TaskDefinition), cause: Svc/TaskDef/Resource (Properties.ContainerDefinitions.0.Environment.',
  );
});

test('only the ECS service, whose cause is in its task definition, has evidence', () => {
  const doc = JSON.parse(run(['check', '--format', 'json', out]).stdout);
  expect(
    doc.findings.every((f: any) => (f.resource.constructPath === 'Svc/Worker/Service') === (f.evidence !== null)),
  ).toBe(true);
});
