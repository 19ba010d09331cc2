/**
 * The SAM expansion (graph/sam.ts): the resources, logical ids, stages, bodies and policies the SAM
 * transform writes for the resources the facts read, and what it leaves unknown.
 */
import { expandSam, SAM_ORIGIN } from '../../src/graph/sam';
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
