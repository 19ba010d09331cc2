/**
 * The command line reports on a synthesized cdk.out what the doors report inside the app: the same
 * findings (rule, finding id, resource, other ends), for every rule example app (the failing and the
 * passing ones the rule pages show) and for the scenario app in each of its layouts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLES_DIR } from '../../projenrc/docgen-rules';
import { analyzeApp } from '../../src/analyze';
import { main } from '../../src/cli/main';
import { Finding, FindingResource } from '../../src/finding';
import { scenario, ScenarioOptions } from '../fixtures/apps/scenario';

const ROOT = path.resolve(__dirname, '..', '..');

/** A finding as both sides can name it: rule, finding id, resource and other ends by construct path. */
function key(rule: string, findingId: string, resource: string, related: string[]): string {
  return [rule, findingId, resource, [...related].sort().join(',')].join(' | ');
}

const nameOf = (r: FindingResource) => r.path ?? `${r.stack}/${r.logicalId}`;

function inApp(app: App): string[] {
  return analyzeApp(app)
    .map((f: Finding) => key(f.rule, f.findingId, nameOf(f.resource), f.relatedResources.map(nameOf)))
    .sort();
}

interface JsonResource {
  stack: string;
  logicalId: string;
  constructPath: string | null;
}

function fromCli(app: App): string[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-parity-')), 'cdk.out');
  fs.cpSync(app.synth({ force: true }).directory, out, { recursive: true });
  let stdout = '';
  let stderr = '';
  const code = main(['check', '--format', 'json', '--fail-on', 'never', out], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: {},
    cwd: ROOT,
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const name = (r: JsonResource) => r.constructPath ?? `${r.stack}/${r.logicalId}`;
  return (
    JSON.parse(stdout).findings as Array<{
      ruleId: string;
      findingId: string;
      resource: JsonResource;
      related: JsonResource[];
    }>
  )
    .map((f) => key(f.ruleId, f.findingId, name(f.resource), f.related.map(name)))
    .sort();
}

const examples = fs
  .readdirSync(EXAMPLES_DIR)
  .sort()
  .flatMap((rule) =>
    fs
      .readdirSync(path.join(EXAMPLES_DIR, rule))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => [rule, f.replace(/\.ts$/, '')] as const),
  );

describe('check on cdk.out = the doors in the app', () => {
  test('there are examples to compare', () => {
    expect(examples.length).toBeGreaterThan(30);
  });

  test.each(examples)('%s/%s', (rule, example) => {
    const build = () => {
      const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(EXAMPLES_DIR, rule, example)).build(app);
      return app;
    };
    const expected = inApp(build());
    expect(fromCli(build())).toEqual(expected);
    if (example === 'fails') expect(expected.some((k) => k.startsWith(`ApiReachability-${rule} |`))).toBe(true);
  });

  test.each<[string, ScenarioOptions]>([
    ['cross-stack', {}],
    ['one stack', { layout: 'one-stack' }],
    ['nested stack', { layout: 'nested' }],
    ['Stage', { layout: 'stage' }],
    ['a private API', { api: 'PRIVATE' }],
    ['an HTTP API, a Fargate caller', { api: 'HTTP', caller: 'fargate' }],
    ['without path metadata', { metadata: 'logical-ids-only' }],
  ])('the scenario app: %s', (_name, options) => {
    const expected = inApp(scenario(options).app);
    expect(expected.length).toBeGreaterThan(0);
    expect(fromCli(scenario(options).app)).toEqual(expected);
  });
});
