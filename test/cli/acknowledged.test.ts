/**
 * `check` reads the acknowledgements an app made (from cdk.out) and those a template holds in
 * cdk-nag's `Metadata`: acknowledged findings are reported, marked, and do not fail the run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App, Stack, Stage, Validations, aws_apigateway as apigw } from 'aws-cdk-lib';
import { acknowledgedIdCovers } from '../../src/acknowledgement-ids';
import { main } from '../../src/cli/main';

const RULE = 'ApiReachability-ApiKeyWithoutUsagePlan';

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr };
}

const readJson = (module: string) => JSON.parse(fs.readFileSync(require.resolve(module), 'utf-8'));

/** The errors of a SARIF log against the published SARIF 2.1.0 schema (draft-04, as check-ci.test.ts reads it). */
function sarifErrors(log: unknown): string[] {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true });
  ajv.addMetaSchema(readJson('ajv/lib/refs/json-schema-draft-04.json'));
  const validate = ajv.compile(readJson('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-ack-'));
}

/** A stack whose API requires an API key on a method and has no usage plan: ApiKeyWithoutUsagePlan (error). */
function apiStack(scope: Stage | App, id: string): Stack {
  const stack = new Stack(scope, id);
  const api = new apigw.RestApi(stack, 'Api', { deploy: true });
  api.root.addMethod('GET', new apigw.MockIntegration(), { apiKeyRequired: true });
  return stack;
}

/** A reusable Stage (the CDK Pipelines shape), with an optional acknowledgement inside it. */
class ServiceStage extends Stage {
  public readonly svc: Stack;
  constructor(scope: App, id: string, ack?: (svc: Stack) => void) {
    super(scope, id);
    this.svc = apiStack(this, 'Svc');
    ack?.(this.svc);
  }
}

function json(out: string) {
  return JSON.parse(out) as {
    findings: Array<{
      ruleId: string;
      findingId: string;
      acknowledged: null | { id: string; reason: string; at: string; source: string };
    }>;
    summary: { acknowledged: number; errors: number };
  };
}

describe('acknowledgements made in the app, read from cdk.out', () => {
  test('an acknowledgement on the resource marks the finding in every format, and the run passes', () => {
    const dir = tempDir();
    const app = new App({ outdir: dir });
    const stack = apiStack(app, 'Svc');
    Validations.of(stack.node.findChild('Api')).acknowledge({ id: RULE, reason: 'keys are checked by the proxy' });
    app.synth();

    const text = run(['check', dir], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${RULE}[`);
    expect(text.stdout).toContain('(acknowledged: keys are checked by the proxy)');
    expect(text.stdout).toMatch(/1 error, 0 warnings, \d+ files?; 1 acknowledged\n$/);

    const j = json(run(['check', '--format', 'json', dir], dir).stdout);
    const f = j.findings.find((x) => x.ruleId === RULE)!;
    expect(f.acknowledged).toEqual({
      id: `Annotation::${RULE}`,
      reason: 'keys are checked by the proxy',
      at: 'Svc/Api',
      source: 'cdk',
    });
    expect(j.summary.acknowledged).toBe(1);

    const sarif = JSON.parse(run(['check', '--format', 'sarif', dir], dir).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === RULE);
    expect(result.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'keys are checked by the proxy',
        properties: { id: `Annotation::${RULE}`, at: 'Svc/Api', source: 'cdk' },
      },
    ]);
    expect(sarifErrors(sarif)).toEqual([]);

    const gh = run(['check', '--format', 'github', dir], dir);
    expect(gh.code).toBe(0);
    expect(gh.stdout).not.toContain('::error');

    const junit = run(['check', '--format', 'junit', dir], dir);
    expect(junit.code).toBe(0);
    expect(junit.stdout).not.toContain('<failure');
    expect(junit.stdout).toContain(
      'Acknowledged (Annotation::ApiReachability-ApiKeyWithoutUsagePlan at Svc/Api): keys are checked by the proxy',
    );
  });

  test('without the acknowledgement the same app fails the run and nothing is marked', () => {
    const dir = tempDir();
    const app = new App({ outdir: dir });
    apiStack(app, 'Svc');
    app.synth();
    const r = run(['check', '--format', 'json', dir], dir);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.findings.every((f) => f.acknowledged === null)).toBe(true);
    expect(j.summary.acknowledged).toBe(0);
    expect(run(['check', dir], dir).stdout).not.toMatch(/\(acknowledged|\d acknowledged/);
  });

  test('an id relative to the Stage, written once in a reusable Stage, holds in each of its instances', () => {
    const dir = tempDir();
    const app = new App({ outdir: dir });
    const finding = (svc: Stack) => {
      // the finding id of this rule is the API's path and its stage; written relative to the Stage
      Validations.of(svc).acknowledge({ id: `${RULE}[Svc/Api/prod]`, reason: 'keys at the edge' });
    };
    new ServiceStage(app, 'Beta', finding);
    new ServiceStage(app, 'Prod', finding);
    app.synth();
    const r = run(['check', '--format', 'json', dir], dir);
    const acked = json(r.stdout).findings.filter((f) => f.ruleId === RULE);
    expect(acked.map((f) => [f.findingId, f.acknowledged?.at])).toEqual([
      ['Beta/Svc/Api/prod', 'Beta/Svc'],
      ['Prod/Svc/Api/prod', 'Prod/Svc'],
    ]);
    expect(r.code).toBe(0);
  });

  test('an id relative to the stack holds too; an id for another finding or rule does not', () => {
    const dir = tempDir();
    const app = new App({ outdir: dir });
    new ServiceStage(app, 'Beta', (svc) => Validations.of(svc).acknowledge({ id: `${RULE}[Api/prod]`, reason: 'r' }));
    new ServiceStage(app, 'Prod', (svc) => {
      Validations.of(svc).acknowledge({ id: `${RULE}[Other]`, reason: 'another finding' });
      Validations.of(svc).acknowledge({ id: 'ApiReachability-CustomDomainWithoutMapping', reason: 'another rule' });
    });
    app.synth();
    const r = run(['check', '--format', 'json', dir], dir);
    const byId = Object.fromEntries(
      json(r.stdout)
        .findings.filter((f) => f.ruleId === RULE)
        .map((f) => [f.findingId, f.acknowledged?.at ?? null]),
    );
    expect(byId).toEqual({ 'Beta/Svc/Api/prod': 'Beta/Svc', 'Prod/Svc/Api/prod': null });
    expect(r.code).toBe(1); // Prod's finding still fails the run
  });

  test('an acknowledgement on a sibling construct does not cover the API', () => {
    const dir = tempDir();
    const app = new App({ outdir: dir });
    const stack = apiStack(app, 'Svc');
    const other = new Stack(app, 'Other');
    new apigw.RestApi(other, 'Unused').root.addMethod('GET');
    Validations.of(other).acknowledge({ id: RULE, reason: 'not this stack' });
    void stack;
    app.synth();
    const r = run(['check', dir], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  test('an acknowledgement made on a Stage or the app is not in cdk.out: check says nothing of it and the finding fails', () => {
    // CDK keeps those in memory only; docs/cli.md says to acknowledge on the stack or below for `check`.
    const dir = tempDir();
    const app = new App({ outdir: dir });
    const stage = new ServiceStage(app, 'Beta');
    Validations.of(stage).acknowledge({ id: RULE, reason: 'on the stage' });
    app.synth();
    expect(run(['check', dir], dir).code).toBe(1);
  });
});

describe('acknowledgements in a template (cdk-nag Metadata), for CloudFormation and SAM authors', () => {
  const template = (metadata: unknown) => ({
    Resources: {
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'orders' },
        ...(metadata ? { Metadata: metadata } : {}),
      },
      Get: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          HttpMethod: 'GET',
          AuthorizationType: 'NONE',
          ApiKeyRequired: true,
          Integration: { Type: 'MOCK' },
        },
      },
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        DependsOn: ['Get'],
        Properties: { RestApiId: { Ref: 'Api' } },
      },
      Stage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: { Ref: 'Deployment' } },
      },
    },
  });
  const check = (metadata: unknown) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template(metadata)));
    return run(['check', '--format', 'json', 'template.json'], dir);
  };

  test('the control: the finding is there and fails the run', () => {
    const r = check(undefined);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings.some((f) => f.ruleId === RULE && f.acknowledged === null)).toBe(true);
  });

  test.each([
    ['the rule', { id: RULE, reason: 'edge' }],
    ['the finding by its id', { id: `${RULE}[template/Api/prod]`, reason: 'edge' }],
    ['the finding by its id relative to the template', { id: `${RULE}[Api/prod]`, reason: 'edge' }],
    ["cdk-nag's appliesTo", { id: RULE, reason: 'edge', appliesTo: ['Api/prod'] }],
  ])('%s in rules_to_suppress acknowledges it', (_, entry) => {
    const r = check({ cdk_nag: { rules_to_suppress: [entry] } });
    const f = json(r.stdout).findings.find((x) => x.ruleId === RULE)!;
    expect(f.acknowledged).toEqual({ id: entry.id, reason: 'edge', at: 'template/Api', source: 'template' });
    expect(r.code).toBe(0);
  });

  test.each([
    [
      'another rule',
      { cdk_nag: { rules_to_suppress: [{ id: 'ApiReachability-CustomDomainWithoutMapping', reason: 'x' }] } },
    ],
    ['another finding id', { cdk_nag: { rules_to_suppress: [{ id: `${RULE}[Other]`, reason: 'x' }] } }],
    [
      'appliesTo another finding',
      { cdk_nag: { rules_to_suppress: [{ id: RULE, reason: 'x', appliesTo: ['Other'] }] } },
    ],
    [
      'appliesTo on a finding id',
      { cdk_nag: { rules_to_suppress: [{ id: `${RULE}[Api/prod]`, reason: 'x', appliesTo: ['Api/prod'] }] } },
    ],
    ['odd values', { cdk_nag: { rules_to_suppress: [null, 7, { id: 3 }, { reason: 'no id' }] } }],
    ['not a list', { cdk_nag: { rules_to_suppress: { id: RULE } } }],
    ['a string', { cdk_nag: 'suppress everything' }],
  ])('%s does not acknowledge it, and nothing breaks', (_, metadata) => {
    const r = check(metadata);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(json(r.stdout).findings.find((x) => x.ruleId === RULE)!.acknowledged).toBeNull();
  });

  test('a SAM finding on the implicit API is acknowledged on the function the user wrote', () => {
    const dir = tempDir();
    const sam = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Metadata: { cdk_nag: { rules_to_suppress: [{ id: RULE, reason: 'keys at the edge' }] } },
          Properties: {
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            InlineCode: 'exports.handler = async () => ({})',
            Events: { Get: { Type: 'Api', Properties: { Path: '/', Method: 'get', Auth: { ApiKeyRequired: true } } } },
          },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(sam));
    const r = run(['check', '--format', 'json', 'template.json'], dir);
    const f = json(r.stdout).findings.find((x) => x.ruleId === RULE)!;
    expect(f.acknowledged).toMatchObject({ at: 'template/Fn', source: 'template' });
    expect(r.code).toBe(0);
  });
});

describe('acknowledgedIdCovers (shared by every door)', () => {
  test.each([
    [RULE, 'S/Api', [], true],
    [`Annotation::${RULE}`, 'S/Api', [], true],
    [`${RULE}[S/Api]`, 'S/Api', [], true],
    [`${RULE}[Api]`, 'S/Api', ['S'], true],
    [`${RULE}[Api]`, 'S/Api', [], false],
    [`${RULE}[S/My-Api]`, 'S/My Api', [], true],
    [`${RULE}[S/Api`, 'S/Api', [], false],
    [`${RULE}X`, 'S/Api', [], false],
    ['ApiReachability-Other', 'S/Api', [], false],
  ])('%s covers %s (bases %j): %s', (id, findingId, bases, expected) => {
    expect(acknowledgedIdCovers(id, RULE, findingId, bases)).toBe(expected);
  });
});
