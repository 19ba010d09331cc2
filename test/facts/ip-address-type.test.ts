/**
 * IP address types of APIs and custom domain names (defaults, CDK props, every CloudFormation form,
 * unknown values), and the policies that admit callers only from IPv4 source addresses.
 */
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import {
  apiIpAddressType,
  deriveFacts,
  domainIpAddressType,
  ipFamily,
  ipv4OnlyPolicy,
  parsePolicy,
  Policy,
} from '../../src/facts';
import { restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/c';

function typesOf(resources: Record<string, unknown>, parameters?: Record<string, unknown>) {
  const facts = deriveFacts(templateGraph(templateStack(resources, { parameters })));
  return {
    apis: Object.fromEntries(facts.apis.map((a) => [a.resource.logicalId, apiIpAddressType(a)])),
    domains: Object.fromEntries(facts.domains.map((d) => [d.resource.logicalId, domainIpAddressType(d)])),
  };
}

const rest = (endpointConfiguration?: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGateway::RestApi',
  Properties: {
    Name: 'a',
    ...(endpointConfiguration === undefined ? {} : { EndpointConfiguration: endpointConfiguration }),
    ...extra,
  },
});

describe('the IP address type of an API', () => {
  test('CloudFormation: the explicit value, else ipv4 for EDGE and REGIONAL and dualstack for PRIVATE', () => {
    expect(
      typesOf({
        Edge: rest(),
        Regional: rest({ Types: ['REGIONAL'] }),
        Dual: rest({ Types: ['REGIONAL'], IpAddressType: 'dualstack' }),
        DualEdge: rest({ IpAddressType: 'DualStack' }),
        Ipv4: rest({ Types: ['EDGE'], IpAddressType: 'ipv4' }),
        Private: rest({ Types: ['PRIVATE'] }),
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
        HttpDual: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP', IpAddressType: 'dualstack' } },
      }).apis,
    ).toEqual({
      Edge: 'ipv4',
      Regional: 'ipv4',
      Dual: 'dualstack',
      DualEdge: 'dualstack',
      Ipv4: 'ipv4',
      Private: 'dualstack',
      Http: 'ipv4',
      HttpDual: 'dualstack',
    });
  });

  test('unknown: a parameter, an Fn::If, an odd value, an endpoint type that cannot be known', () => {
    expect(
      typesOf(
        {
          Param: rest({ Types: ['REGIONAL'], IpAddressType: { Ref: 'IpType' } }),
          If: rest({ 'Fn::If': ['C', { Types: ['REGIONAL'], IpAddressType: 'dualstack' }, { Types: ['REGIONAL'] }] }),
          Odd: rest({ Types: ['REGIONAL'], IpAddressType: 'ipv6' }),
          TypeParam: rest({ Types: [{ Ref: 'EndpointType' }] }),
          TypeParamDual: rest({ Types: [{ Ref: 'EndpointType' }], IpAddressType: 'dualstack' }),
        },
        { IpType: { Type: 'String' }, EndpointType: { Type: 'String' } },
      ).apis,
    ).toEqual({ Param: 'unknown', If: 'unknown', Odd: 'unknown', TypeParam: 'unknown', TypeParamDual: 'dualstack' });
  });

  test('CDK: endpointConfiguration.ipAddressType, and the default', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    restApi(stack, 'Dual', {
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL], ipAddressType: apigw.IpAddressType.DUAL_STACK },
    });
    restApi(stack, 'Plain', { endpointTypes: [apigw.EndpointType.REGIONAL] });
    const { facts } = factsOfApp(app);
    expect(facts.apis.map((a) => [nameOf(a.resource), apiIpAddressType(a)])).toEqual([
      ['Svc/Dual/Resource', 'dualstack'],
      ['Svc/Plain/Resource', 'ipv4'],
    ]);
  });
});

describe('the IP address type of a custom domain name', () => {
  test('CloudFormation: v1, v2 (any configuration) and private domains', () => {
    const v2 = (...configs: unknown[]) => ({
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: { DomainName: 'v2.example.com', DomainNameConfigurations: configs },
    });
    expect(
      typesOf({
        V1: { Type: 'AWS::ApiGateway::DomainName', Properties: { DomainName: 'a.example.com' } },
        V1Dual: {
          Type: 'AWS::ApiGateway::DomainName',
          Properties: {
            DomainName: 'b.example.com',
            EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: 'dualstack' },
          },
        },
        V2: v2({ CertificateArn: CERT }),
        V2Dual: v2({ CertificateArn: CERT, IpAddressType: 'dualstack' }),
        V2Second: v2({ CertificateArn: CERT }, { CertificateArn: CERT, IpAddressType: 'dualstack' }),
        V2Param: v2({ CertificateArn: CERT, IpAddressType: { Ref: 'IpType' } }),
        Private: {
          Type: 'AWS::ApiGateway::DomainNameV2',
          Properties: { DomainName: 'p.example.com', EndpointConfiguration: { Types: ['PRIVATE'] } },
        },
      }).domains,
    ).toEqual({
      V1: 'ipv4',
      V1Dual: 'dualstack',
      V2: 'ipv4',
      V2Dual: 'dualstack',
      V2Second: 'dualstack',
      V2Param: 'unknown',
      Private: 'dualstack',
    });
  });

  test('CDK: an apigatewayv2 DomainName with ipAddressType', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: ENV });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);
    new apigwv2.DomainName(stack, 'Dual', {
      domainName: 'api.example.com',
      certificate,
      ipAddressType: apigwv2.IpAddressType.DUAL_STACK,
    });
    new apigwv2.DomainName(stack, 'Plain', { domainName: 'plain.example.com', certificate });
    const { facts } = factsOfApp(app);
    expect(facts.domains.map((d) => [nameOf(d.resource), domainIpAddressType(d)])).toEqual([
      ['Svc/Dual/Resource', 'dualstack'],
      ['Svc/Plain/Resource', 'ipv4'],
    ]);
  });
});

describe('ipFamily', () => {
  test.each([
    ['203.0.113.0/24', 'ipv4'],
    ['198.51.100.7', 'ipv4'],
    ['0.0.0.0/0', 'ipv4'],
    ['2001:db8::/32', 'ipv6'],
    ['::/0', 'ipv6'],
    ['::ffff:192.0.2.0/120', 'ipv6'],
    ['256.0.0.0/8', 'unknown'],
    ['10.0.0.0/33', 'unknown'],
    ['10.0.0/8', 'unknown'],
    ['10.0.0.0/8/8', 'unknown'],
    ['*', 'unknown'],
    ['', 'unknown'],
  ])('%s is %s', (text, family) => {
    expect(ipFamily(text)).toBe(family);
  });
});

describe('ipv4OnlyPolicy', () => {
  const policy = (...statements: object[]) =>
    parsePolicy({ Version: '2012-10-17', Statement: statements } as never) as Policy;
  const allow = (condition?: object, extra: object = {}) => ({
    Effect: 'Allow',
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
    ...(condition ? { Condition: condition } : {}),
    ...extra,
  });
  const deny = (condition?: object, extra: object = {}) => ({ ...allow(condition, extra), Effect: 'Deny' });
  const kindOf = (p: Policy) => {
    const r = ipv4OnlyPolicy(p);
    return r && { kind: r.kind, ranges: r.ranges, statements: r.statements.length };
  };

  test('allow: every Allow on execute-api:Invoke needs an IPv4 aws:SourceIp (a single string, a list, IfExists)', () => {
    expect(
      kindOf(
        policy(
          allow({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
          allow(
            { IpAddressIfExists: { 'aws:sourceip': ['198.51.100.0/24', '203.0.113.0/24'] } },
            { Principal: { AWS: '*' } },
          ),
          // A statement on another action does not count.
          { Effect: 'Allow', Principal: '*', Action: 'execute-api:ManageConnections', Resource: '*' },
        ),
      ),
    ).toEqual({ kind: 'allow', ranges: ['203.0.113.0/24', '198.51.100.0/24'], statements: 2 });
  });

  test('allow: other conditions next to the IPv4 one change nothing', () => {
    expect(
      kindOf(
        policy(allow({ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] }, StringEquals: { 'aws:SourceVpce': 'vpce-1' } })),
      ),
    ).toEqual({ kind: 'allow', ranges: ['0.0.0.0/0'], statements: 1 });
  });

  test('deny: a Deny for everyone outside IPv4 ranges, even next to an open Allow (as SAM IpRangeWhitelist writes)', () => {
    expect(kindOf(policy(allow(), deny({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } })))).toEqual({
      kind: 'deny',
      ranges: ['203.0.113.0/24'],
      statements: 1,
    });
  });

  test.each<[string, Policy]>([
    [
      'an Allow lists an IPv6 range too',
      policy(allow({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } })),
    ],
    [
      'another Allow admits by other means (aws:SourceVpce)',
      policy(
        allow({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }),
        allow({ StringEquals: { 'aws:SourceVpce': 'vpce-1' } }),
      ),
    ],
    [
      'another Allow admits signed callers of an account',
      policy(
        allow({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }),
        allow(undefined, { Principal: { AWS: 'arn:aws:iam::123456789012:root' } }),
      ),
    ],
    ['an Allow without any condition', policy(allow())],
    ['an Allow on NotIpAddress', policy(allow({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }))],
    [
      'the Deny lists an IPv6 range too',
      policy(allow(), deny({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '::/0'] } })),
    ],
    [
      'the Deny has another condition',
      policy(
        allow(),
        deny({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, StringEquals: { 'aws:PrincipalAccount': '1' } }),
      ),
    ],
    [
      'the Deny names a principal, not everyone',
      policy(
        allow(),
        deny({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, { Principal: { AWS: '123456789012' } }),
      ),
    ],
    [
      'a Deny on IpAddress (a block list)',
      policy(allow(), deny({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } })),
    ],
    ['a range that is not literal', policy(allow({ IpAddress: { 'aws:SourceIp': [{ 'Fn::Sub': '${Cidr}' }] } }))],
    ['a range that is not an address', policy(allow({ IpAddress: { 'aws:SourceIp': ['office'] } }))],
    ['a set prefix', policy(allow({ 'ForAnyValue:IpAddress': { 'aws:SourceIp': ['203.0.113.0/24'] } }))],
    [
      'an unreadable statement',
      policy(allow({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }), { Effect: 'Maybe' }),
    ],
    ['no statement at all', policy()],
  ])('none when %s', (_, p) => {
    expect(ipv4OnlyPolicy(p)).toBeUndefined();
  });

  test('none for a policy that cannot be read', () => {
    expect(ipv4OnlyPolicy('unknown')).toBeUndefined();
  });
});
