import { App, CfnParameter, Stack, aws_apigateway as apigw } from 'aws-cdk-lib';
import { handler, httpApi, newStack, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed } from '../fixtures/helpers';

const RULE = 'UnknownStageInUrl';

const defaultUrl = (stack: Stack, id: string, stage: string) =>
  `https://${id}.execute-api.${stack.region}.${stack.urlSuffix}/${stage}/`;

describe(RULE, () => {
  test('reports a URL with a stage the API lacks, on the caller, in both doors', () => {
    const stack = newStack(undefined, newApp());
    const api = restApi(stack, 'Api');
    handler(stack, 'Caller', { environment: { API_URL: defaultUrl(stack, api.restApiId, 'production') } });
    const f = findings(stack.node.root as App, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'unknownStage',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Api/Resource',
      }),
    ]);
    expect(f[0].message).toContain('"prod"');
    expect(findingsFromAssembly(stack.node.root as App, RULE).map(summary)).toEqual(f.map(summary));
  });

  function separateStage(stageName: string | CfnParameter, urlStage: string) {
    const stack = newStack();
    const api = restApi(stack, 'Api', { deploy: false });
    const deployment = new apigw.Deployment(stack, 'Deployment', { api });
    const name = typeof stageName === 'string' ? stageName : stageName.valueAsString;
    new apigw.Stage(stack, 'Live', { deployment, stageName: name });
    handler(stack, 'Caller', { environment: { API_URL: defaultUrl(stack, api.restApiId, urlStage) } });
    return findings(stack.node.root as App, RULE);
  }

  test('reads stages created by a separate Stage resource: reports a wrong one', () => {
    expect(separateStage('live', 'prod').map(placed)).toEqual([
      ['ApiReachability-UnknownStageInUrl', 'Stack/Caller/Resource', 'Stack/Api/Resource'],
    ]);
  });

  test('reads stages created by a separate Stage resource: silent for the right one', () => {
    expect(separateStage('live', 'live')).toEqual([]);
  });

  test('stays silent when a stage name is a parameter', () => {
    const stack = newStack();
    expect(separateStage(new CfnParameter(stack, 'StageName'), 'prod')).toEqual([]);
  });

  test('stays silent for api.url and for HTTP APIs', () => {
    const stack = newStack();
    const api = restApi(stack, 'Api');
    const orders = httpApi(stack, 'Orders');
    handler(stack, 'Caller', { environment: { API_URL: api.url, ORDERS_URL: `${orders.apiEndpoint}/orders` } });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});
