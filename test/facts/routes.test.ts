/**
 * Which route a request on a custom domain takes (`routeFor`): routing rules by priority, then the
 * longest base path mapping; the routing mode decides which kinds count; header conditions, unknown
 * priorities, base paths and paths leave it unknown. On stubs of the domain facts, and on CloudFormation
 * and SAM templates.
 */
import { ApiFact, DomainFact, DomainMapping, RouteChoice, deriveFacts, routeFor } from '../../src/facts';
import { RawStack } from '../../src/graph/resource-graph';
import { nameOf, templateGraph, templateStack } from '../fixtures/helpers';

describe('routeFor, on the domain facts', () => {
  const api = (name: string) => ({ resource: { key: name } }) as unknown as ApiFact;
  const [a, b, c] = [api('a'), api('b'), api('c')];
  const mapping = (basePath: string | undefined, to: ApiFact, stage = 'prod') =>
    ({
      basePath,
      api: to,
      stage,
      kind: 'mapping',
      headers: false,
      resource: { key: `m-${basePath}` },
    }) as unknown as DomainMapping;
  const rule = (key: string, basePath: string | undefined, to: ApiFact, priority?: number, headers = false) =>
    ({ basePath, api: to, kind: 'routing-rule', priority, headers, resource: { key } }) as unknown as DomainMapping;
  const domain = (routingMode: string | undefined, ...mappings: DomainMapping[]) =>
    ({
      mappings,
      mappingResources: [...new Set(mappings.map((x) => x.resource))],
      mappingsUncertain: false,
      routingMode,
    }) as unknown as DomainFact;
  const chosen = (m: DomainMapping): RouteChoice => ({ kind: 'route', route: m, api: m.api, stage: m.stage });

  test('the mapping with the longest base path that the path starts with; the root mapping matches any path', () => {
    const d = domain('mappings-only', mapping('', a), mapping('v1/b', b));
    expect(routeFor(d, ['v1', 'b', 'x'])).toEqual(chosen(d.mappings[1]));
    expect(routeFor(d, ['v1', 'b'])).toEqual(chosen(d.mappings[1]));
    expect(routeFor(d, ['v1'])).toEqual(chosen(d.mappings[0]));
    expect(routeFor(d, [])).toEqual(chosen(d.mappings[0]));
  });

  test('no mapping matches: none, with the literal beginning of the path', () => {
    expect(routeFor(domain('mappings-only', mapping('b', b)), ['c'])).toEqual({ kind: 'none', path: '/c' });
  });

  test('unknown: the path, a base path, the routing mode, or a route of the domain is not known', () => {
    expect(routeFor(domain('mappings-only', mapping('', a)), undefined)).toEqual({ kind: 'unknown' });
    expect(routeFor(domain('mappings-only', mapping(undefined, b)), ['b'])).toEqual({ kind: 'unknown' });
    expect(routeFor(domain(undefined, mapping('', a)), ['v1'])).toEqual({ kind: 'unknown' });
    const unseen = { ...domain('mappings-only', mapping('', a)), mappingsUncertain: true } as DomainFact;
    expect(routeFor(unseen, ['v1'])).toEqual({ kind: 'unknown' });
  });

  test('a path that is not literal where a base path is compared is unknown; a literal difference before it is not', () => {
    const d = domain('mappings-only', mapping('', a), mapping('v1/b', b));
    const stage = { key: 'S|Stage' } as unknown as string;
    expect(routeFor(d, ['v1', stage])).toEqual({ kind: 'unknown' });
    expect(routeFor(d, ['v2', stage])).toEqual(chosen(d.mappings[0]));
  });

  test('routing rules come before mappings, by priority, the lowest first', () => {
    const d = domain('rules-then-mappings', mapping('v1/b', b), rule('r5', 'v1', c, 5), rule('r1', 'v1', a, 1));
    expect(routeFor(d, ['v1', 'b'])).toEqual({ kind: 'route', route: d.mappings[2], api: a, stage: undefined });
    // No rule matches: the mappings decide.
    expect(routeFor(d, ['v2'])).toEqual({ kind: 'none', path: '/v2' });
    const withRoot = domain('rules-then-mappings', rule('r1', 'v1', a, 1), mapping('', b));
    expect(routeFor(withRoot, ['v2', 'x'])).toEqual(chosen(withRoot.mappings[1]));
  });

  test('a routing rule that matches the path and headers leaves the route unknown; one whose path does not match does not', () => {
    const headed = domain('rules-only', rule('r1', 'v1', a, 1, true), rule('r2', 'v1', b, 2));
    expect(routeFor(headed, ['v1'])).toEqual({ kind: 'unknown' });
    expect(routeFor(domain('rules-only', rule('r1', 'v2', a, 1, true), rule('r2', 'v1', b, 2)), ['v1'])).toEqual({
      kind: 'route',
      route: expect.objectContaining({ resource: { key: 'r2' } }),
      api: b,
      stage: undefined,
    });
  });

  test('two routing rules whose priorities are not known: unknown', () => {
    expect(routeFor(domain('rules-only', rule('r1', 'v1', a), rule('r2', 'v2', b)), ['v1'])).toEqual({
      kind: 'unknown',
    });
  });
});

describe('routeFor, on templates', () => {
  const rest = (name: string) => ({ Type: 'AWS::ApiGateway::RestApi', Properties: { Name: name } });
  const domainName = (routingMode?: string) => ({
    Type: 'AWS::ApiGateway::DomainName',
    Properties: {
      DomainName: 'api.example.com',
      RegionalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/c',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      ...(routingMode ? { RoutingMode: routingMode } : {}),
    },
  });
  const basePath = (api: string, path: string) => ({
    Type: 'AWS::ApiGateway::BasePathMapping',
    Properties: { DomainName: { Ref: 'Domain' }, RestApiId: { Ref: api }, BasePath: path, Stage: 'prod' },
  });
  const routingRule = (api: string, priority: number, conditions: unknown[]) => ({
    Type: 'AWS::ApiGatewayV2::RoutingRule',
    Properties: {
      DomainNameArn: { 'Fn::GetAtt': ['Domain', 'DomainNameArn'] },
      Priority: priority,
      Conditions: conditions,
      Actions: [{ InvokeApi: { ApiId: { Ref: api }, Stage: 'live', StripBasePath: true } }],
    },
  });
  const routeOf = (resources: Record<string, unknown>, path: string[] | undefined) => {
    const facts = deriveFacts(templateGraph(templateStack(resources)));
    const r = routeFor(facts.domains[0], path);
    return r.kind === 'route' ? { api: nameOf(r.api.resource), by: nameOf(r.route.resource), stage: r.stage } : r;
  };
  const twoApis = {
    Orders: rest('orders'),
    Billing: rest('billing'),
    Domain: domainName(),
    OrdersMapping: basePath('Orders', 'orders'),
    BillingMapping: basePath('Billing', 'billing'),
  };

  test('a domain with two APIs: the path selects the API by its base path', () => {
    expect(routeOf(twoApis, ['orders', 'x'])).toEqual({ api: 'S|Orders', by: 'S|OrdersMapping', stage: 'prod' });
    expect(routeOf(twoApis, ['billing'])).toEqual({ api: 'S|Billing', by: 'S|BillingMapping', stage: 'prod' });
    expect(routeOf(twoApis, ['other'])).toEqual({ kind: 'none', path: '/other' });
  });

  test('a routing rule of higher priority overrides the mapping of the same base path', () => {
    const resources = {
      ...twoApis,
      Domain: domainName('ROUTING_RULE_THEN_BASE_PATH_MAPPING'),
      Rule: routingRule('Billing', 10, [{ MatchBasePaths: { AnyOf: ['orders'] } }]),
    };
    expect(routeOf(resources, ['orders', 'x'])).toEqual({ api: 'S|Billing', by: 'S|Rule', stage: 'live' });
    expect(routeOf(resources, ['billing'])).toEqual({ api: 'S|Billing', by: 'S|BillingMapping', stage: 'prod' });
  });

  test('a routing rule that the routing mode ignores selects nothing (ignoredRoutes)', () => {
    const resources = { ...twoApis, Rule: routingRule('Billing', 10, [{ MatchBasePaths: { AnyOf: ['orders'] } }]) };
    const facts = deriveFacts(templateGraph(templateStack(resources)));
    expect(facts.domains[0].ignoredRoutes.map(nameOf)).toEqual(['S|Rule']);
    expect(routeOf(resources, ['orders'])).toEqual({ api: 'S|Orders', by: 'S|OrdersMapping', stage: 'prod' });
  });

  test('a header-conditioned routing rule that matches the path: unknown', () => {
    const resources = {
      ...twoApis,
      Domain: domainName('ROUTING_RULE_THEN_BASE_PATH_MAPPING'),
      Rule: routingRule('Billing', 10, [
        { MatchBasePaths: { AnyOf: ['orders'] } },
        { MatchHeaders: { AnyOf: [{ Header: 'x-version', ValueGlob: 'beta' }] } },
      ]),
    };
    expect(routeOf(resources, ['orders'])).toEqual({ kind: 'unknown' });
    expect(routeOf(resources, ['billing'])).toEqual({ api: 'S|Billing', by: 'S|BillingMapping', stage: 'prod' });
  });

  test('SAM: the base paths of an API’s Domain are its mappings', () => {
    const stack: RawStack = {
      key: 'S',
      region: 'us-east-1',
      template: {
        Resources: {
          Orders: {
            Type: 'AWS::Serverless::Api',
            Properties: {
              StageName: 'prod',
              EndpointConfiguration: 'REGIONAL',
              Domain: {
                DomainName: 'api.example.com',
                CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/c',
                EndpointConfiguration: 'REGIONAL',
                BasePath: ['/orders', '/admin'],
              },
            },
          },
        },
      },
    };
    const facts = deriveFacts(templateGraph(stack));
    const r = routeFor(facts.domains[0], ['admin', 'users']);
    expect(r.kind === 'route' ? [nameOf(r.api.resource), r.route.basePath] : r).toEqual(['S|Orders', 'admin']);
    expect(routeFor(facts.domains[0], ['pets'])).toEqual({ kind: 'none', path: '/pets' });
  });
});
