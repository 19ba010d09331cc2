/**
 * Caller → API links (`facts.calls`): every kind of evidence, how the hostname is read (`via`), the
 * URL path after it, and the precedence between evidence for the same API.
 */
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ApiReachability, PrivateApiAccess } from '../../src';
import { CallLink, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { Opaque, ResRef } from '../../src/graph/values';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, graphFromAssembly, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** The comparable part of a call: resources by construct path (or key), path segments as text. */
function summary(graph: ResourceGraph, l: CallLink) {
  return {
    caller: nameOf(l.caller.resource),
    via: l.via,
    evidence: l.evidence,
    api: nameOf(l.api?.resource),
    domain: nameOf(l.domain?.resource),
    record: nameOf(l.record?.resource),
    external: l.external,
    path: l.path?.map((s) =>
      typeof s === 'string' ? s : s instanceof ResRef ? `{${nameOf(graph.get(s.key))}}` : `?${s.kind}`,
    ),
    holder: nameOf(l.holder),
    location: l.evidenceLocation,
  };
}

function callsOf(graph: ResourceGraph) {
  return deriveFacts(graph).calls.map((l) => summary(graph, l));
}

function callsOfApp(app: App) {
  return callsOf(factsOfApp(app).graph);
}

/** A stack with a REGIONAL REST API (`Svc/Api`, stage `prod`) and a function outside any VPC whose environment is `env(api)`. */
function restApp(env: (api: apigw.RestApi, stack: Stack) => { [k: string]: string } = () => ({})) {
  const app = newApp();
  const stack = new Stack(app, 'Svc', { env: ENV });
  const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  api.root.addMethod('GET');
  const fn = new lambda.Function(stack, 'Caller', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => 1'),
    environment: env(api, stack),
  });
  return { app, stack, api, fn };
}

const CALLER = 'Svc/Caller/Resource';
const API = 'Svc/Api/Resource';
const STAGE = '{Svc/Api/DeploymentStage.prod/Resource}';
const ENV_VAR = (name: string) => `Properties.Environment.Variables.${name}`;

describe('default hostname', () => {
  test("CDK's api.url is a call on the default hostname, with the stage as the first path segment", () => {
    const { app } = restApp((api) => ({ API_URL: api.url }));
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'default-host',
        evidence: 'config',
        api: API,
        path: [STAGE],
        holder: CALLER,
        location: ENV_VAR('API_URL'),
      },
    ]);
  });

  test('urlForPath adds literal segments after the stage', () => {
    const { app } = restApp((api) => ({ API_URL: api.urlForPath('/orders/open') }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({ via: 'default-host', api: API, path: [STAGE, 'orders', 'open'] }),
    ]);
  });

  test("an HTTP API's ApiEndpoint attribute is its default hostname, with no path", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = new apigwv2.HttpApi(stack, 'Http');
    new lambda.Function(stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      environment: { API: api.apiEndpoint },
    });
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'default-host',
        evidence: 'config',
        api: 'Svc/Http/Resource',
        path: [],
        holder: CALLER,
        location: ENV_VAR('API'),
      },
    ]);
  });

  test('a literal default URL of an API outside the app is an external call, with its id, region and path', () => {
    const { app } = restApp(() => ({
      UPSTREAM: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod/pets?x=1',
    }));
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'default-host',
        evidence: 'config',
        external: { host: 'abc123defg.execute-api.eu-west-1.amazonaws.com', apiId: 'abc123defg', region: 'eu-west-1' },
        path: ['prod', 'pets'],
        holder: CALLER,
        location: ENV_VAR('UPSTREAM'),
      },
    ]);
  });

  test('a literal endpoint-specific hostname ({id}-vpce-….execute-api) of an API outside the app is not a call', () => {
    const { app } = restApp(() => ({
      UPSTREAM: 'https://abc123defg-vpce-0123abcd.execute-api.us-east-1.amazonaws.com/',
    }));
    expect(callsOfApp(app)).toEqual([]);
  });

  test('the endpoint-specific hostname of an API of the app is an endpoint-host call', () => {
    const { app } = restApp((api, stack) => ({
      API_URL: `https://${api.restApiId}-vpce-0123abcd.execute-api.${stack.region}.amazonaws.com/prod/`,
    }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({ via: 'endpoint-host', api: API, evidence: 'config', location: ENV_VAR('API_URL') }),
    ]);
  });

  test('text with no execute-api or app hostname names nothing', () => {
    const { app } = restApp(() => ({ OTHER: 'https://example.org/prod', COUNT: '3' }));
    expect(callsOfApp(app)).toEqual([]);
  });
});

describe('bare API id', () => {
  test('a Ref of the API with no hostname around it is a bare-id call, with no path', () => {
    const { app } = restApp((api) => ({ API_ID: api.restApiId }));
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'bare-id',
        evidence: 'config',
        api: API,
        holder: CALLER,
        location: ENV_VAR('API_ID'),
      },
    ]);
  });

  test('a bare id gives way to a URL of the same API', () => {
    const { app } = restApp((api) => ({ API_ID: api.restApiId, API_URL: api.url }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({ via: 'default-host', api: API, location: ENV_VAR('API_URL') }),
    ]);
  });

  test('another attribute of the API (its root resource id) is not a call', () => {
    const { app } = restApp((api) => ({ ROOT: api.restApiRootResourceId }));
    expect(callsOfApp(app)).toEqual([]);
  });
});

describe('custom domains', () => {
  /** A regional domain `api.example.com` mapping the API under `v1`, with an A alias `Svc/Alias`. */
  function withDomain(
    env: (d: { api: apigw.RestApi; domain: apigw.DomainName; record: route53.ARecord }) => {
      [k: string]: string;
    },
  ) {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    api.root.addMethod('GET');
    const domain = new apigw.DomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(
        stack,
        'Cert',
        'arn:aws:acm:us-east-1:123456789012:certificate/c',
      ),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    domain.addBasePathMapping(api, { basePath: 'v1' });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    const record = new route53.ARecord(stack, 'Alias', {
      zone,
      recordName: 'api',
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
    });
    new lambda.Function(stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      environment: env({ api, domain, record }),
    });
    return app;
  }

  test('a literal URL on the domain name is a call through the domain to the API it maps, with the record', () => {
    const app = withDomain(() => ({ API_URL: 'https://api.example.com/v1/orders' }));
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'domain',
        evidence: 'config',
        api: API,
        domain: 'Svc/Domain/Resource',
        record: 'Svc/Alias/Resource',
        path: ['v1', 'orders'],
        holder: CALLER,
        location: ENV_VAR('API_URL'),
      },
    ]);
  });

  test("the domain's own token (domain.domainName) is a call through it", () => {
    const app = withDomain(({ domain }) => ({ API_URL: `https://${domain.domainName}/v1` }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({ via: 'domain', api: API, domain: 'Svc/Domain/Resource', path: ['v1'] }),
    ]);
  });

  test("the record's token (record.domainName) is a call through the record and its domain", () => {
    const app = withDomain(({ record }) => ({ API_URL: `https://${record.domainName}/v1` }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({
        via: 'domain',
        api: API,
        domain: 'Svc/Domain/Resource',
        record: 'Svc/Alias/Resource',
        path: ['v1'],
      }),
    ]);
  });

  test('a URL on the domain next to an IAM grant keeps the domain: the grant is authorization, not a hostname', () => {
    const app = withDomain(() => ({ API_URL: 'https://api.example.com/v1' }));
    const fn = app.node.findAll().find((c) => c.node.path === 'Svc/Caller') as lambda.Function;
    const api = app.node.findAll().find((c) => c.node.path === 'Svc/Api') as apigw.RestApi;
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] }),
    );
    expect(callsOfApp(app)).toEqual([expect.objectContaining({ via: 'domain', api: API, evidence: 'config' })]);
  });

  test('a domain of the app that maps nothing is a call through the domain with no API', () => {
    const g = templateGraph(
      templateStack({
        Domain: { Type: 'AWS::ApiGatewayV2::DomainName', Properties: { DomainName: 'Orders.Example.com.' } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { URL: 'https://orders.example.com/' } } },
        },
      }),
    );
    expect(callsOf(g)).toEqual([
      {
        caller: 'S|Fn',
        via: 'domain',
        evidence: 'config',
        domain: 'S|Domain',
        path: [],
        holder: 'S|Fn',
        location: ENV_VAR('URL'),
      },
    ]);
  });
});

describe('IAM grants', () => {
  test("a grant of execute-api:Invoke on the API's ARN is a call, held by the role's policy", () => {
    const { app, api, fn } = restApp();
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] }),
    );
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'iam',
        evidence: 'iam',
        api: API,
        holder: 'Svc/Caller/ServiceRole/DefaultPolicy/Resource',
        location: 'Properties.PolicyDocument',
      },
    ]);
  });

  test('api.grantInvoke-style wildcards (execute-api:*) count as the action', () => {
    const { app, api, fn } = restApp();
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:*'], resources: [api.arnForExecuteApi('GET', '/', 'prod')] }),
    );
    expect(callsOfApp(app)).toEqual([expect.objectContaining({ via: 'iam', api: API })]);
  });

  test.each([
    ['a wildcard resource', ['*'], ['execute-api:Invoke']],
    ['another action on the API', ['API_ARN'], ['execute-api:ManageConnections']],
  ])('stays silent when the grant is on %s', (_, resources, actions) => {
    const { app, api, fn } = restApp();
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions,
        resources: resources.map((r) => (r === 'API_ARN' ? api.arnForExecuteApi() : r)),
      }),
    );
    expect(callsOfApp(app)).toEqual([]);
  });

  test('a Deny on the API is not a call', () => {
    const { app, api, fn } = restApp();
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['execute-api:Invoke'],
        resources: [api.arnForExecuteApi()],
      }),
    );
    expect(callsOfApp(app)).toEqual([]);
  });

  test('a grant gives way to a bare id of the same API', () => {
    const { app, api, fn } = restApp((a) => ({ API_ID: a.restApiId }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] }),
    );
    expect(callsOfApp(app)).toEqual([expect.objectContaining({ via: 'bare-id', api: API, evidence: 'config' })]);
  });

  test("a grant in an inline policy of a template role, through the caller's Role GetAtt", () => {
    const g = templateGraph(
      templateStack({
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            Policies: [
              {
                PolicyName: 'invoke',
                PolicyDocument: {
                  Statement: [
                    {
                      Effect: 'Allow',
                      Action: 'execute-api:Invoke',
                      Resource: {
                        'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*',
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      }),
    );
    expect(callsOf(g)).toEqual([
      {
        caller: 'S|Fn',
        via: 'iam',
        evidence: 'iam',
        api: 'S|Api',
        holder: 'S|Role',
        location: 'Properties.Policies.0.PolicyDocument',
      },
    ]);
    expect(deriveFacts(g).calls.map((l) => l.location)).toEqual(['Properties.Role']);
  });
});

describe('hints', () => {
  test('declareCall(api) is a hint on the default hostname, read from the metadata', () => {
    const { app, api, fn } = restApp();
    ApiReachability.of(fn).declareCall(api);
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'default-host',
        evidence: 'hint',
        api: API,
        holder: CALLER,
        location: 'Metadata.cdk-api-reachability.calls',
      },
    ]);
  });

  test('declareExternalCall(url) is read like a configured URL, as a hint', () => {
    const { app, fn } = restApp();
    ApiReachability.of(fn).declareExternalCall('https://zzz999.execute-api.eu-central-1.amazonaws.com/v2/');
    expect(callsOfApp(app)).toEqual([
      {
        caller: CALLER,
        via: 'default-host',
        evidence: 'hint',
        external: { host: 'zzz999.execute-api.eu-central-1.amazonaws.com', apiId: 'zzz999', region: 'eu-central-1' },
        path: ['v2'],
        holder: CALLER,
        location: 'Metadata.cdk-api-reachability.externalCalls',
      },
    ]);
  });

  test('a hint and a configured URL of the same API are one call: the URL, which shows the path, is kept', () => {
    const { app, api, fn } = restApp((a) => ({ API_URL: a.url }));
    ApiReachability.of(fn).declareCall(api);
    expect(callsOfApp(app).map((c) => [c.via, c.evidence, c.api, c.location])).toEqual([
      ['default-host', 'config', API, 'Properties.Environment.Variables.API_URL'],
    ]);
  });
});

describe('hints on what a caller runs', () => {
  /** A VPC, a REGIONAL REST API and one Fargate task definition run by `services` Fargate services. */
  function fargateApp(services: number) {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    api.root.addMethod('GET');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('App', { image: ecs.ContainerImage.fromRegistry('app') });
    for (let i = 0; i < services; i++) new ecs.FargateService(stack, `Service${i}`, { cluster, taskDefinition: task });
    return { app, stack, api, task };
  }

  test("a hint on a task definition reaches every service that runs it, held by the task definition's metadata", () => {
    const { app, api, task } = fargateApp(2);
    ApiReachability.of(task).declareCall(api);
    ApiReachability.of(task).declareExternalCall('https://zzz999.execute-api.us-east-1.amazonaws.com/prod');
    const calls = callsOfApp(app).map((c) => [c.caller, c.evidence, c.api ?? c.external?.host, c.holder, c.location]);
    expect(calls).toEqual(
      ['Svc/Service0/Service', 'Svc/Service1/Service'].flatMap((svc) => [
        [svc, 'hint', API, 'Svc/Task/Resource', 'Metadata.cdk-api-reachability.calls'],
        [
          svc,
          'hint',
          'zzz999.execute-api.us-east-1.amazonaws.com',
          'Svc/Task/Resource',
          'Metadata.cdk-api-reachability.externalCalls',
        ],
      ]),
    );
  });

  test("a finding on the service names the service's TaskDefinition property, the hint's place is the evidence", () => {
    const { app, api, task } = fargateApp(1);
    ApiReachability.of(task).declareCall(api);
    const links = factsOfApp(app).facts.calls;
    expect(links.map((l) => [nameOf(l.caller.resource), nameOf(l.holder), l.location, l.evidenceLocation])).toEqual([
      ['Svc/Service0/Service', 'Svc/Task/Resource', 'Properties.TaskDefinition', 'Metadata.cdk-api-reachability.calls'],
    ]);
  });

  test('the same hint on the service and on its task definition is one call', () => {
    const { app, stack, api, task } = fargateApp(1);
    ApiReachability.of(task).declareCall(api);
    ApiReachability.of(stack.node.findChild('Service0')).declareCall(api);
    expect(callsOfApp(app).map((c) => [c.caller, c.holder])).toEqual([
      ['Svc/Service0/Service', 'Svc/Service0/Service'],
    ]);
  });

  test('a hint on a task definition is read from the synthesized template too', () => {
    const { app, api, task } = fargateApp(1);
    ApiReachability.of(task).declareCall(api);
    expect(callsOf(graphFromAssembly(app)).map((c) => [c.caller, c.api, c.holder])).toEqual([
      ['Svc/Service0/Service', API, 'Svc/Task/Resource'],
    ]);
  });

  test('a hint on a launch template reaches the Auto Scaling group launched from it', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    api.root.addMethod('GET');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, launchTemplate });
    ApiReachability.of(launchTemplate).declareCall(api);
    expect(callsOfApp(app).map((c) => [c.caller, c.api, c.holder])).toEqual([
      ['Svc/Group/ASG', API, 'Svc/Template/Resource'],
    ]);
  });
});

describe('private APIs outside the app, as the endpoints record them', () => {
  /** A function outside any VPC calling a literal `abc123` and `def456`; an endpoint records `abc123` as private. */
  function recordedApp() {
    const { app, stack, fn } = restApp();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: new ec2.Vpc(stack, 'Vpc'), privateDnsEnabled: true });
    fn.addEnvironment('PARTNER_URL', access.urlFor(apigw.RestApi.fromRestApiId(stack, 'Partner', 'abc123'), 'prod'));
    fn.addEnvironment('OTHER_URL', 'https://def456.execute-api.us-east-1.amazonaws.com/prod');
    return app;
  }

  test('the default hostname of a recorded private API is not a call to an API of unknown type; others still are', () => {
    expect(callsOfApp(recordedApp()).map((c) => c.external?.apiId)).toEqual(['def456']);
  });

  test('the same, read from the cloud assembly', () => {
    expect(callsOf(graphFromAssembly(recordedApp())).map((c) => c.external?.apiId)).toEqual(['def456']);
  });
});

describe('URL paths in templates', () => {
  const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } };
  const stage = { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'live' } };
  const withUrl = (url: unknown) =>
    templateGraph(
      templateStack(
        {
          Api: api,
          Live: stage,
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { URL: url } } } },
        },
        { parameters: { Tenant: { Type: 'String' } } },
      ),
    );
  const pathOf = (url: unknown) => callsOf(withUrl(url)).map((c) => [c.via, c.api, c.path]);

  test.each<[string, unknown, unknown[] | undefined]>([
    [
      'a Sub with literal stage and resource',
      { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/pets' },
      ['prod', 'pets'],
    ],
    [
      'a Sub naming the Stage resource',
      { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Live}/' },
      ['{S|Live}'],
    ],
    [
      'a Join as CDK writes api.url',
      {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: 'Api' },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.amazonaws.com/',
            { Ref: 'Live' },
            '/x',
          ],
        ],
      },
      ['{S|Live}', 'x'],
    ],
    [
      'a parameter as a whole segment',
      { 'Fn::Sub': 'https://${Api}.execute-api.us-east-1.amazonaws.com/${Tenant}/pets' },
      ['?param', 'pets'],
    ],
    [
      'a parameter inside a segment',
      { 'Fn::Sub': 'https://${Api}.execute-api.us-east-1.amazonaws.com/t-${Tenant}' },
      ['?intrinsic'],
    ],
    [
      'a query string and a fragment',
      { 'Fn::Sub': 'https://${Api}.execute-api.us-east-1.amazonaws.com/prod?a=/b#c' },
      ['prod'],
    ],
    ['no path at all', { 'Fn::Sub': 'https://${Api}.execute-api.us-east-1.amazonaws.com' }, []],
  ])('%s', (_, url, path) => {
    expect(pathOf(url)).toEqual([['default-host', 'S|Api', path]]);
  });

  test('a URL in user data among other text keeps only its own path', () => {
    const g = templateGraph(
      templateStack({
        Api: api,
        Box: {
          Type: 'AWS::EC2::Instance',
          Properties: {
            SubnetId: 'subnet-1',
            UserData: {
              'Fn::Base64': {
                'Fn::Sub': '#!/bin/sh\ncurl "https://${Api}.execute-api.us-east-1.amazonaws.com/prod/a" -o x\n',
              },
            },
          },
        },
      }),
    );
    expect(callsOf(g)).toEqual([
      {
        caller: 'S|Box',
        via: 'default-host',
        evidence: 'config',
        api: 'S|Api',
        path: ['prod', 'a'],
        holder: 'S|Box',
        location: 'Properties.UserData',
      },
    ]);
  });

  test('keeps the Opaque kinds of unknown segments apart', () => {
    const link = deriveFacts(withUrl({ 'Fn::Sub': 'https://${Api}.execute-api.us-east-1.amazonaws.com/${Tenant}' }))
      .calls[0];
    expect(link.path).toEqual([new Opaque('param', 'S#Tenant')]);
  });
});

describe('across stacks', () => {
  function crossStack() {
    const app = newApp();
    const apis = new Stack(app, 'Apis', { env: ENV });
    const api = new apigw.RestApi(apis, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    api.root.addMethod('GET');
    const svc = new Stack(app, 'Svc', { env: ENV });
    const fn = new lambda.Function(svc, 'Caller', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      environment: { API_URL: api.url },
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [api.arnForExecuteApi()] }),
    );
    return app;
  }
  const expected = [
    {
      caller: CALLER,
      via: 'default-host',
      evidence: 'config',
      api: 'Apis/Api/Resource',
      path: ['{Apis/Api/DeploymentStage.prod/Resource}'],
      holder: CALLER,
      location: ENV_VAR('API_URL'),
    },
  ];

  test('a URL of an API in another stack lands on that API, read from the construct tree', () => {
    expect(callsOfApp(crossStack())).toEqual(expected);
  });

  test('the same call, read from the cloud assembly (Fn::ImportValue of the exports)', () => {
    expect(callsOf(graphFromAssembly(crossStack()))).toEqual(expected);
  });

  test('an ImportValue of an export the app does not define names nothing', () => {
    const g = templateGraph(
      templateStack({
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Environment: {
              Variables: {
                URL: {
                  'Fn::Join': [
                    '',
                    ['https://', { 'Fn::ImportValue': 'OtherApiId' }, '.execute-api.us-east-1.amazonaws.com/'],
                  ],
                },
              },
            },
          },
        },
      }),
    );
    expect(callsOf(g)).toEqual([]);
  });
});

describe('values evaluated as far as the template allows', () => {
  test("CDK's Fn.select(2, Fn.split('/', api.url)) is the API's default hostname", () => {
    const { app } = restApp((api) => ({ API_HOST: Fn.select(2, Fn.split('/', api.url)) }));
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({ via: 'default-host', api: API, location: ENV_VAR('API_HOST') }),
    ]);
  });

  test('the same hostname in an environment-agnostic stack (region and URL suffix unknown)', () => {
    const g = templateGraph(
      templateStack(
        {
          Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Environment: {
                Variables: {
                  HOST: {
                    'Fn::Select': [
                      2,
                      {
                        'Fn::Split': [
                          '/',
                          { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/' },
                        ],
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        { region: undefined },
      ),
    );
    expect(callsOf(g)).toEqual([expect.objectContaining({ via: 'default-host', api: 'S|Api' })]);
  });

  test.each<[string, string | undefined, string | undefined]>([
    ['us-east-1', 'us-east-1', 'abc123defg.execute-api.us-east-1.amazonaws.com'],
    ['a China region (amazonaws.com.cn)', 'cn-north-1', 'abc123defg.execute-api.cn-north-1.amazonaws.com.cn'],
    ['an unknown region: the hostname is not known, no call', undefined, undefined],
  ])('AWS::Region and AWS::URLSuffix inside the hostname of an API outside the app, %s', (_, region, host) => {
    const g = templateGraph(
      templateStack(
        {
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Environment: {
                Variables: {
                  URL: { 'Fn::Sub': 'https://abc123defg.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod' },
                },
              },
            },
          },
        },
        { region },
      ),
    );
    expect(callsOf(g).map((c) => c.external?.host)).toEqual(host ? [host] : []);
  });
});

describe('SSM parameters and secrets of the app, one step removed', () => {
  /** The REST API app, with an SSM parameter `/app/api-url` and a secret `app/api` that hold its URL. */
  function storedApp(
    env: (p: { param: ssm.StringParameter; secret: secretsmanager.CfnSecret }) => {
      [k: string]: string;
    },
  ) {
    return restApp((api, stack) => {
      const param = new ssm.StringParameter(stack, 'UrlParam', { parameterName: '/app/api-url', stringValue: api.url });
      const secret = new secretsmanager.CfnSecret(stack, 'UrlSecret', {
        name: 'app/api',
        secretString: stack.toJsonString({ url: api.url }),
      });
      return env({ param, secret });
    });
  }
  const callVia = (name: string) => [
    expect.objectContaining({ via: 'default-host', api: API, path: [STAGE], location: ENV_VAR(name) }),
  ];

  test.each<[string, (p: { param: ssm.StringParameter; secret: secretsmanager.CfnSecret }) => string]>([
    ["the parameter's name (its Ref)", ({ param }) => param.parameterName],
    ["the parameter's ARN", ({ param }) => param.parameterArn],
    ["the parameter's value (Fn::GetAtt Value)", ({ param }) => param.stringValue],
    ["the parameter's name as a literal", () => '/app/api-url'],
    ['a dynamic reference {{resolve:ssm:…}}', () => '{{resolve:ssm:/app/api-url}}'],
    ['a dynamic reference with a version', () => '{{resolve:ssm:/app/api-url:3}}'],
    ["the secret's ARN (its Ref)", ({ secret }) => secret.ref],
    ["the secret's name as a literal", () => 'app/api'],
    ['a dynamic reference {{resolve:secretsmanager:…}}', () => '{{resolve:secretsmanager:app/api:SecretString:url}}'],
    [
      'a dynamic reference by the secret ARN',
      () =>
        '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:app/api-AbCdEf:SecretString:url}}',
    ],
  ])('a call through %s', (_, value) => {
    const { app } = storedApp((p) => ({ URL_FROM: value(p) }));
    expect(callsOfApp(app)).toEqual(callVia('URL_FROM'));
  });

  test.each<[string, () => string]>([
    ['a parameter the app does not define', () => '{{resolve:ssm:/other/url}}'],
    ['a literal that is not the name of a parameter', () => '/app/api-url-2'],
    ['a secret the app does not define', () => '{{resolve:secretsmanager:other:SecretString:url}}'],
  ])('near miss: %s names nothing', (_, value) => {
    const { app } = storedApp(() => ({ URL_FROM: value() }));
    expect(callsOfApp(app)).toEqual([]);
  });

  test('a parameter whose value is not a URL of an API, and a generated secret, name nothing', () => {
    const { app } = restApp((_api, stack) => {
      const param = new ssm.StringParameter(stack, 'P', { stringValue: 'blue' });
      const secret = new secretsmanager.Secret(stack, 'S');
      return { COLOR: param.parameterName, SECRET: secret.secretArn };
    });
    expect(callsOfApp(app)).toEqual([]);
  });

  test('only one step: a parameter whose value names another parameter is not followed', () => {
    const { app } = storedApp(({ param }) => ({ URL_FROM: param.parameterName }));
    const stack = app.node.findChild('Svc') as Stack;
    const outer = new ssm.StringParameter(stack, 'Outer', { stringValue: '{{resolve:ssm:/app/api-url}}' });
    (stack.node.findChild('Caller') as lambda.Function).addEnvironment('OUTER', outer.parameterName);
    expect(callsOfApp(app).map((c) => c.location)).toEqual([ENV_VAR('URL_FROM')]);
  });

  test.each<[string, unknown]>([
    ['a dynamic reference', '{{resolve:ssm:/app/url}}'],
    ["the parameter's Ref", { Ref: 'Param' }],
  ])('the same call read from a template, and from its SAM form: %s', (_, value) => {
    const resources = (fn: Record<string, unknown>) => ({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
      Param: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: '/app/url',
          Type: 'String',
          Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod' },
        },
      },
      Fn: fn,
    });
    const env = { Variables: { A: value } };
    const cfn = templateGraph(
      templateStack(resources({ Type: 'AWS::Lambda::Function', Properties: { Environment: env } })),
    );
    const sam = templateGraph({
      key: 'S',
      region: 'us-east-1',
      template: {
        Resources: resources({
          Type: 'AWS::Serverless::Function',
          Properties: { Runtime: 'nodejs22.x', Handler: 'i.h', InlineCode: 'x', Environment: env },
        }),
      },
    });
    const brief = (g: ResourceGraph) => callsOf(g).map((c) => [c.via, c.api, c.path, c.location]);
    expect(brief(cfn)).toEqual([['default-host', 'S|Api', ['prod'], ENV_VAR('A')]]);
    expect(brief(sam)).toEqual(brief(cfn));
  });
});

describe('URLs in inline code, buildspecs, container commands and cfn-init', () => {
  const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } };
  const url = { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/x' };
  const brief = (g: ResourceGraph) => callsOf(g).map((c) => [c.via, c.api, c.path, c.holder, c.location]);

  test("a Lambda function's inline code (Code.ZipFile) that names the URL is a call", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const rest = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    rest.root.addMethod('GET');
    new lambda.Function(stack, 'Caller', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => fetch('${rest.url}orders');`),
    });
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({
        via: 'default-host',
        api: API,
        path: [STAGE, 'orders'],
        location: 'Properties.Code.ZipFile',
      }),
    ]);
  });

  test("the same inline code in a template, and as a SAM function's InlineCode", () => {
    const code = { 'Fn::Join': ['', ["fetch('", url, "')"]] };
    const cfn = templateGraph(
      templateStack({ Api: api, Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: code } } } }),
    );
    const sam = templateGraph({
      key: 'S',
      region: 'us-east-1',
      template: {
        Resources: {
          Api: api,
          Fn: {
            Type: 'AWS::Serverless::Function',
            Properties: { Runtime: 'nodejs22.x', Handler: 'i.h', InlineCode: code },
          },
        },
      },
    });
    expect(brief(cfn)).toEqual([['default-host', 'S|Api', ['prod', 'x'], 'S|Fn', 'Properties.Code.ZipFile']]);
    expect(brief(sam)).toEqual([['default-host', 'S|Api', ['prod', 'x'], 'S|Fn', 'Properties.InlineCode']]);
  });

  test('inline code that names no URL of an API is not a call', () => {
    const g = templateGraph(
      templateStack({
        Api: api,
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: "fetch('https://example.com/x')" } } },
      }),
    );
    expect(callsOf(g)).toEqual([]);
  });

  test("a CodeBuild project's inline buildspec that calls the URL is a call", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const rest = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    rest.root.addMethod('GET');
    new codebuild.Project(stack, 'Build', {
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        phases: { build: { commands: [`curl -f ${rest.url}health`] } },
      }),
    });
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({
        caller: 'Svc/Build/Resource',
        via: 'default-host',
        api: API,
        path: [STAGE, 'health'],
        location: 'Properties.Source.BuildSpec',
      }),
    ]);
  });

  test("a container's Command and EntryPoint that name the URL are calls of the service", () => {
    const g = templateGraph(
      templateStack({
        Api: api,
        Sub: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1' } },
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            NetworkMode: 'awsvpc',
            ContainerDefinitions: [
              { Name: 'a', Command: ['curl', url] },
              {
                Name: 'b',
                EntryPoint: [
                  'sh',
                  '-c',
                  { 'Fn::Sub': 'wget https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod/y' },
                ],
              },
              { Name: 'c', Command: ['echo', 'https://example.com/x'] },
            ],
          },
        },
        Svc: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: { Ref: 'Task' },
            NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [{ Ref: 'Sub' }] } },
          },
        },
      }),
    );
    expect(brief(g)).toEqual([
      ['default-host', 'S|Api', ['prod', 'x'], 'S|Task', 'Properties.ContainerDefinitions.0.Command'],
      ['default-host', 'S|Api', ['prod', 'y'], 'S|Task', 'Properties.ContainerDefinitions.1.EntryPoint'],
    ]);
  });

  test("an instance's AWS::CloudFormation::Init (CDK's CloudFormationInit) that calls the URL is a call", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const rest = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    rest.root.addMethod('GET');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    new ec2.Instance(stack, 'Host', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      init: ec2.CloudFormationInit.fromElements(ec2.InitCommand.shellCommand(`curl ${rest.url}ping`)),
    });
    expect(callsOfApp(app)).toEqual([
      expect.objectContaining({
        caller: 'Svc/Host/Resource',
        via: 'default-host',
        api: API,
        path: [STAGE, 'ping'],
        location: expect.stringMatching(/^Metadata\.AWS::CloudFormation::Init\.config\.commands\.\w+\.command$/),
      }),
    ]);
  });

  test("a launch template's cfn-init metadata is a call of the Auto Scaling group launched from it", () => {
    const g = templateGraph(
      templateStack({
        Api: api,
        Sub: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1' } },
        Lt: {
          Type: 'AWS::EC2::LaunchTemplate',
          Metadata: { 'AWS::CloudFormation::Init': { config: { commands: { a: { command: url } } } } },
          Properties: { LaunchTemplateData: {} },
        },
        Asg: {
          Type: 'AWS::AutoScaling::AutoScalingGroup',
          Properties: {
            VPCZoneIdentifier: [{ Ref: 'Sub' }],
            LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' },
          },
        },
      }),
    );
    expect(brief(g)).toEqual([
      ['default-host', 'S|Api', ['prod', 'x'], 'S|Lt', 'Metadata.AWS::CloudFormation::Init.config.commands.a.command'],
    ]);
  });
});

describe('browser-bundle variables of a build project are not a call', () => {
  const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } };
  const url = { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/prod' };
  const project = (props: Record<string, unknown>) =>
    templateGraph(templateStack({ Api: api, Build: { Type: 'AWS::CodeBuild::Project', Properties: props } }));
  const locations = (g: ResourceGraph) => callsOf(g).map((c) => c.location);

  test.each(['VITE_', 'REACT_APP_', 'NEXT_PUBLIC_', 'NUXT_PUBLIC_', 'VUE_APP_', 'GATSBY_', 'EXPO_PUBLIC_'])(
    'an environment variable %sAPI_URL is baked into the bundle: not a call',
    (prefix) => {
      const g = project({ Environment: { EnvironmentVariables: [{ Name: `${prefix}API_URL`, Value: url }] } });
      expect(locations(g)).toEqual([]);
    },
  );

  test('near misses: API_URL, and a prefix that is not at the start (MY_VITE_URL), are calls', () => {
    const g = project({
      Environment: {
        EnvironmentVariables: [
          { Name: 'API_URL', Value: url },
          { Name: 'MY_VITE_URL', Value: { 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/dev' } },
        ],
      },
    });
    expect(locations(g)).toEqual([
      'Properties.Environment.EnvironmentVariables.0.Value',
      'Properties.Environment.EnvironmentVariables.1.Value',
    ]);
  });

  test("CDK's browser-bundle variable is not a call; a smoke test in the same buildspec is", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const rest = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    rest.root.addMethod('GET');
    new codebuild.Project(stack, 'Site', {
      environmentVariables: { REACT_APP_API_URL: { value: rest.url } },
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: { variables: { VITE_API_URL: rest.urlForPath('/a') } },
        phases: { build: { commands: ['npm run build'] } },
      }),
    });
    new codebuild.Project(stack, 'Smoke', {
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: { variables: { VITE_API_URL: rest.urlForPath('/a') } },
        phases: { build: { commands: [`curl ${rest.urlForPath('/b')}`] } },
      }),
    });
    expect(callsOfApp(app).map((c) => [c.caller, c.path, c.location])).toEqual([
      ['Svc/Smoke/Resource', [STAGE, 'b'], 'Properties.Source.BuildSpec'],
    ]);
  });

  test('in a YAML buildspec: an export of a browser-bundle variable is cut out to the end of its line', () => {
    const g = project({
      Source: {
        Type: 'NO_SOURCE',
        BuildSpec: {
          'Fn::Join': [
            '',
            [
              'version: 0.2\nphases:\n  build:\n    commands:\n      - export NEXT_PUBLIC_API=',
              url,
              '/site\n      - curl ',
              url,
              '/check\n',
            ],
          ],
        },
      },
    });
    expect(callsOf(g).map((c) => c.path)).toEqual([['prod', 'check']]);
  });
});
