import { App, aws_apigateway as apigw, aws_iam as iam } from 'aws-cdk-lib';
import { newStack, privateRestApi, restApi } from '../constructs/helpers';
import { findings, invokePolicy } from '../fixtures/helpers';

const RULE = 'PrivateApiPolicyAllowsAnyEndpoint';

function policy(conditions?: { [op: string]: unknown }, principal: iam.IPrincipal = new iam.AnyPrincipal()) {
  return invokePolicy({ principals: [principal], conditions });
}

function run(props: apigw.RestApiProps, make = privateRestApi) {
  const stack = newStack();
  make(stack, 'Internal', props);
  return findings(stack.node.root as App, RULE);
}

describe(RULE, () => {
  test('reports Principal * with no condition, as a warning on the API', () => {
    expect(run({ policy: policy() })).toEqual([
      expect.objectContaining({
        level: 'warning',
        messageId: 'open',
        resource: expect.objectContaining({ path: 'Stack/Internal/Resource' }),
      }),
    ]);
  });

  test('reports the same policy in an OpenAPI body', () => {
    const stack = newStack();
    new apigw.CfnRestApi(stack, 'SpecApi', {
      name: 'spec',
      body: {
        openapi: '3.0.1',
        info: { title: 'spec', version: '1' },
        paths: {},
        'x-amazon-apigateway-endpoint-configuration': {},
        'x-amazon-apigateway-policy': {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
        },
      },
      endpointConfiguration: { types: ['PRIVATE'] },
    });
    expect(findings(stack.node.root as App, RULE).map((f) => f.findingId)).toEqual(['Stack/SpecApi']);
  });

  test.each([
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-0aaaaaaaaaaaaaaaa' } }],
    ['aws:SourceVpc', { StringEquals: { 'aws:SourceVpc': 'vpc-0aaaaaaaaaaaaaaaa' } }],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }],
    ['aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': '123456789012' } }],
  ])('stays silent with a condition on %s', (_, conditions) => {
    expect(run({ policy: policy(conditions) })).toEqual([]);
  });

  test('stays silent when only one account may invoke it', () => {
    expect(run({ policy: policy(undefined, new iam.AccountPrincipal('123456789012')) })).toEqual([]);
  });

  test('stays silent for an open regional API (public by design)', () => {
    expect(run({ policy: policy(), endpointTypes: [apigw.EndpointType.REGIONAL] }, restApi)).toEqual([]);
  });
});
