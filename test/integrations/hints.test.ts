import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiReachability } from '../../src';
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
      'HintTargetNotAnApi',
      'HintUrlIsToken',
      'HintUrlNotAUrl',
    ]);
    expect([...source.matchAll(/^ \* - `(Hint\w+)`:/gm)].map((m) => m[1]).sort()).toEqual(codes);
    expect([...readme.matchAll(/^\| `(Hint\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(codes);
  });
});
