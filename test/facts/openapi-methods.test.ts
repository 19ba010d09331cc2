/**
 * Methods defined in an OpenAPI body (a REST API's Body, CDK's SpecRestApi, SAM's DefinitionBody)
 * are the API's methods: the rules that read methods (15, 16, 18) see them (issue D, item 1).
 */
import { analyzeGraph } from '../../src/analyze';
import { deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';

type Json = { [k: string]: any };

const body = (security: Json[] | undefined) => ({
  swagger: '2.0',
  info: { title: 'orders', version: '1' },
  securityDefinitions: {
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
  },
  paths: { '/orders': { get: { ...(security ? { security } : {}), responses: {} } } },
});

function restApi(props: Json, extra: Json = {}): Json {
  return {
    Resources: {
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: { Name: 'orders', EndpointConfiguration: { Types: ['REGIONAL'] }, ...props },
      },
      Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
      Prod: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', DeploymentId: { Ref: 'Deployment' } },
      },
      ...extra,
    },
  };
}

const graphOf = (t: Json) =>
  ResourceGraph.fromStacks([{ key: 'S', region: 'eu-west-1', account: '123456789012', template: t }]);
const placed = (t: Json) =>
  analyzeGraph(graphOf(t)).findings.map((f) => [f.ruleName, f.resource.logicalId, f.messageId]);

describe('methods of an OpenAPI body', () => {
  test('are read with their authorization and API key', () => {
    const d = deriveFacts(graphOf(restApi({ Body: body([{ api_key: [] }]) }))).apiDetails.get('S|Api')!;
    expect(d.methods.map((m) => [m.name, m.authorization, m.apiKeyRequired])).toEqual([['GET /orders', 'NONE', true]]);
    expect(d.methodsKnown).toBe(true);
  });

  test('beside Method resources, both are read', () => {
    const t = restApi(
      { Body: body([{ sigv4: [] }]) },
      {
        Post: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'Api' },
            ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
            HttpMethod: 'POST',
            AuthorizationType: 'AWS_IAM',
          },
        },
      },
    );
    const d = deriveFacts(graphOf(t)).apiDetails.get('S|Api')!;
    expect(d.methods.map((m) => [m.name, m.authorization])).toEqual([
      ['GET /orders', 'AWS_IAM'],
      ['POST /', 'AWS_IAM'],
    ]);
    expect(d.allMethodsIam).toBe(true);
  });

  test('rule 15: an API key required in the body, with no usage plan for the stage', () => {
    expect(placed(restApi({ Body: body([{ api_key: [] }]) }))).toEqual([['ApiKeyWithoutUsagePlan', 'Api', 'noPlan']]);
  });

  test('rule 15 stays silent when a usage plan with a key covers the stage', () => {
    const t = restApi(
      { Body: body([{ api_key: [] }]) },
      {
        Plan: {
          Type: 'AWS::ApiGateway::UsagePlan',
          Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: 'prod' }] },
        },
        Key: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true } },
        PlanKey: {
          Type: 'AWS::ApiGateway::UsagePlanKey',
          Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } },
        },
      },
    );
    expect(placed(t)).toEqual([]);
  });

  test('rule 18: unsigned methods in the body, and a policy that admits only an account', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
      ],
    };
    expect(placed(restApi({ Body: body(undefined), Policy: policy }))).toEqual([
      ['ResourcePolicyExcludesAnonymous', 'Api', 'anonymousDenied'],
    ]);
    // Near miss: the same methods signed with SigV4 carry an identity.
    expect(placed(restApi({ Body: body([{ sigv4: [] }]), Policy: policy }))).toEqual([]);
  });

  test('SAM DefinitionBody: the same methods are read', () => {
    const t = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: { StageName: 'prod', EndpointConfiguration: 'REGIONAL', DefinitionBody: body([{ api_key: [] }]) },
        },
      },
    };
    const d = deriveFacts(graphOf(t)).apiDetails.get('S|Api')!;
    expect(d.methods.map((m) => [m.name, m.authorization, m.apiKeyRequired])).toEqual([['GET /orders', 'NONE', true]]);
    // No usage plan: rule 15 reports the API's stage (not SAM's extra stage `Stage`) ...
    expect(placed(t)).toEqual([['ApiKeyWithoutUsagePlan', 'Api', 'noPlan']]);
    // ... and stays silent once SAM makes the plan and its key (Auth.UsagePlan).
    const planned = structuredClone(t) as { Resources: { Api: { Properties: Record<string, unknown> } } };
    planned.Resources.Api.Properties.Auth = { UsagePlan: { CreateUsagePlan: 'PER_API' } };
    expect(placed(planned)).toEqual([]);
  });

  test("SAM Auth.ResourcePolicy adds its statements to the body's policy, as the transform does", () => {
    const t = {
      Transform: 'AWS::Serverless-2016-10-31',
      Resources: {
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'prod',
            DefinitionBody: {
              ...body(undefined),
              'x-amazon-apigateway-policy': {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
            Auth: {
              ResourcePolicy: { CustomStatements: [{ Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }] },
            },
          },
        },
      },
    };
    const policy = deriveFacts(graphOf(t)).apiDetails.get('S|Api')!.policy;
    expect(policy === 'unknown' ? policy : policy?.map((st) => [st.effect, st.actions])).toEqual([
      ['Allow', ['sts:AssumeRole']],
      ['Allow', ['execute-api:Invoke']],
    ]);
    expect(placed(t)).toEqual([]);
  });
});
