/**
 * Custom domain names and what they map (`facts.domains`, `facts.mappedApis`): base path mappings,
 * API mappings, BasePathMappingV2, SAM's `Domain`, mappings the app cannot tie down, stage names,
 * and the access associations of private domains.
 */
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DomainFact, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { ResRef } from '../../src/graph/values';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/c';

function domain(d: DomainFact) {
  return {
    domain: nameOf(d.resource),
    name: d.name,
    version: d.version,
    endpointType: d.endpointType,
    region: d.region,
    apis: d.apis.map((a) => nameOf(a.resource)),
    mappings: d.mappings.map((m) => ({
      mapping: nameOf(m.resource),
      api: nameOf(m.api.resource),
      basePath: m.basePath,
      stage: m.stage,
    })),
    mappingResources: d.mappingResources.map(nameOf),
    mappingsUncertain: d.mappingsUncertain,
  };
}

function domainsOf(graph: ResourceGraph) {
  return deriveFacts(graph).domains.map(domain);
}

function mappedOf(graph: ResourceGraph) {
  const m = deriveFacts(graph).mappedApis;
  return { keys: [...m.keys].sort(), uncertain: m.uncertain };
}

describe('CDK domains', () => {
  test('a v1 regional domain with two base path mappings: base paths, stages and the APIs they map', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const orders = new apigw.RestApi(stack, 'Orders', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    orders.root.addMethod('GET');
    const pets = new apigw.RestApi(stack, 'Pets', { deployOptions: { stageName: 'live' } });
    pets.root.addMethod('GET');
    const d = new apigw.DomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    d.addBasePathMapping(orders, { basePath: 'orders' });
    d.addBasePathMapping(pets);
    const { graph, facts } = factsOfApp(app);
    const mappingPaths = graph.ofType('AWS::ApiGateway::BasePathMapping').map(nameOf);
    expect(mappingPaths).toEqual([
      'Svc/Domain/Map:--=>SvcPets271AD4C6/Resource',
      'Svc/Domain/Map:orders=>SvcOrders7F5235E8/Resource',
    ]);
    expect(facts.domains.map(domain)).toEqual([
      {
        domain: 'Svc/Domain/Resource',
        name: 'api.example.com',
        version: 'v1',
        endpointType: 'REGIONAL',
        region: 'eu-west-1',
        apis: ['Svc/Pets/Resource', 'Svc/Orders/Resource'],
        mappings: [
          { mapping: mappingPaths[0], api: 'Svc/Pets/Resource', basePath: '', stage: 'live' },
          { mapping: mappingPaths[1], api: 'Svc/Orders/Resource', basePath: 'orders', stage: 'prod' },
        ],
        mappingResources: mappingPaths,
        mappingsUncertain: false,
      },
    ]);
    expect(mappedOf(graph)).toEqual({
      keys: [graph.byConstructPath('Svc/Orders/Resource')!.key, graph.byConstructPath('Svc/Pets/Resource')!.key].sort(),
      uncertain: false,
    });
  });

  test("CDK's DomainName is REGIONAL unless told otherwise; an environment-agnostic stack has no region", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    new apigw.DomainName(stack, 'Edge', {
      domainName: 'edge.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
    });
    expect(factsOfApp(app).facts.domains.map(domain)).toEqual([
      expect.objectContaining({
        domain: 'Svc/Edge/Resource',
        version: 'v1',
        endpointType: 'REGIONAL',
        region: undefined,
        apis: [],
        mappingResources: [],
      }),
    ]);
  });

  test('a v2 domain with an API mapping of an HTTP API on its $default stage', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const api = new apigwv2.HttpApi(stack, 'Http');
    const d = new apigwv2.DomainName(stack, 'Domain', {
      domainName: 'http.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
    });
    new apigwv2.ApiMapping(stack, 'Mapping', { api, domainName: d, apiMappingKey: 'v2' });
    expect(factsOfApp(app).facts.domains.map(domain)).toEqual([
      {
        domain: 'Svc/Domain/Resource',
        name: 'http.example.com',
        version: 'v2',
        endpointType: 'REGIONAL',
        region: 'eu-west-1',
        apis: ['Svc/Http/Resource'],
        mappings: [{ mapping: 'Svc/Mapping/Resource', api: 'Svc/Http/Resource', basePath: 'v2', stage: '$default' }],
        mappingResources: ['Svc/Mapping/Resource'],
        mappingsUncertain: false,
      },
    ]);
  });

  test('a private domain (DomainNameV2) with a BasePathMappingV2 and an access association of an endpoint', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      natGateways: 0,
      subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const endpoint = vpc.addInterfaceEndpoint('Endpoint', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
    const api = new apigw.RestApi(stack, 'Api', { endpointTypes: [apigw.EndpointType.PRIVATE] });
    api.root.addMethod('GET');
    const d = new apigw.CfnDomainNameV2(stack, 'Private', {
      domainName: 'private.example.com',
      certificateArn: CERT,
      endpointConfiguration: { types: ['PRIVATE'] },
    });
    new apigw.CfnBasePathMappingV2(stack, 'Map', {
      domainNameArn: d.attrDomainNameArn,
      restApiId: api.restApiId,
      stage: api.deploymentStage.stageName,
    });
    new apigw.CfnDomainNameAccessAssociation(stack, 'Access', {
      domainNameArn: d.attrDomainNameArn,
      accessAssociationSource: endpoint.vpcEndpointId,
      accessAssociationSourceType: 'VPCE',
    });
    const { graph, facts } = factsOfApp(app);
    expect(facts.domains.map(domain)).toEqual([
      {
        domain: 'Svc/Private',
        name: 'private.example.com',
        version: 'private',
        endpointType: 'PRIVATE',
        region: 'eu-west-1',
        apis: ['Svc/Api/Resource'],
        mappings: [{ mapping: 'Svc/Map', api: 'Svc/Api/Resource', basePath: '', stage: 'prod' }],
        mappingResources: ['Svc/Map'],
        mappingsUncertain: false,
      },
    ]);
    const endpointKey = graph.byConstructPath('Svc/Vpc/Endpoint/Resource')!.key;
    expect(facts.domains[0].accessAssociations).toEqual([new ResRef(endpointKey)]);
    expect(facts.domains[0].accessAssociationsUncertain).toBe(false);
  });
});

describe('mappings in templates', () => {
  const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } };
  const v1 = (name: unknown = 'api.example.com') => ({
    Type: 'AWS::ApiGateway::DomainName',
    Properties: { DomainName: name, RegionalCertificateArn: CERT, EndpointConfiguration: { Types: ['REGIONAL'] } },
  });
  const bpm = (props: Record<string, unknown>) => ({
    Type: 'AWS::ApiGateway::BasePathMapping',
    Properties: { DomainName: { Ref: 'Domain' }, RestApiId: { Ref: 'Api' }, ...props },
  });
  const graph = (resources: Record<string, unknown>) =>
    templateGraph(templateStack(resources, { parameters: { P: { Type: 'String' }, Other: { Type: 'String' } } }));

  test.each<[string, Record<string, unknown>, string | undefined, string | undefined]>([
    ['no base path: the root', {}, '', undefined],
    ["'(none)': the root", { BasePath: '(none)' }, '', undefined],
    ['slashes around the path are dropped', { BasePath: '/v1/' }, 'v1', undefined],
    ['a base path that is a parameter is unknown', { BasePath: { Ref: 'P' } }, undefined, undefined],
    ['a literal stage', { BasePath: 'v1', Stage: 'prod' }, 'v1', 'prod'],
    ['a Stage resource: its StageName', { Stage: { Ref: 'Live' } }, '', 'live'],
    ['a stage that is a parameter is unknown', { Stage: { Ref: 'P' } }, '', undefined],
  ])('a base path mapping: %s', (_, props, basePath, stage) => {
    const g = graph({
      Api: api,
      Live: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'live' } },
      Domain: v1(),
      Map: bpm(props),
    });
    expect(domainsOf(g)[0].mappings).toEqual([{ mapping: 'S|Map', api: 'S|Api', basePath, stage }]);
  });

  test('a mapping that names the domain by its literal name (any case, trailing dot) maps it', () => {
    const g = graph({ Api: api, Domain: v1('Api.Example.com.'), Map: bpm({ DomainName: 'api.example.COM' }) });
    expect(domainsOf(g)).toEqual([
      expect.objectContaining({
        domain: 'S|Domain',
        name: 'api.example.com',
        apis: ['S|Api'],
        mappingResources: ['S|Map'],
      }),
    ]);
  });

  test('a mapping whose domain is a parameter may map any domain: every domain is uncertain', () => {
    const g = graph({ Api: api, Domain: v1(), Map: bpm({ DomainName: { Ref: 'P' } }) });
    expect(domainsOf(g)).toEqual([
      expect.objectContaining({
        domain: 'S|Domain',
        apis: [],
        mappings: [],
        mappingResources: [],
        mappingsUncertain: true,
      }),
    ]);
    // The API is still mapped by some domain.
    expect(mappedOf(g)).toEqual({ keys: ['S|Api'], uncertain: false });
  });

  test('a mapping of an API the app cannot tie down: the domain lists the mapping resource, mapped APIs are uncertain', () => {
    const g = graph({ Api: api, Domain: v1(), Map: bpm({ RestApiId: { Ref: 'Other' } }) });
    expect(domainsOf(g)).toEqual([
      expect.objectContaining({
        domain: 'S|Domain',
        apis: [],
        mappings: [],
        mappingResources: ['S|Map'],
        mappingsUncertain: false,
      }),
    ]);
    expect(mappedOf(g)).toEqual({ keys: [], uncertain: true });
  });

  test('a mapping of a domain the app does not define (a literal name) still marks the API mapped', () => {
    const g = graph({ Api: api, Map: bpm({ DomainName: 'elsewhere.example.com' }) });
    expect(domainsOf(g)).toEqual([]);
    expect(mappedOf(g)).toEqual({ keys: ['S|Api'], uncertain: false });
  });

  test('an ApiMapping of a WebSocket API on a v2 domain, with a Stage resource', () => {
    const g = graph({
      Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'ws', ProtocolType: 'WEBSOCKET' } },
      Prod: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Ws' }, StageName: 'prod' } },
      Domain: { Type: 'AWS::ApiGatewayV2::DomainName', Properties: { DomainName: 'ws.example.com' } },
      Map: {
        Type: 'AWS::ApiGatewayV2::ApiMapping',
        Properties: { DomainName: { Ref: 'Domain' }, ApiId: { Ref: 'Ws' }, Stage: { Ref: 'Prod' } },
      },
    });
    expect(domainsOf(g)).toEqual([
      {
        domain: 'S|Domain',
        name: 'ws.example.com',
        version: 'v2',
        endpointType: 'REGIONAL',
        region: 'us-east-1',
        apis: ['S|Ws'],
        mappings: [{ mapping: 'S|Map', api: 'S|Ws', basePath: '', stage: 'prod' }],
        mappingResources: ['S|Map'],
        mappingsUncertain: false,
      },
    ]);
  });

  test('a v1 domain with no endpoint configuration is EDGE; with two types, or a parameter, its type is unknown', () => {
    const g = graph({
      Edge: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'e.example.com' } },
      Two: {
        Type: 'AWS::ApiGateway::DomainName',
        Properties: { DomainName: 'a.example.com', EndpointConfiguration: { Types: ['EDGE', 'REGIONAL'] } },
      },
      Param: {
        Type: 'AWS::ApiGateway::DomainName',
        Properties: { DomainName: { Ref: 'P' }, EndpointConfiguration: { Types: [{ Ref: 'P' }] } },
      },
    });
    expect(domainsOf(g).map((d) => [d.domain, d.name, d.endpointType])).toEqual([
      ['S|Edge', 'e.example.com', 'EDGE'],
      ['S|Param', undefined, undefined],
      ['S|Two', 'a.example.com', undefined],
    ]);
  });

  test('mutual TLS and a private domain policy are read', () => {
    const g = graph({
      Mtls: {
        Type: 'AWS::ApiGateway::DomainName',
        Properties: { DomainName: 'm.example.com', MutualTlsAuthentication: { TruststoreUri: 's3://b/k' } },
      },
      Private: {
        Type: 'AWS::ApiGateway::DomainNameV2',
        Properties: {
          DomainName: 'p.example.com',
          Policy: {
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
          },
        },
      },
    });
    const [mtls, priv] = deriveFacts(g).domains;
    expect([mtls.mtls, mtls.policy]).toEqual([true, undefined]);
    expect(priv.mtls).toBe(false);
    expect(priv.policy).toEqual([expect.objectContaining({ effect: 'Allow' })]);
  });
});

describe("SAM's Domain", () => {
  test('a SAM API with a Domain gets the domain and mapping the transform makes; without one it is not mapped', () => {
    const g = templateGraph(
      templateStack({
        WithDomain: {
          Type: 'AWS::Serverless::Api',
          Properties: { StageName: 'prod', Domain: { DomainName: 'sam.example.com', CertificateArn: CERT } },
        },
        Plain: { Type: 'AWS::Serverless::Api', Properties: { StageName: 'prod' } },
        Http: {
          Type: 'AWS::Serverless::HttpApi',
          Properties: { Domain: { DomainName: 'h.example.com', CertificateArn: CERT } },
        },
      }),
    );
    // SAM's logical ids: ApiGateway(V2)DomainName + the first 10 hex digits of the name's SHA-1.
    expect(domainsOf(g).map((d) => [d.domain, d.name, d.version, d.mappings])).toEqual([
      [
        'S|ApiGatewayDomainName994fa1763a',
        'sam.example.com',
        'v1',
        [{ mapping: 'S|WithDomainBasePathMapping', api: 'S|WithDomain', basePath: '', stage: 'prod' }],
      ],
      [
        expect.stringMatching(/^S\|ApiGatewayDomainNameV2[0-9a-f]{10}$/),
        'h.example.com',
        'v2',
        [{ mapping: 'S|HttpApiMapping', api: 'S|Http', basePath: '', stage: '$default' }],
      ],
    ]);
    expect(mappedOf(g)).toEqual({ keys: ['S|Http', 'S|WithDomain'], uncertain: false });
  });
});

describe('routing rules and routing modes', () => {
  const api = {
    Type: 'AWS::ApiGateway::RestApi',
    Properties: { Name: 'a', EndpointConfiguration: { Types: ['REGIONAL'] } },
  };
  const v1 = (props: Record<string, unknown> = {}) => ({
    Type: 'AWS::ApiGateway::DomainName',
    Properties: {
      DomainName: 'api.example.com',
      RegionalCertificateArn: CERT,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      ...props,
    },
  });
  const rule = (props: Record<string, unknown> = {}) => ({
    Type: 'AWS::ApiGatewayV2::RoutingRule',
    Properties: {
      DomainNameArn: { 'Fn::GetAtt': ['Domain', 'DomainNameArn'] },
      Priority: 10,
      Conditions: [{ MatchBasePaths: { AnyOf: ['orders', '/v2/orders/'] } }],
      Actions: [{ InvokeApi: { ApiId: { Ref: 'Api' }, Stage: 'prod', StripBasePath: true } }],
      ...props,
    },
  });
  const bpm = {
    Type: 'AWS::ApiGateway::BasePathMapping',
    Properties: { DomainName: { Ref: 'Domain' }, RestApiId: { Ref: 'Api' } },
  };
  const graph = (resources: Record<string, unknown>) =>
    templateGraph(templateStack(resources, { parameters: { P: { Type: 'String' } } }));
  const routes = (g: ResourceGraph) =>
    deriveFacts(g).domains.map((d) => ({
      mode: d.routingMode,
      apis: d.apis.map((a) => nameOf(a.resource)),
      routes: d.mappings.map((m) => [
        nameOf(m.resource),
        m.kind,
        m.basePath,
        m.stage,
        m.priority,
        m.headers,
        m.stripBasePath,
      ]),
      mappingResources: d.mappingResources.map(nameOf),
      ignored: d.ignoredRoutes.map(nameOf),
    }));

  test('a routing rule under ROUTING_RULE_ONLY: one route per base path, with its stage, priority and StripBasePath', () => {
    const g = graph({ Api: api, Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }), Rule: rule(), Map: bpm });
    expect(routes(g)).toEqual([
      {
        mode: 'rules-only',
        apis: ['S|Api'],
        routes: [
          ['S|Rule', 'routing-rule', 'orders', 'prod', 10, false, true],
          ['S|Rule', 'routing-rule', 'v2/orders', 'prod', 10, false, true],
        ],
        mappingResources: ['S|Rule'],
        // ROUTING_RULE_ONLY ignores the base path mapping.
        ignored: ['S|Map'],
      },
    ]);
    expect(mappedOf(g)).toEqual({ keys: ['S|Api'], uncertain: false });
  });

  test('without a routing mode (the default: mappings only) a routing rule is ignored and does not map its API', () => {
    const g = graph({ Api: api, Domain: v1(), Rule: rule() });
    expect(routes(g)).toEqual([
      { mode: 'mappings-only', apis: [], routes: [], mappingResources: [], ignored: ['S|Rule'] },
    ]);
    expect(mappedOf(g)).toEqual({ keys: [], uncertain: false });
  });

  test.each([
    ['ROUTING_RULE_THEN_BASE_PATH_MAPPING', 'rules-then-mappings'],
    ['ROUTING_RULE_THEN_API_MAPPING', 'rules-then-mappings'],
    ['routing_rule_only', 'rules-only'],
    ['API_MAPPING_ONLY', 'mappings-only'],
    ['BASE_PATH_MAPPING_ONLY', 'mappings-only'],
    ['NO_SUCH_MODE', undefined],
    [{ Ref: 'P' }, undefined],
  ])('routing mode %j is %s', (mode, expected) => {
    const g = graph({ Api: api, Domain: v1({ RoutingMode: mode }), Rule: rule(), Map: bpm });
    const [d] = routes(g);
    expect(d.mode).toBe(expected);
    // A mode that uses both kinds, or an unknown one, keeps both routes.
    if (expected === undefined || expected === 'rules-then-mappings') {
      expect(d.mappingResources).toEqual(['S|Map', 'S|Rule']);
      expect(d.ignored).toEqual([]);
    }
  });

  test('header conditions, a rule without base paths, a default StripBasePath and values the app cannot read', () => {
    const g = graph({
      Api: api,
      Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }),
      Headers: rule({
        Priority: 1,
        Conditions: [{ MatchHeaders: { AnyOf: [{ Header: 'x-version', ValueGlob: 'beta*' }] } }],
        Actions: [{ InvokeApi: { ApiId: { Ref: 'Api' }, Stage: 'beta' } }],
      }),
      Opaque: rule({
        Priority: { Ref: 'P' },
        Conditions: { Ref: 'P' },
        Actions: [{ InvokeApi: { ApiId: { Ref: 'Api' }, Stage: { Ref: 'P' }, StripBasePath: { Ref: 'P' } } }],
      }),
    });
    expect(routes(g)[0].routes).toEqual([
      ['S|Headers', 'routing-rule', '', 'beta', 1, true, false],
      ['S|Opaque', 'routing-rule', undefined, undefined, undefined, true, undefined],
    ]);
  });

  test('a rule names its domain by a literal ARN (also a private domain id), or by a value the app cannot tie down', () => {
    const byArn = graph({
      Api: api,
      Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }),
      Rule: rule({ DomainNameArn: 'arn:aws:apigateway:eu-west-1::/domainnames/API.example.com' }),
    });
    expect(routes(byArn)[0].mappingResources).toEqual(['S|Rule']);
    const byPrivateArn = graph({
      Api: api,
      Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }),
      Rule: rule({ DomainNameArn: 'arn:aws:apigateway:eu-west-1:123456789012:/domainnames/api.example.com+abc123' }),
    });
    expect(routes(byPrivateArn)[0].mappingResources).toEqual(['S|Rule']);
    const opaque = graph({
      Api: api,
      Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }),
      Rule: rule({ DomainNameArn: { Ref: 'P' } }),
    });
    expect(deriveFacts(opaque).domains[0].mappingsUncertain).toBe(true);
    // A rule of an API the app cannot tie down: the domain has a route, the mapped APIs are uncertain.
    const otherApi = graph({
      Api: api,
      Domain: v1({ RoutingMode: 'ROUTING_RULE_ONLY' }),
      Rule: rule({ Actions: [{ InvokeApi: { ApiId: { Ref: 'P' }, Stage: 'prod' } }] }),
    });
    expect(routes(otherApi)[0]).toEqual(expect.objectContaining({ apis: [], mappingResources: ['S|Rule'] }));
    expect(mappedOf(otherApi).uncertain).toBe(true);
  });
});

describe('access associations in templates', () => {
  const privateDomain = { Type: 'AWS::ApiGateway::DomainNameV2', Properties: { DomainName: 'p.example.com' } };
  const assoc = (props: Record<string, unknown>) => ({
    Type: 'AWS::ApiGateway::DomainNameAccessAssociation',
    Properties: {
      DomainNameArn: { 'Fn::GetAtt': ['Domain', 'DomainNameArn'] },
      AccessAssociationSource: 'vpce-0123',
      AccessAssociationSourceType: 'VPCE',
      ...props,
    },
  });
  const facts = (resources: Record<string, unknown>) => deriveFacts(templateGraph(templateStack(resources))).domains;

  test('an association of the domain with a literal endpoint id', () => {
    expect(
      facts({ Domain: privateDomain, Access: assoc({}) }).map((d) => [
        d.accessAssociations,
        d.accessAssociationsUncertain,
      ]),
    ).toEqual([[['vpce-0123'], false]]);
  });

  test('an association whose domain ARN is a literal may be any domain of the app: uncertain', () => {
    const out = facts({
      Domain: privateDomain,
      Access: assoc({ DomainNameArn: 'arn:aws:apigateway:us-east-1:123456789012:/domainnames/p.example.com+abc' }),
    });
    expect(out.map((d) => [d.accessAssociations, d.accessAssociationsUncertain])).toEqual([[[], true]]);
  });

  test('an association of another domain of the app leaves this one without association, and certain', () => {
    const out = facts({
      Domain: privateDomain,
      Other: { ...privateDomain, Properties: { DomainName: 'q.example.com' } },
      Access: assoc({ DomainNameArn: { 'Fn::GetAtt': ['Other', 'DomainNameArn'] } }),
    });
    expect(out.map((d) => [nameOf(d.resource), d.accessAssociations, d.accessAssociationsUncertain])).toEqual([
      ['S|Domain', [], false],
      ['S|Other', ['vpce-0123'], false],
    ]);
  });
});
