import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiReachability } from '../../src';
import { newApp, scenario } from '../fixtures/apps/scenario';
import { findings } from '../fixtures/helpers';

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
  });

  test('throws if the API is imported', () => {
    const s = scenario({ evidence: 'none' });
    const imported = apigw.RestApi.fromRestApiId(Stack.of(s.caller), 'Imported', 'abc123');
    expect(() => ApiReachability.of(s.caller).declareCall(imported)).toThrow(
      /not a CloudFormation resource of this app.*declareExternalCall/,
    );
  });

  test('throws if the caller has no CloudFormation resource', () => {
    const app = newApp();
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(app).declareCall(s.api)).toThrow(
      /the caller \(app\) is not a CloudFormation resource/,
    );
  });

  test('throws if the external URL is a token', () => {
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(s.caller).declareExternalCall((s.api as apigw.RestApi).url)).toThrow(
      /the URL is a token.*declareCall/,
    );
  });

  test('throws if the external URL is not a URL', () => {
    const s = scenario({ evidence: 'none' });
    expect(() => ApiReachability.of(s.caller).declareExternalCall('payments api')).toThrow(
      /'payments api' is not a URL/,
    );
  });
});
