/**
 * APIs and their details (`facts.apis`, `facts.apiDetails`): endpoint types, stages, methods and
 * routes, usage plans, policies and the OpenAPI body's extensions, bodies in S3.
 */
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApiDetails, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const graph = (resources: Record<string, unknown>) =>
  templateGraph(templateStack(resources, { parameters: { P: { Type: 'String' } } }));

function details(g: ResourceGraph, key: string): ApiDetails {
  return deriveFacts(g).apiDetails.get(key)!;
}

const stagesOf = (d: ApiDetails) => d.stages.map((s) => [s.name, nameOf(s.resource)]);
const methodsOf = (d: ApiDetails) =>
  d.methods.map((m) => [m.name, m.authorization, m.apiKeyRequired, nameOf(m.resource)]);

describe('apis', () => {
  test.each<[string, Record<string, unknown>, string | undefined, boolean | undefined]>([
    ['no endpoint configuration: EDGE', { Type: 'AWS::ApiGateway::RestApi' }, 'EDGE', true],
    [
      'REGIONAL',
      { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['REGIONAL'] } } },
      'REGIONAL',
      true,
    ],
    [
      'PRIVATE',
      { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['PRIVATE'] } } },
      'PRIVATE',
      false,
    ],
    [
      'a parameter: unknown',
      { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: [{ Ref: 'P' }] } } },
      undefined,
      undefined,
    ],
    [
      'an OpenAPI import parameter',
      { Type: 'AWS::ApiGateway::RestApi', Properties: { Parameters: { endpointConfigurationTypes: 'REGIONAL' } } },
      'REGIONAL',
      true,
    ],
    ['SAM: EDGE by default', { Type: 'AWS::Serverless::Api', Properties: { StageName: 'p' } }, 'EDGE', true],
    [
      'SAM: a PRIVATE object',
      { Type: 'AWS::Serverless::Api', Properties: { EndpointConfiguration: { Type: 'PRIVATE' } } },
      'PRIVATE',
      false,
    ],
    ['an HTTP API', { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } }, 'REGIONAL', true],
  ])('%s', (_, resource, endpointType, isPublic) => {
    const [api] = deriveFacts(graph({ Api: resource })).apis;
    expect([nameOf(api.resource), api.endpointType, api.isPublic, api.region]).toEqual([
      'S|Api',
      endpointType,
      isPublic,
      'us-east-1',
    ]);
  });

  test('kinds: REST, HTTP, WEBSOCKET', () => {
    const g = graph({
      A: { Type: 'AWS::ApiGateway::RestApi' },
      B: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      C: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
      D: { Type: 'AWS::Serverless::HttpApi' },
    });
    expect(deriveFacts(g).apis.map((a) => [a.resource.key, a.kind])).toEqual([
      ['S|A', 'REST'],
      ['S|B', 'HTTP'],
      ['S|C', 'WEBSOCKET'],
      ['S|D', 'HTTP'],
    ]);
  });
});

describe('CDK APIs', () => {
  test('a REST API: its stage, methods down the resource tree, a usage plan with a key, its policy', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    const api = new apigw.RestApi(stack, 'Api', {
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            principals: [new iam.AnyPrincipal()],
            actions: ['execute-api:Invoke'],
            resources: ['execute-api:/*'],
          }),
        ],
      }),
      disableExecuteApiEndpoint: true,
    });
    api.root.addMethod('GET');
    api.root
      .addResource('pets')
      .addResource('{id}')
      .addMethod('POST', undefined, { authorizationType: apigw.AuthorizationType.IAM, apiKeyRequired: true });
    const plan = api.addUsagePlan('Plan', { apiStages: [{ api, stage: api.deploymentStage }] });
    plan.addApiKey(api.addApiKey('Key'));
    const { graph: g, facts } = factsOfApp(app);
    const d = facts.apiDetails.get(g.byConstructPath('Svc/Api/Resource')!.key)!;
    expect(stagesOf(d)).toEqual([['prod', 'Svc/Api/DeploymentStage.prod/Resource']]);
    expect(d.stagesKnown).toBe(true);
    expect(methodsOf(d)).toEqual([
      ['GET /', 'NONE', false, 'Svc/Api/Default/GET/Resource'],
      ['POST /pets/{id}', 'AWS_IAM', true, 'Svc/Api/Default/pets/{id}/POST/Resource'],
    ]);
    expect(d.usagePlans.map((u) => [nameOf(u.plan), u.stage, u.stageKnown, u.hasKey])).toEqual([
      ['Svc/Api/Plan/Resource', 'prod', true, true],
    ]);
    expect(d.usagePlansUncertain).toBe(false);
    expect([d.policyLocation, d.defaultEndpointDisabled, d.vpcEndpointIds, d.methodsKnown]).toEqual([
      'Properties.Policy',
      true,
      [],
      true,
    ]);
    expect(d.policy).toEqual([expect.objectContaining({ effect: 'Allow' })]);
  });

  test('an HTTP API: the $default stage CDK creates, its routes with JWT and IAM authorization', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    const api = new apigwv2.HttpApi(stack, 'Http');
    new apigwv2.CfnRoute(stack, 'Items', { apiId: api.apiId, routeKey: 'GET /items', authorizationType: 'JWT' });
    new apigwv2.CfnRoute(stack, 'Admin', { apiId: api.apiId, routeKey: 'POST /admin', authorizationType: 'AWS_IAM' });
    const { graph: g, facts } = factsOfApp(app);
    const d = facts.apiDetails.get(g.byConstructPath('Svc/Http/Resource')!.key)!;
    expect(stagesOf(d)).toEqual([['$default', 'Svc/Http/DefaultStage/Resource']]);
    expect(methodsOf(d)).toEqual([
      ['POST /admin', 'AWS_IAM', false, 'Svc/Admin'],
      ['GET /items', 'JWT', false, 'Svc/Items'],
    ]);
  });
});

describe('stages in templates', () => {
  test('Stage and Deployment StageName; a stage name that is a parameter makes the stages unknown', () => {
    const g = graph({
      Api: { Type: 'AWS::ApiGateway::RestApi' },
      Dep: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1' } },
      Bare: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Api' } } },
      Live: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'live' } },
      Dyn: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: { Ref: 'P' } } },
    });
    const d = details(g, 'S|Api');
    expect(stagesOf(d)).toEqual([
      [undefined, 'S|Dyn'],
      ['live', 'S|Live'],
      ['v1', 'S|Dep'],
    ]);
    expect(d.stagesKnown).toBe(false);
  });

  test("SAM: the StageName and SAM's extra 'Stage'; an HttpApi's $default; a quick-create HTTP API's $default", () => {
    const g = graph({
      Sam: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod' } },
      SamHttp: { Type: 'AWS::Serverless::HttpApi' },
      Quick: {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: { ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:1:function:f' },
      },
    });
    // The transform's resources: <Api><StageName>Stage, and the Deployment's extra stage `Stage`.
    const sam = details(g, 'S|Sam');
    expect(
      sam.stages.map((s) => [s.name, String(nameOf(s.resource)).replace(/[0-9a-f]{10}$/, '#'), s.samExtra ?? false]),
    ).toEqual([
      ['prod', 'S|SamprodStage', false],
      ['Stage', 'S|SamDeployment#', true],
    ]);
    expect(stagesOf(details(g, 'S|SamHttp'))).toEqual([['$default', 'S|SamHttpApiGatewayDefaultStage']]);
    expect(stagesOf(details(g, 'S|Quick'))).toEqual([['$default', 'S|Quick']]);
  });
});

describe('usage plans in templates', () => {
  const base = {
    Api: { Type: 'AWS::ApiGateway::RestApi' },
    Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
  };

  test('a plan on a Stage resource without a key, and one on a parameter stage with a key', () => {
    const g = graph({
      ...base,
      NoKey: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'Prod' } }] },
      },
      Keyed: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: { ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'P' } }] },
      },
      PlanKey: {
        Type: 'AWS::ApiGateway::UsagePlanKey',
        Properties: { UsagePlanId: { Ref: 'Keyed' }, KeyId: 'k', KeyType: 'API_KEY' },
      },
    });
    const d = details(g, 'S|Api');
    expect(d.usagePlans.map((u) => [nameOf(u.plan), u.stage, u.stageKnown, u.hasKey])).toEqual([
      ['S|Keyed', undefined, false, true],
      ['S|NoKey', 'prod', true, false],
    ]);
    expect(d.usagePlansUncertain).toBe(false);
  });

  test('a plan on an API the app cannot tie down makes every API uncertain; a key of an unknown plan may be any plan’s', () => {
    const g = graph({
      ...base,
      Plan: {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: {
          ApiStages: [
            { ApiId: { Ref: 'Api' }, Stage: 'prod' },
            { ApiId: { Ref: 'P' }, Stage: 'x' },
          ],
        },
      },
      PlanKey: {
        Type: 'AWS::ApiGateway::UsagePlanKey',
        Properties: { UsagePlanId: { Ref: 'P' }, KeyId: 'k', KeyType: 'API_KEY' },
      },
    });
    const d = details(g, 'S|Api');
    expect(d.usagePlans.map((u) => [nameOf(u.plan), u.stage, u.hasKey])).toEqual([['S|Plan', 'prod', true]]);
    expect(d.usagePlansUncertain).toBe(true);
  });
});

describe('OpenAPI bodies', () => {
  const body = {
    openapi: '3.0.1',
    'x-amazon-apigateway-policy': {
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
    },
    'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true, vpcEndpointIds: ['vpce-1'] },
    paths: { '/open': { get: {} } },
  };

  test("the policy and the endpoint configuration come from the body's extensions", () => {
    const d = details(graph({ Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Body: body } } }), 'S|Api');
    expect(d.policy).toEqual([expect.objectContaining({ effect: 'Deny' })]);
    expect([d.policyLocation, d.defaultEndpointDisabled, d.vpcEndpointIds, d.methodsKnown]).toEqual([
      'Properties.Body.x-amazon-apigateway-policy',
      true,
      ['vpce-1'],
      true,
    ]);
  });

  test('the Policy property wins over the body extension', () => {
    const d = details(
      graph({
        Api: {
          Type: 'AWS::ApiGateway::RestApi',
          Properties: {
            Body: body,
            Policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] },
          },
        },
      }),
      'S|Api',
    );
    expect([d.policyLocation, d.policy]).toEqual(['Properties.Policy', [expect.objectContaining({ effect: 'Allow' })]]);
  });

  test('a body in S3 makes the policy, the default endpoint, the endpoint ids and the methods unknown', () => {
    const rest = details(
      graph({ Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { BodyS3Location: { Bucket: 'b', Key: 'k' } } } }),
      'S|Api',
    );
    const sam = details(
      graph({ Api: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'p', DefinitionUri: 's3://b/k' } } }),
      'S|Api',
    );
    for (const d of [rest, sam]) {
      expect([d.policy, d.defaultEndpointDisabled, d.vpcEndpointIds, d.methodsKnown]).toEqual([
        'unknown',
        'unknown',
        'unknown',
        false,
      ]);
    }
  });

  test("SAM's Auth.ResourcePolicy with only CustomStatements: the custom statements, also next to a DefinitionBody", () => {
    const d = details(
      graph({
        Api: {
          Type: 'AWS::Serverless::Api',
          Properties: {
            StageName: 'p',
            Auth: {
              ResourcePolicy: {
                CustomStatements: [
                  { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
                ],
              },
            },
            DefinitionBody: { paths: { '/a': { get: {} } } },
          },
        },
      }),
      'S|Api',
    );
    expect(d.policy === 'unknown' ? d.policy : d.policy?.map((s) => [s.effect, s.resources])).toEqual([
      ['Allow', ['execute-api:/*']],
    ]);
    expect([d.policyLocation, d.methodsKnown]).toEqual(['Properties.Body.x-amazon-apigateway-policy', true]);
  });

  test("an OpenAPI 3 body's endpoint configuration is read under servers; a Swagger 2 body's at the top", () => {
    const ext = {
      'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true, vpcEndpointIds: ['vpce-1'] },
    };
    const oas3 = details(
      graph({
        Api: {
          Type: 'AWS::ApiGateway::RestApi',
          Properties: { Body: { openapi: '3.0.1', paths: {}, servers: [{ url: '/' }, ext] } },
        },
      }),
      'S|Api',
    );
    const swagger = details(
      graph({ Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Body: { swagger: '2.0', paths: {}, ...ext } } } }),
      'S|Api',
    );
    for (const d of [oas3, swagger]) expect([d.defaultEndpointDisabled, d.vpcEndpointIds]).toEqual([true, ['vpce-1']]);
    // Near miss: servers without the extension.
    const plain = details(
      graph({
        Api: {
          Type: 'AWS::ApiGateway::RestApi',
          Properties: { Body: { openapi: '3.0.1', paths: {}, servers: [{ url: '/' }] } },
        },
      }),
      'S|Api',
    );
    expect(plain.defaultEndpointDisabled).toBe(false);
  });

  test('no body and no policy: no policy, default endpoint on', () => {
    const d = details(graph({ Api: { Type: 'AWS::ApiGateway::RestApi' } }), 'S|Api');
    expect([d.policy, d.defaultEndpointDisabled, d.vpcEndpointIds, d.methods, d.methodsKnown]).toEqual([
      undefined,
      false,
      [],
      [],
      true,
    ]);
  });
});
