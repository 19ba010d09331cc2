/**
 * The SAM expansion (graph/sam.ts): the resources, logical ids, stages, bodies and policies the SAM
 * transform writes for the resources the facts read, and what it leaves unknown.
 */
import { expandSam, SAM_ORIGIN } from '../../src/graph/sam';
import { parseTemplate } from '../../src/graph/template-loader';
import { RawTemplate } from '../../src/graph/types';

type Json = Record<string, any>;

const expand = (resources: Json, globals?: Json): Json =>
  expandSam({ Resources: resources, ...(globals ? { Globals: globals } : {}) } as RawTemplate).Resources as Json;
const fn = (events: Json, extra: Json = {}) => ({
  Type: 'AWS::Serverless::Function',
  Properties: { Runtime: 'python3.12', Events: events, ...extra },
});
const api = (props: Json = {}) => ({ Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod', ...props } });
const ev = (props: Json) => ({ Type: 'Api', Properties: { Path: '/a', Method: 'get', ...props } });
const typesOf = (r: Json) =>
  Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k.replace(/Deployment[0-9a-f]{10}$/, 'Deployment#'), r[k].Type]),
  );
const policyOf = (r: Json, id = 'Api') => r[id].Properties.Body['x-amazon-apigateway-policy'];

describe('SAM expansion: resources and logical ids', () => {
  test('a template without SAM APIs or functions is returned as it is', () => {
    const t = { Resources: { Q: { Type: 'AWS::SQS::Queue' } } } as RawTemplate;
    expect(expandSam(t)).toBe(t);
  });

  test('an Api event without RestApiId makes ServerlessRestApi, its Prod stage, the extra stage and the function role', () => {
    const r = expand({ Fn: fn({ Get: ev({}) }) });
    expect(typesOf(r)).toEqual({
      Fn: 'AWS::Lambda::Function',
      FnRole: 'AWS::IAM::Role',
      ServerlessRestApi: 'AWS::ApiGateway::RestApi',
      'ServerlessRestApiDeployment#': 'AWS::ApiGateway::Deployment',
      ServerlessRestApiProdStage: 'AWS::ApiGateway::Stage',
    });
    const deployment = Object.keys(r).find((k) => k.startsWith('ServerlessRestApiDeployment'))!;
    expect(r[deployment].Properties.StageName).toBe('Stage');
    expect(r.ServerlessRestApiProdStage.Properties).toEqual({
      RestApiId: { Ref: 'ServerlessRestApi' },
      DeploymentId: { Ref: deployment },
      StageName: 'Prod',
    });
    expect(r.ServerlessRestApi.Metadata[SAM_ORIGIN]).toEqual({ logicalId: 'Fn', property: 'Properties.Events.Get' });
    expect(r.Fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['FnRole', 'Arn'] });
  });

  test('OpenApiVersion removes the extra stage; a stage name that is not alphanumeric gets a hashed logical id', () => {
    const r = expand({ Api: api({ OpenApiVersion: '3.0.1', StageName: 'v1-beta' }) });
    const deployment = Object.keys(r).find((k) => k.startsWith('ApiDeployment'))!;
    expect(r[deployment].Properties.StageName).toBeUndefined();
    // SAM: LogicalIdGenerator('ApiStage', 'v1-beta') = prefix + the first 10 hex digits of SHA-1('v1-beta').
    expect(Object.keys(r).filter((k) => r[k].Type === 'AWS::ApiGateway::Stage')).toEqual([
      expect.stringMatching(/^ApiStage[0-9a-f]{10}$/),
    ]);
  });

  test('an HttpApi event without ApiId makes ServerlessHttpApi and its $default stage', () => {
    const r = expand({ Fn: fn({ Get: { Type: 'HttpApi' } }) });
    expect(r.ServerlessHttpApi.Type).toBe('AWS::ApiGatewayV2::Api');
    expect(Object.keys(r.ServerlessHttpApi.Properties.Body.paths)).toEqual(['/$default']);
    expect(r.ServerlessHttpApiApiGatewayDefaultStage.Properties.StageName).toBe('$default');
  });

  test('Auth.UsagePlan: PER_API, SHARED (one plan for all) and NONE', () => {
    const r = expand({
      A: api({ Auth: { UsagePlan: { CreateUsagePlan: 'PER_API' } } }),
      B: api({ Auth: { UsagePlan: { CreateUsagePlan: 'SHARED' } } }),
      C: api({ Auth: { UsagePlan: { CreateUsagePlan: 'SHARED' } } }),
      D: api({ Auth: { UsagePlan: { CreateUsagePlan: 'NONE' } } }),
    });
    expect(r.AUsagePlan.Properties.ApiStages).toEqual([{ ApiId: { Ref: 'A' }, Stage: { Ref: 'AprodStage' } }]);
    expect(r.AUsagePlanKey.Properties).toEqual({
      KeyId: { Ref: 'AApiKey' },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: 'AUsagePlan' },
    });
    expect(r.ServerlessUsagePlan.Properties.ApiStages.map((s: Json) => s.ApiId.Ref)).toEqual(['B', 'C']);
    expect(r.ServerlessUsagePlanKey.Properties.UsagePlanId).toEqual({ Ref: 'ServerlessUsagePlan' });
    expect(Object.keys(r).filter((k) => k.startsWith('D') && /UsagePlan|ApiKey/.test(k))).toEqual([]);
  });

  test('the function role: managed policies by name, inline statements, and SAM policy templates as unknown documents', () => {
    const r = expand({
      Fn: fn(
        {},
        {
          VpcConfig: { SubnetIds: ['subnet-1'] },
          Policies: [
            'AmazonS3ReadOnlyAccess',
            { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] },
            { SQSPollerPolicy: { QueueName: 'q' } },
          ],
        },
      ),
    });
    const p = r.FnRole.Properties;
    expect(p.ManagedPolicyArns.map((a: Json) => a['Fn::Sub'] ?? a)).toEqual([
      'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      'arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ]);
    expect(p.Policies.map((x: Json) => x.PolicyName)).toEqual(['FnRolePolicy0', 'FnRolePolicy1']);
    expect(p.Policies[1].PolicyDocument).toEqual({ 'Fn::Sam': 'a SAM policy template' });
    // A function with its own Role gets none.
    expect(expand({ Fn: fn({}, { Role: 'arn:aws:iam::1:role/r' }) }).FnRole).toBeUndefined();
  });

  test('a Domain makes ApiGatewayDomainName<hash> and its base path mappings', () => {
    const r = expand({
      Api: api({ Domain: { DomainName: 'api.example.com', CertificateArn: 'c', BasePath: ['/v1', 'v2'] } }),
    });
    const domain = Object.keys(r).find((k) => r[k].Type === 'AWS::ApiGateway::DomainName')!;
    expect(domain).toMatch(/^ApiGatewayDomainName[0-9a-f]{10}$/);
    expect(r.Apiv1BasePathMapping.Properties).toEqual({
      DomainName: { Ref: domain },
      RestApiId: { Ref: 'Api' },
      Stage: { Ref: 'ApiprodStage' },
      BasePath: 'v1',
    });
    expect(r.Apiv2BasePathMapping.Properties.BasePath).toBe('v2');
  });

  test("IpAddressType of the API and of its Domain goes to each one's EndpointConfiguration", () => {
    const r = expand({
      Api: api({
        EndpointConfiguration: { Type: 'REGIONAL', IpAddressType: 'dualstack' },
        Domain: {
          DomainName: 'api.example.com',
          CertificateArn: 'c',
          EndpointConfiguration: 'REGIONAL',
          IpAddressType: 'dualstack',
        },
      }),
      Plain: api({ Domain: { DomainName: 'plain.example.com', CertificateArn: 'c' } }),
    });
    expect(r.Api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'], IpAddressType: 'dualstack' });
    const domains = Object.values(r).filter((x: Json) => x.Type === 'AWS::ApiGateway::DomainName') as Json[];
    expect(domains.map((d) => [d.Properties.DomainName, d.Properties.EndpointConfiguration])).toEqual([
      ['api.example.com', { Types: ['REGIONAL'], IpAddressType: 'dualstack' }],
      ['plain.example.com', { Types: ['REGIONAL'] }],
    ]);
  });
});

describe('SAM expansion: Domain.Route53, as the transform writes the alias records', () => {
  const domain = (name: string, extra: Json = {}) => ({ DomainName: name, CertificateArn: 'c', ...extra });
  const regional = (id: string) => ({
    HostedZoneId: { 'Fn::GetAtt': [id, 'RegionalHostedZoneId'] },
    DNSName: { 'Fn::GetAtt': [id, 'RegionalDomainName'] },
  });
  const groups = (r: Json) => Object.keys(r).filter((k) => r[k].Type === 'AWS::Route53::RecordSetGroup');

  test('APIs naming one hosted zone share RecordSetGroup<hash of the zone>, one A record each', () => {
    const r = expand({
      A: api({ Domain: domain('a.example.com', { Route53: { HostedZoneId: 'Z1' } }) }),
      B: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: { Domain: domain('b.example.com', { Route53: { HostedZoneId: 'Z1' } }) },
      },
    });
    expect(groups(r)).toEqual(['RecordSetGroup0cf6d58763']);
    expect(r.RecordSetGroup0cf6d58763.Properties).toEqual({
      HostedZoneId: 'Z1',
      RecordSets: [
        { Name: 'a.example.com', Type: 'A', AliasTarget: regional('ApiGatewayDomainName6c21496336') },
        { Name: 'b.example.com', Type: 'A', AliasTarget: regional('ApiGatewayDomainNameV2f96a6ec2fb') },
      ],
    });
    // Written with the attributes of the API that made it first.
    expect(r.RecordSetGroup0cf6d58763.Metadata[SAM_ORIGIN]).toEqual({ logicalId: 'A' });
  });

  test('IpV6 adds the AAAA alias; Region, SetIdentifier and EvaluateTargetHealth are passed on', () => {
    const r = expand({
      A: api({
        Domain: domain('a.example.com', {
          Route53: {
            HostedZoneName: 'example.com.',
            IpV6: true,
            Region: 'eu-west-1',
            SetIdentifier: 'eu',
            EvaluateTargetHealth: true,
          },
        }),
      }),
    });
    const target = { EvaluateTargetHealth: true, ...regional('ApiGatewayDomainName6c21496336') };
    expect(r.RecordSetGroup22b77bea9d.Properties).toEqual({
      HostedZoneName: 'example.com.',
      RecordSets: ['A', 'AAAA'].map((Type) => ({
        Name: 'a.example.com',
        Type,
        AliasTarget: target,
        Region: 'eu-west-1',
        SetIdentifier: 'eu',
      })),
    });
  });

  test('an EDGE domain aliases its distribution, a PRIVATE one the endpoint given, SeparateRecordSetGroup a group of its own', () => {
    const r = expand({
      Edge: api({
        Domain: domain('a.example.com', { EndpointConfiguration: 'EDGE', Route53: { HostedZoneId: 'Z1' } }),
      }),
      Own: api({ Domain: domain('b.example.com', { Route53: { HostedZoneId: 'Z1', SeparateRecordSetGroup: true } }) }),
      Private: api({
        EndpointConfiguration: 'PRIVATE',
        Domain: domain('p.example.com', {
          EndpointConfiguration: 'PRIVATE',
          Route53: {
            HostedZoneId: 'Z2',
            VpcEndpointDomainName: 'vpce-1.execute-api.us-east-1.vpce.amazonaws.com',
            VpcEndpointHostedZoneId: 'ZVPCE',
          },
        }),
      }),
    });
    expect(r.RecordSetGroup0cf6d58763.Properties.RecordSets).toEqual([
      {
        Name: 'a.example.com',
        Type: 'A',
        AliasTarget: {
          HostedZoneId: 'Z2FDTNDATAQYW2',
          DNSName: { 'Fn::GetAtt': ['ApiGatewayDomainName6c21496336', 'DistributionDomainName'] },
        },
      },
    ]);
    expect(r.RecordSetGroup0210d42500.Properties.RecordSets[0].Name).toBe('b.example.com');
    const privateGroup = Object.values(r).find((x: Json) => x.Properties?.HostedZoneId === 'Z2') as Json;
    expect(privateGroup.Properties.RecordSets[0].AliasTarget).toEqual({
      HostedZoneId: 'ZVPCE',
      DNSName: 'vpce-1.execute-api.us-east-1.vpce.amazonaws.com',
    });
  });

  test('what SAM refuses writes no record: no zone, an HTTP domain that is not REGIONAL', () => {
    const r = expand({
      A: api({ Domain: domain('a.example.com', { Route53: { EvaluateTargetHealth: true } }) }),
      B: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Domain: domain('b.example.com', { EndpointConfiguration: 'EDGE', Route53: { HostedZoneId: 'Z1' } }),
        },
      },
    });
    expect(groups(r)).toEqual([]);
  });

  test('each WebSocket API writes its group alone (SAM hands it no shared map): the last one of a zone is what the template holds', () => {
    const ws = (name: string) => ({
      Type: 'AWS::Serverless::WebSocketApi',
      Properties: {
        RouteSelectionExpression: '$request.body.action',
        Routes: {},
        Domain: domain(name, { Route53: { HostedZoneId: 'Z1' } }),
      },
    });
    const r = expand({ One: ws('ws1.example.com'), Two: ws('ws2.example.com') });
    expect(r.RecordSetGroup0cf6d58763.Properties.RecordSets).toEqual([
      { Name: 'ws2.example.com', Type: 'A', AliasTarget: regional('ApiGatewayDomainNameV2dc9b070abb') },
    ]);
  });
});

describe('SAM expansion: methods and auth in the body', () => {
  test('event Auth: an authorizer and an API key are two requirements of the method, as SAM writes them', () => {
    const r = expand({
      Api: api({ Auth: { Authorizers: { L: { FunctionArn: 'arn:aws:lambda:us-east-1:1:function:a' } } } }),
      Fn: fn({ E: ev({ RestApiId: { Ref: 'Api' }, Auth: { Authorizer: 'L', ApiKeyRequired: true } }) }),
    });
    const body = r.Api.Properties.Body;
    expect(body.paths['/a'].get.security).toEqual([{ L: [] }, { api_key: [] }]);
    expect(body.securityDefinitions.L['x-amazon-apigateway-authtype']).toBe('custom');
    expect(body.securityDefinitions.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
  });

  test('DefaultAuthorizer applies where the event chose nothing; Authorizer NONE opts out; the NONE marker is removed', () => {
    const r = expand({
      Api: api({ Auth: { DefaultAuthorizer: 'AWS_IAM' } }),
      Fn: fn({
        Signed: ev({ RestApiId: { Ref: 'Api' } }),
        Open: ev({ RestApiId: { Ref: 'Api' }, Path: '/b', Auth: { Authorizer: 'NONE' } }),
      }),
    });
    const paths = r.Api.Properties.Body.paths;
    expect(paths['/a'].get.security).toEqual([{ AWS_IAM: [] }]);
    expect(paths['/b'].get.security).toEqual([]);
  });

  test('an event whose Path is not a literal makes the body unknown; so does a DefinitionBody that is an intrinsic', () => {
    expect(
      expand({ Api: api(), Fn: fn({ E: ev({ RestApiId: { Ref: 'Api' }, Path: { Ref: 'P' } }) }) }).Api.Properties.Body,
    ).toEqual({ 'Fn::Sam': expect.any(String) });
    expect(
      expand({ Api: api({ DefinitionBody: { 'Fn::Transform': { Name: 'AWS::Include' } } }) }).Api.Properties.Body,
    ).toEqual({ 'Fn::Sam': expect.any(String) });
    expect(expand({ Api: api({ DefinitionUri: 's3://b/k.yaml' }) }).Api.Properties).toEqual({
      BodyS3Location: { Bucket: 'b', Key: 'k.yaml' },
    });
  });

  test('DisableExecuteApiEndpoint goes into the body: at the top for Swagger 2, under servers for OpenAPI 3', () => {
    expect(
      expand({ Api: api({ DisableExecuteApiEndpoint: true }) }).Api.Properties.Body[
        'x-amazon-apigateway-endpoint-configuration'
      ],
    ).toEqual({ disableExecuteApiEndpoint: true });
    const oas3 = expand({ Api: api({ OpenApiVersion: '3.0.1', DisableExecuteApiEndpoint: true }) }).Api.Properties.Body;
    expect([oas3.openapi, oas3.swagger, oas3.servers]).toEqual([
      '3.0.1',
      undefined,
      [{ 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } }],
    ]);
    const http = expand({ Api: { Type: 'AWS::Serverless::HttpApi', Properties: { DisableExecuteApiEndpoint: true } } })
      .Api.Properties;
    expect([http.DisableExecuteApiEndpoint, http.Body.servers]).toEqual([
      undefined,
      [{ 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } }],
    ]);
  });

  test("a state machine's Api event adds its method, with its Auth, to the API it names (or the implicit one)", () => {
    const sm = (props: Json) => ({ Type: 'AWS::Serverless::StateMachine', Properties: { Events: { E: ev(props) } } });
    const r = expand({ Api: api(), Sm: sm({ RestApiId: { Ref: 'Api' }, Auth: { ApiKeyRequired: true } }) });
    const op = r.Api.Properties.Body.paths['/a'].get;
    expect([op['x-amazon-apigateway-integration'].type, op.security]).toEqual(['aws', [{ api_key: [] }]]);
    expect(r.Sm.Type).toBe('AWS::Serverless::StateMachine');
    expect(expand({ Sm: sm({}) }).ServerlessRestApi.Type).toBe('AWS::ApiGateway::RestApi');
  });

  test('a function with a Condition: its methods are wrapped in Fn::If', () => {
    const r = expand({ Api: api(), Fn: { ...fn({ E: ev({ RestApiId: { Ref: 'Api' } }) }), Condition: 'C' } });
    expect(r.Api.Properties.Body.paths['/a'].get['Fn::If'][0]).toBe('C');
  });
});

describe('SAM expansion: Auth.ResourcePolicy, as the transform writes it', () => {
  const withPolicy = (policy: Json, events: Json = { E: ev({ RestApiId: { Ref: 'Api' } }) }) =>
    expand({ Api: api({ Auth: { ResourcePolicy: policy } }), Fn: fn(events) });
  const resource = { 'Fn::Sub': ['execute-api:/${__Stage__}/GET/a', { __Stage__: 'prod' }] };

  test.each<[string, Json, Json[]]>([
    [
      'AwsAccountWhitelist',
      { AwsAccountWhitelist: ['111122223333'] },
      [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: { AWS: ['111122223333'] } }],
    ],
    [
      'AwsAccountBlacklist',
      { AwsAccountBlacklist: ['111122223333'] },
      [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [resource], Principal: { AWS: ['111122223333'] } }],
    ],
    [
      'IpRangeWhitelist',
      { IpRangeWhitelist: ['203.0.113.0/24'] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
      ],
    ],
    [
      'IpRangeBlacklist',
      { IpRangeBlacklist: ['203.0.113.0/24'] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
      ],
    ],
    [
      'SourceVpcWhitelist with two endpoints and a VPC: one Deny whose condition lists them all',
      { SourceVpcWhitelist: ['vpce-1', 'vpce-2', 'vpc-1'] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpc': ['vpc-1'], 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } },
        },
      ],
    ],
    [
      'SourceVpcBlacklist',
      { SourceVpcBlacklist: ['vpc-1'] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { StringEquals: { 'aws:SourceVpc': ['vpc-1'] } },
        },
      ],
    ],
    [
      'IntrinsicVpcWhitelist and IntrinsicVpceWhitelist',
      { IntrinsicVpcWhitelist: [{ Ref: 'V' }], IntrinsicVpceWhitelist: [{ Ref: 'E' }] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpc': [{ Ref: 'V' }], 'aws:SourceVpce': [{ Ref: 'E' }] } },
        },
      ],
    ],
    [
      'IntrinsicVpceBlacklist',
      { IntrinsicVpceBlacklist: [{ Ref: 'E' }] },
      [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [resource], Principal: '*' },
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: [resource],
          Principal: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': [{ Ref: 'E' }] } },
        },
      ],
    ],
  ])('%s', (_, policy, statements) => {
    expect(policyOf(withPolicy(policy))).toEqual({ Version: '2012-10-17', Statement: statements });
  });

  test('a list policy on an API without methods writes no policy; CustomStatements are written anyway', () => {
    expect(policyOf(withPolicy({ SourceVpcWhitelist: ['vpce-1'] }, {}))).toBeUndefined();
    const custom = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };
    expect(policyOf(withPolicy({ CustomStatements: custom }, {}))).toEqual({
      Version: '2012-10-17',
      Statement: custom,
    });
  });

  test('one Allow and one Deny per path; an ANY method is `*`', () => {
    const doc = policyOf(
      withPolicy(
        { IpRangeWhitelist: ['203.0.113.0/24'] },
        { A: ev({ RestApiId: { Ref: 'Api' } }), B: ev({ RestApiId: { Ref: 'Api' }, Path: '/b/', Method: 'ANY' }) },
      ),
    );
    expect(doc.Statement.map((s: Json) => [s.Effect, s.Resource[0]['Fn::Sub'][0]])).toEqual([
      ['Allow', 'execute-api:/${__Stage__}/GET/a'],
      ['Deny', 'execute-api:/${__Stage__}/GET/a'],
      ['Allow', 'execute-api:/${__Stage__}/*/b'],
      ['Deny', 'execute-api:/${__Stage__}/*/b'],
    ]);
  });

  test('the Globals Api apply to the implicit API', () => {
    const r = expand(
      { Fn: fn({ E: ev({}) }) },
      { Api: { Auth: { ResourcePolicy: { AwsAccountWhitelist: '111122223333' } } } },
    );
    expect(policyOf(r, 'ServerlessRestApi').Statement[0].Resource[0]['Fn::Sub'][1]).toEqual({ __Stage__: 'Prod' });
  });

  test('hostile input never throws: a cyclic body is left as written', () => {
    const body: Json = { paths: {} };
    body.paths.self = body;
    const t = { Resources: { Api: api({ DefinitionBody: body }) } } as RawTemplate;
    expect(() => expandSam(t)).not.toThrow();
  });
});

describe('SAM expansion: AWS::Serverless::WebSocketApi, as WebSocketApiGenerator writes it', () => {
  const ws = (props: Json = {}) => ({
    Type: 'AWS::Serverless::WebSocketApi',
    Properties: {
      RouteSelectionExpression: '$request.body.action',
      Routes: { $connect: { FunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      ...props,
    },
  });
  const arn = { 'Fn::GetAtt': ['Fn', 'Arn'] };

  test('the API, a Route, Integration and Permission per route, and the stage `default`', () => {
    const r = expand({
      Chat: ws({
        Routes: {
          $connect: { FunctionArn: arn },
          $disconnect: { FunctionArn: arn },
          sendMessage: { FunctionArn: arn },
        },
        DisableExecuteApiEndpoint: true,
      }),
    });
    expect(typesOf(r)).toEqual({
      Chat: 'AWS::ApiGatewayV2::Api',
      ChatConnectIntegration: 'AWS::ApiGatewayV2::Integration',
      ChatConnectPermission: 'AWS::Lambda::Permission',
      ChatConnectRoute: 'AWS::ApiGatewayV2::Route',
      ChatDefaultStage: 'AWS::ApiGatewayV2::Stage',
      ChatDisconnectIntegration: 'AWS::ApiGatewayV2::Integration',
      ChatDisconnectPermission: 'AWS::Lambda::Permission',
      ChatDisconnectRoute: 'AWS::ApiGatewayV2::Route',
      // Python's capitalize(): sendMessage → Sendmessage.
      ChatSendmessageIntegration: 'AWS::ApiGatewayV2::Integration',
      ChatSendmessagePermission: 'AWS::Lambda::Permission',
      ChatSendmessageRoute: 'AWS::ApiGatewayV2::Route',
    });
    expect(r.Chat.Properties).toEqual({
      Name: 'Chat',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
      DisableExecuteApiEndpoint: true,
      Tags: { 'websocketapi:createdBy': 'SAM' },
    });
    expect(r.Chat.Metadata).toBeUndefined(); // the user wrote Chat
    expect(r.ChatSendmessageRoute.Properties).toEqual({
      ApiId: { Ref: 'Chat' },
      RouteKey: 'sendMessage',
      Target: { 'Fn::Join': ['/', ['integrations', { Ref: 'ChatSendmessageIntegration' }]] },
    });
    expect(r.ChatSendmessageRoute.Metadata[SAM_ORIGIN]).toEqual({ logicalId: 'Chat' });
    expect(r.ChatConnectPermission.Properties.SourceArn).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Chat.ApiId}/default/$connect',
    });
    expect(r.ChatDefaultStage.Properties).toMatchObject({
      ApiId: { Ref: 'Chat' },
      StageName: 'default',
      AutoDeploy: true,
    });
  });

  test('StageName: `<Api><StageName>Stage`, or `<Api>Stage` for an intrinsic', () => {
    expect(expand({ Chat: ws({ StageName: 'prod' }) }).ChatprodStage.Properties.StageName).toBe('prod');
    const r = expand({ Chat: ws({ StageName: { Ref: 'Stage' } }) });
    expect(r.ChatStage.Properties.StageName).toEqual({ Ref: 'Stage' });
    expect(r.ChatConnectPermission.Properties.SourceArn['Fn::Sub'][1]).toEqual({ __StageName__: { Ref: 'Stage' } });
  });

  test('Auth applies to the $connect route only: AWS_IAM, NONE, CUSTOM with its authorizer and permission', () => {
    const routes = { $connect: { FunctionArn: arn }, $default: { FunctionArn: arn } };
    const iam = expand({ Chat: ws({ Routes: routes, Auth: { AuthType: 'AWS_IAM' } }) });
    expect(iam.ChatConnectRoute.Properties.AuthorizationType).toBe('AWS_IAM');
    expect(iam.ChatDefaultRoute.Properties.AuthorizationType).toBeUndefined();
    expect(expand({ Chat: ws({ Auth: { AuthType: 'NONE' } }) }).ChatConnectRoute.Properties.AuthorizationType).toBe(
      'NONE',
    );
    const custom = expand({
      Chat: ws({
        Auth: {
          AuthType: 'CUSTOM',
          AuthArn: { 'Fn::GetAtt': ['Auth', 'Arn'] },
          IdentitySource: ['route.request.header.Auth'],
        },
      }),
    });
    expect(custom.ChatConnectRoute.Properties).toMatchObject({
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: 'ChatConnectAuthorizer' },
    });
    expect(custom.ChatConnectAuthorizer).toMatchObject({
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: { ApiId: { Ref: 'Chat' }, AuthorizerType: 'REQUEST', Name: 'ChatConnectAuthorizer' },
    });
    expect(custom.ChatAuthorizerPermission.Properties.FunctionName).toEqual({ 'Fn::GetAtt': ['Auth', 'Arn'] });
    // With an InvokeRole, API Gateway assumes the role: no permission.
    const role = expand({
      Chat: ws({ Auth: { AuthType: 'CUSTOM', AuthArn: 'arn:aws:lambda:x', InvokeRole: 'arn:aws:iam::1:role/r' } }),
    });
    expect(role.ChatConnectAuthorizer.Properties.AuthorizerCredentialsArn).toBe('arn:aws:iam::1:role/r');
    expect(role.ChatAuthorizerPermission).toBeUndefined();
  });

  test('a Domain makes ApiGatewayDomainNameV2<hash> and its API mappings on the stage', () => {
    const r = expand({
      Chat: ws({
        StageName: 'prod',
        Domain: { DomainName: 'ws.example.com', CertificateArn: 'c', BasePath: ['/v1', 'v-2'] },
      }),
    });
    // SAM: LogicalIdGenerator('', 'ws.example.com') = the first 10 hex digits of SHA-1('ws.example.com').
    expect(r.ApiGatewayDomainNameV2453c43f60a.Properties).toEqual({
      DomainName: 'ws.example.com',
      DomainNameConfigurations: [{ CertificateArn: 'c', EndpointType: 'REGIONAL' }],
    });
    expect(r.Chatv1ApiMapping.Properties).toEqual({
      DomainName: { Ref: 'ApiGatewayDomainNameV2453c43f60a' },
      ApiId: { Ref: 'Chat' },
      Stage: { Ref: 'ChatprodStage' },
      ApiMappingKey: 'v1',
    });
    expect(r.Chatv2ApiMapping.Properties.ApiMappingKey).toBe('v-2');
  });

  test('unknown: Routes that SAM resolves, a route or an Auth that is an intrinsic; a key SAM refuses is left out', () => {
    const routes = expand({ Chat: ws({ Routes: { Ref: 'Routes' } }) });
    expect(routes.ChatRoute.Properties).toEqual({
      ApiId: { Ref: 'Chat' },
      RouteKey: expect.objectContaining({ 'Fn::Sam': expect.any(String) }),
      AuthorizationType: expect.objectContaining({ 'Fn::Sam': expect.any(String) }),
      ApiKeyRequired: expect.objectContaining({ 'Fn::Sam': expect.any(String) }),
    });
    const route = expand({ Chat: ws({ Routes: { $connect: { 'Fn::If': ['C', { FunctionArn: arn }, {}] } } }) });
    expect(route.ChatConnectRoute.Properties.AuthorizationType).toHaveProperty('Fn::Sam');
    const auth = expand({ Chat: ws({ Auth: { Ref: 'Auth' } }) });
    expect(auth.ChatConnectRoute.Properties.AuthorizationType).toHaveProperty('Fn::Sam');
    const refused = expand({
      Chat: ws({ Routes: { $connect: { FunctionArn: arn }, 'send-message': { FunctionArn: arn } } }),
    });
    expect(Object.keys(refused).filter((k) => refused[k].Type === 'AWS::ApiGatewayV2::Route')).toEqual([
      'ChatConnectRoute',
    ]);
  });

  test('function events never add to a WebSocket API', () => {
    const r = expand({ Chat: ws(), Fn: fn({ E: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Chat' } } } }) });
    expect(r.Chat.Properties.Body).toBeUndefined();
    expect(r.ServerlessHttpApi).toBeUndefined();
  });
});

describe("SAM expansion: each API form's Globals section", () => {
  const load = (globals: Json, resources: Json): Json =>
    expandSam(
      parseTemplate(
        JSON.stringify({ Transform: 'AWS::Serverless-2016-10-31', Globals: globals, Resources: resources }),
      ),
    ).Resources as Json;

  test('Api, HttpApi and WebSocketApi apply to their own form only', () => {
    const r = load(
      {
        Api: { EndpointConfiguration: 'PRIVATE' },
        HttpApi: { DisableExecuteApiEndpoint: true },
        WebSocketApi: { DisableExecuteApiEndpoint: true, RouteSelectionExpression: '$request.body.action' },
      },
      {
        Rest: api(),
        Http: { Type: 'AWS::Serverless::HttpApi' },
        Ws: {
          Type: 'AWS::Serverless::WebSocketApi',
          Properties: { Routes: { $connect: { FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f' } } },
        },
      },
    );
    expect(r.Rest.Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'] });
    expect(r.Rest.Properties.Body['x-amazon-apigateway-endpoint-configuration']).toBeUndefined();
    expect(r.Http.Properties.Body.servers).toEqual([
      { 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } },
    ]);
    expect(r.Ws.Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      DisableExecuteApiEndpoint: true,
      RouteSelectionExpression: '$request.body.action',
    });
  });

  test('a WebSocketApi Domain given once under Globals maps every WebSocket API, each under its own mapping', () => {
    const r = load(
      { WebSocketApi: { Domain: { DomainName: 'ws.example.com', CertificateArn: 'c' } } },
      {
        A: {
          Type: 'AWS::Serverless::WebSocketApi',
          Properties: { RouteSelectionExpression: 'x', Routes: { $default: { FunctionArn: 'f' } } },
        },
      },
    );
    expect(r.AApiMapping.Properties).toEqual({
      DomainName: { Ref: 'ApiGatewayDomainNameV2453c43f60a' },
      ApiId: { Ref: 'A' },
      Stage: { Ref: 'ADefaultStage' },
    });
  });
});
