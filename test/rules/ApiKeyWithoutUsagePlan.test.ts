import { App, Stack, aws_apigateway as apigw } from 'aws-cdk-lib';
import { newStack } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'ApiKeyWithoutUsagePlan';

function keyedApi(stack: Stack, id = 'Api'): apigw.RestApi {
  const api = new apigw.RestApi(stack, id, { endpointTypes: [apigw.EndpointType.REGIONAL] });
  api.root.addResource('pets').addMethod('GET', undefined, { apiKeyRequired: true });
  return api;
}

describe(RULE, () => {
  test('reports a keyed method with no usage plan, on the API, per stage, in both doors', () => {
    const stack = newStack(undefined, newApp());
    keyedApi(stack);
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'noPlan',
        resource: expect.objectContaining({ path: 'Stack/Api/Resource' }),
        findingId: 'Stack/Api/prod',
      }),
    ]);
    expect(f[0].message).toContain('GET /pets');
    expect(findingsFromAssembly(stack.node.root as App, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a usage plan that covers the stage but has no key', () => {
    const stack = newStack();
    const api = keyedApi(stack);
    api.addUsagePlan('Plan', { apiStages: [{ api, stage: api.deploymentStage }] });
    expect(findings(stack.node.root as App, RULE).map((f) => f.messageId)).toEqual(['planWithoutKey']);
  });

  test('reports a usage plan with a key on another API only', () => {
    const stack = newStack();
    keyedApi(stack);
    const other = keyedApi(stack, 'Other');
    other
      .addUsagePlan('Plan', { apiStages: [{ api: other, stage: other.deploymentStage }] })
      .addApiKey(other.addApiKey('Key'));
    expect(findings(stack.node.root as App, RULE).map((f) => f.findingId)).toEqual(['Stack/Api/prod']);
  });

  test('passes with a usage plan and a key', () => {
    const stack = newStack();
    const api = keyedApi(stack);
    api.addUsagePlan('Plan', { apiStages: [{ api, stage: api.deploymentStage }] }).addApiKey(api.addApiKey('Key'));
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('stays silent when the usage plan and key live in another stack', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const api = keyedApi(new Stack(app, 'Api', { env }));
    const plans = new Stack(app, 'Plans', { env });
    const plan = new apigw.UsagePlan(plans, 'Plan', { apiStages: [{ api, stage: api.deploymentStage }] });
    plan.addApiKey(new apigw.ApiKey(plans, 'Key'));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('stays silent when a usage plan names an API the app cannot resolve', () => {
    const stack = newStack();
    keyedApi(stack);
    new apigw.CfnUsagePlan(stack, 'Plan', { apiStages: [{ apiId: 'a1b2c3d4e5', stage: 'prod' }] });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('stays silent for methods that do not require a key', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});
