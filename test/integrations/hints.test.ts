import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiReachability } from '../../src';
import { CALLER_RESOURCE_TYPES, HINT_HOLDER_RESOURCE_TYPES } from '../../src/facts/callers';
import { newApp, scenario } from '../fixtures/apps/scenario';
import { findings } from '../fixtures/helpers';

const DOCS = 'See: https://github.com/cdk-api-reachability/cdk-api-reachability#calls-the-app-cannot-show';

/** The message of the error `f` throws. */
function errorOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('ApiReachability hints', () => {
  test('declareCall stores the API path as plain metadata on the caller resource (no cross-stack reference)', () => {
    const s = scenario({ evidence: 'hint' });
    const cfn = s.caller.node.defaultChild as lambda.CfnFunction;
    expect(cfn.getMetadata('cdk-api-reachability')).toEqual({ calls: [s.apiPath] });
  });

  test('a hint across stacks adds no export and no stack dependency', () => {
    const app = newApp();
    const apis = new Stack(app, 'Apis');
    const api = new apigw.RestApi(apis, 'Api');
    api.root.addMethod('GET');
    const callers = new Stack(app, 'Callers');
    const fn = new lambda.Function(callers, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'i.h',
      code: lambda.Code.fromInline('x'),
    });
    ApiReachability.of(fn).declareCall(api);
    const asm = app.synth();
    expect(Object.values(asm.getStackByName('Apis').template.Outputs ?? {}).filter((o: any) => o.Export)).toEqual([]);
    expect(callers.dependencies).toEqual([]);
    const resource = Object.values(asm.getStackByName('Callers').template.Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(resource.Metadata['cdk-api-reachability']).toEqual({ calls: ['Apis/Api/Resource'] });
  });

  test('declaring the same call twice stores it once', () => {
    const s = scenario({ evidence: 'hint' });
    ApiReachability.of(s.caller).declareCall(s.api);
    expect((s.caller.node.defaultChild as lambda.CfnFunction).getMetadata('cdk-api-reachability')).toEqual({
      calls: [s.apiPath],
    });
  });

  test('declareCall accepts the L1 resources too', () => {
    const s = scenario({ evidence: 'none' });
    ApiReachability.of(s.caller.node.defaultChild!).declareCall(s.api.node.defaultChild!);
    expect(findings(s.app, 'PrivateDnsShadowsPublicApi')).toHaveLength(1);
  });

  test('throws if the API is not an API', () => {
    const s = scenario({ evidence: 'none' });
    const queue = new sqs.Queue(Stack.of(s.caller), 'Queue');
    expect(() => ApiReachability.of(s.caller).declareCall(queue)).toThrow(/is a AWS::SQS::Queue, not an API/);
    expect(errorOf(() => ApiReachability.of(s.caller).declareCall(queue))).toBe(
      `HintTargetNotAnApi: [${s.caller.node.path}] declareCall: ${queue.node.path} is a AWS::SQS::Queue, not an API. ` +
        `Fix: Pass the RestApi, SpecRestApi, HttpApi or WebSocketApi (or its L1) that the caller calls. ${DOCS}`,
    );
  });

  test('throws if the API is imported', () => {
    const s = scenario({ evidence: 'none' });
    const imported = apigw.RestApi.fromRestApiId(Stack.of(s.caller), 'Imported', 'abc123');
    expect(() => ApiReachability.of(s.caller).declareCall(imported)).toThrow(
      /not a CloudFormation resource of this app.*declareExternalCall/,
    );
    expect(errorOf(() => ApiReachability.of(s.caller).declareCall(imported))).toMatch(
      new RegExp(
        `^HintApiNotAResource: \\[${s.caller.node.path}\\] declareCall: the api ${imported.node.path} .* ${DOCS}$`,
      ),
    );
  });

  test('throws if the caller has no CloudFormation resource', () => {
    const app = newApp();
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(app).declareCall(s.api)).toThrow(
      /the caller \(app\) is not a CloudFormation resource/,
    );
    expect(errorOf(() => ApiReachability.of(app).declareExternalCall('https://abc.example.com/'))).toMatch(
      /^HintCallerNotAResource: \[\(app\)\] ApiReachability\.of: the caller \(app\) .* Fix: Pass the construct of the caller/,
    );
  });

  test('throws if the external URL is a token', () => {
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(s.caller).declareExternalCall((s.api as apigw.RestApi).url)).toThrow(
      /the URL is a token.*declareCall/,
    );
    expect(errorOf(() => ApiReachability.of(s.caller).declareExternalCall((s.api as apigw.RestApi).url))).toBe(
      `HintUrlIsToken: [${s.caller.node.path}] declareExternalCall: the URL is a token. ` +
        `Fix: For an API defined in this app use declareCall(api); declareExternalCall takes a literal URL. ${DOCS}`,
    );
  });

  test('throws if the external URL is not a URL', () => {
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(s.caller).declareExternalCall('payments api')).toThrow(
      /'payments api' is not a URL/,
    );
    expect(errorOf(() => ApiReachability.of(s.caller).declareExternalCall('payments api'))).toBe(
      `HintUrlNotAUrl: [${s.caller.node.path}] declareExternalCall: 'payments api' is not a URL. ` +
        `Fix: Pass a full URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod. ${DOCS}`,
    );
  });

  test.each([
    ['an S3 bucket', (st: Stack) => new s3.Bucket(st, 'Bucket'), 'AWS::S3::Bucket'],
    ['an SNS topic', (st: Stack) => new sns.Topic(st, 'Topic'), 'AWS::SNS::Topic'],
    ['an L1 of no caller type', (st: Stack) => new sqs.CfnQueue(st, 'Queue'), 'AWS::SQS::Queue'],
  ])('throws if the caller is %s, whose hints no check would read', (_, make, type) => {
    const s = scenario({ evidence: 'none' });
    const notACaller = make(Stack.of(s.caller));
    const where = notACaller.node.path;
    for (const declare of [
      () => ApiReachability.of(notACaller).declareCall(s.api),
      () => ApiReachability.of(notACaller).declareExternalCall('https://abc123.execute-api.us-east-1.amazonaws.com/'),
    ]) {
      expect(errorOf(declare)).toMatch(
        new RegExp(
          `^HintResourceNotACaller: \\[${where}\\] ApiReachability\\.of: ${where} is a ${type}, which runs no code ` +
            'that the checks read, so its hints would be ignored\\. Fix: Declare the call on the construct that runs ' +
            `the code: .*AWS::Lambda::Function.*AWS::ECS::TaskDefinition.* ${DOCS}$`,
        ),
      );
    }
    const cfn = (notACaller.node.defaultChild ?? notACaller) as CfnResource;
    expect(cfn.getMetadata('cdk-api-reachability')).toBeUndefined();
  });

  test('accepts every caller type the facts read, and what callers run (task definitions, launch templates)', () => {
    expect(CALLER_RESOURCE_TYPES).toEqual(expect.arrayContaining(['AWS::Lambda::Function', 'AWS::ECS::Service']));
    expect(HINT_HOLDER_RESOURCE_TYPES).toEqual([
      ...CALLER_RESOURCE_TYPES,
      'AWS::ECS::TaskDefinition',
      'AWS::EC2::LaunchTemplate',
      'AWS::AutoScaling::LaunchConfiguration',
    ]);
    const s = scenario({ evidence: 'none' });
    const stack = Stack.of(s.caller);
    HINT_HOLDER_RESOURCE_TYPES.forEach((type, i) => {
      const r = new CfnResource(stack, `Holder${i}`, { type });
      ApiReachability.of(r).declareCall(s.api);
      ApiReachability.of(r).declareExternalCall('https://abc123.execute-api.us-east-1.amazonaws.com/');
      expect(r.getMetadata('cdk-api-reachability')).toEqual({
        calls: [s.apiPath],
        externalCalls: ['https://abc123.execute-api.us-east-1.amazonaws.com/'],
      });
    });
  });

  test("a hint on a task definition is a finding on the service that runs it, at the task definition's metadata", () => {
    const s = scenario({ caller: 'fargate', evidence: 'none' });
    const task = (s.caller as ecs.FargateService).taskDefinition;
    ApiReachability.of(task).declareExternalCall('https://abc123defg.execute-api.us-east-1.amazonaws.com/prod');
    const found = findings(s.app, 'PrivateDnsShadowsUnknownApi');
    expect(found.map((f) => [f.resource.path, f.location, f.evidence?.resource.path, f.evidence?.location])).toEqual([
      [
        s.callerPath,
        'Properties.TaskDefinition',
        'Svc/TaskDef/Resource',
        'Metadata.cdk-api-reachability.externalCalls',
      ],
    ]);
  });

  test('a hint that throws stores nothing on the caller', () => {
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(s.caller).declareExternalCall('payments api')).toThrow(/^HintUrlNotAUrl: /);
    expect((s.caller.node.defaultChild as lambda.CfnFunction).getMetadata('cdk-api-reachability')).toBeUndefined();
  });

  test('every error code is documented in the TSDoc and in the README, and nothing else is', () => {
    const root = path.join(__dirname, '../..');
    const source = fs.readFileSync(path.join(root, 'src/integrations/api-reachability.ts'), 'utf8');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const codes = [...source.matchAll(/code: '(Hint\w+)'/g)].map((m) => m[1]).sort();
    expect(codes).toEqual([
      'HintApiNotAResource',
      'HintCallerNotAResource',
      'HintResourceNotACaller',
      'HintTargetNotAnApi',
      'HintUrlIsToken',
      'HintUrlNotAUrl',
    ]);
    expect([...source.matchAll(/^ \* - `(Hint\w+)`:/gm)].map((m) => m[1]).sort()).toEqual(codes);
    expect([...readme.matchAll(/^\| `(Hint\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(codes);
  });
});
