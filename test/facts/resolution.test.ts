/**
 * Where a name resolves inside a VPC (`facts.resolution`): each path — the VPC's own endpoint, a
 * Route 53 Profile, a private hosted zone, a Resolver forwarding rule, split horizon — with its near
 * misses (private DNS off, another region, another VPC, another domain) and what the app cannot show.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import {
  DnsName,
  Resolution,
  ResolutionStep,
  apiHostname,
  defaultHostname,
  deriveFacts,
  literalName,
  Facts,
  EndpointIndex,
  ResolutionIndex,
  VpcIndex,
  readExecuteApiEndpoints,
} from '../../src/facts';
import { ResourceGraph, ResourceNode } from '../../src/graph/resource-graph';
import { privateRestApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, graphFromAssembly, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const REGION = 'us-east-1';
const PUBLIC_HOST = defaultHostname('pub1234567', REGION);
const PRIVATE_HOST = defaultHostname('priv123456', REGION);

/** A step as a short tuple: what answers, and through which Profile. */
function step(s: ResolutionStep): string {
  const profile = s.profile ? ` via ${nameOf(s.profile.profile)}` : '';
  switch (s.kind) {
    case 'private-dns':
      return `private-dns ${nameOf(s.endpoint.resource)}${profile}`;
    case 'zone':
      return `zone ${nameOf(s.zone.resource)}${s.record ? ` record ${nameOf(s.record.resource)}` : ' no record'}${profile}`;
    case 'resolver-rule':
      return `rule ${nameOf(s.rule)} (${s.domain})${profile}`;
  }
}

function shape(r: Resolution): { kind: Resolution['kind']; endpoint?: string; steps?: string[] } {
  if (r.kind === 'unknown') return { kind: 'unknown' };
  return {
    kind: r.kind,
    ...(r.kind === 'endpoint' ? { endpoint: r.endpoint.name } : {}),
    steps: r.steps.map(step),
  };
}

/** Where `name` resolves in the VPC `vpc` (a logical id of stack S, or a literal `vpc-…` id). */
function resolve(facts: Facts, vpc: string, name: DnsName) {
  const ref = vpc.startsWith('vpc-')
    ? { id: `lit:${vpc}`, name: vpc, inApp: false }
    : { id: `res:S|${vpc}`, name: vpc, inApp: true };
  return shape(facts.resolution.resolve(ref, name));
}

const vpc = () => ({ Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } });
const endpoint = (vpcId: string, props: Record<string, unknown> = {}) => ({
  Type: 'AWS::EC2::VPCEndpoint',
  Properties: {
    VpcId: { Ref: vpcId },
    VpcEndpointType: 'Interface',
    ServiceName: `com.amazonaws.${REGION}.execute-api`,
    ...props,
  },
});
/** CDK's alias to an interface endpoint: the DNS name of its first DNS entry. */
const endpointDns = (id: string) => ({
  'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [id, 'DnsEntries'] }] }] }],
});
const endpointZoneId = (id: string) => ({
  'Fn::Select': [0, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [id, 'DnsEntries'] }] }] }],
});
const zone = (name: unknown, ...vpcs: string[]) => ({
  Type: 'AWS::Route53::HostedZone',
  Properties: { Name: name, VPCs: vpcs.map((v) => ({ VPCId: { Ref: v }, VPCRegion: REGION })) },
});
const aliasToEndpoint = (zoneId: string, name: unknown, endpointId: string) => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: {
    HostedZoneId: { Ref: zoneId },
    Name: name,
    Type: 'A',
    AliasTarget: { DNSName: endpointDns(endpointId), HostedZoneId: endpointZoneId(endpointId) },
  },
});
/** An A record for www.example.com in the zone that `where` names (`HostedZoneId` or `HostedZoneName`). */
const wwwRecord = (where: Record<string, unknown>) => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: { ...where, Name: 'www.example.com', Type: 'A', ResourceRecords: ['10.0.0.8'], TTL: '60' },
});
const profile = () => ({ Type: 'AWS::Route53Profiles::Profile', Properties: { Name: 'shared-dns' } });
const profileAssociation = (profileId: unknown, vpcId: string) => ({
  Type: 'AWS::Route53Profiles::ProfileAssociation',
  Properties: { Name: 'spoke', ProfileId: profileId, ResourceId: { Ref: vpcId } },
});
const profileResource = (profileId: string, arn: unknown) => ({
  Type: 'AWS::Route53Profiles::ProfileResourceAssociation',
  Properties: { Name: 'carried', ProfileId: { 'Fn::GetAtt': [profileId, 'Id'] }, ResourceArn: arn },
});
const endpointArn = (id: string) => ({
  'Fn::Sub': [`arn:aws:ec2:${REGION}:123456789012:vpc-endpoint/\${E}`, { E: { Ref: id } }],
});
const zoneArn = (id: string) => ({ 'Fn::Join': ['', ['arn:aws:route53:::hostedzone/', { Ref: id }]] });
const rule = (domain: unknown, type = 'FORWARD') => ({
  Type: 'AWS::Route53Resolver::ResolverRule',
  Properties: { DomainName: domain, RuleType: type, TargetIps: [{ Ip: '10.9.0.2' }] },
});
const ruleAssociation = (ruleId: string, vpcId: string) => ({
  Type: 'AWS::Route53Resolver::ResolverRuleAssociation',
  Properties: { ResolverRuleId: { 'Fn::GetAtt': [ruleId, 'ResolverRuleId'] }, VPCId: { Ref: vpcId } },
});

const factsOf = (resources: Record<string, unknown>, region: string | null = REGION) =>
  deriveFacts(
    templateGraph(
      templateStack(resources, {
        region: region ?? undefined,
        parameters: { P: { Type: 'String' }, Dns: { Type: 'String' } },
        conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
      }),
    ),
  );

describe("the VPC's own endpoint", () => {
  test('private DNS on: every execute-api name of its region resolves to it', () => {
    const facts = factsOf({ Vpc: vpc(), Endpoint: endpoint('Vpc', { PrivateDnsEnabled: true }) });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST)).toEqual({
      kind: 'endpoint',
      endpoint: 'S/Endpoint',
      steps: ['private-dns S|Endpoint'],
    });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["private DNS off (CloudFormation's default)", {}, 'public'],
    ['private DNS off, explicitly', { PrivateDnsEnabled: false }, 'public'],
    ['private DNS a parameter', { PrivateDnsEnabled: { Ref: 'Dns' } }, 'unknown'],
  ])('%s', (_, props, kind) => {
    const facts = factsOf({ Vpc: vpc(), Endpoint: endpoint('Vpc', props) });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe(kind);
  });

  test('a conditional endpoint with private DNS on leaves the name unknown', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Endpoint: { ...endpoint('Vpc', { PrivateDnsEnabled: true }), Condition: 'C' },
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('unknown');
  });

  test('names of another region, custom domain names and other VPCs stay public', () => {
    const facts = factsOf({ Vpc: vpc(), Other: vpc(), Endpoint: endpoint('Vpc', { PrivateDnsEnabled: true }) });
    expect(resolve(facts, 'Vpc', defaultHostname('pub1234567', 'eu-west-1')).kind).toBe('public');
    expect(resolve(facts, 'Vpc', literalName('api.example.com')).kind).toBe('public');
    expect(resolve(facts, 'Other', PUBLIC_HOST).kind).toBe('public');
  });

  test('ServiceRegion decides the region a cross-region endpoint covers', () => {
    const cross = factsOf({
      Vpc: vpc(),
      Endpoint: endpoint('Vpc', {
        PrivateDnsEnabled: true,
        ServiceName: 'com.amazonaws.eu-west-1.execute-api',
        ServiceRegion: 'eu-west-1',
      }),
    });
    expect(resolve(cross, 'Vpc', defaultHostname('pub1234567', 'eu-west-1')).kind).toBe('endpoint');
    expect(resolve(cross, 'Vpc', PUBLIC_HOST).kind).toBe('public');
    const unknown = factsOf({
      Vpc: vpc(),
      Endpoint: endpoint('Vpc', { PrivateDnsEnabled: true, ServiceRegion: { Ref: 'P' } }),
    });
    expect(resolve(unknown, 'Vpc', PUBLIC_HOST).kind).toBe('unknown');
  });

  test('the region of an environment-agnostic stack matches any region', () => {
    const facts = factsOf(
      {
        Vpc: vpc(),
        Endpoint: endpoint('Vpc', {
          PrivateDnsEnabled: true,
          ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' },
        }),
      },
      null,
    );
    expect(resolve(facts, 'Vpc', defaultHostname('pub1234567', 'ap-south-1')).kind).toBe('endpoint');
  });
});

describe('a Route 53 Profile', () => {
  const hub = (props: Record<string, unknown> = { PrivateDnsEnabled: true }) => ({
    Hub: vpc(),
    Spoke: vpc(),
    Other: vpc(),
    HubEndpoint: endpoint('Hub', props),
    Profile: profile(),
    Carried: profileResource('Profile', endpointArn('HubEndpoint')),
  });

  test("carrying another VPC's endpoint with private DNS on: the spoke's execute-api names resolve to it", () => {
    const facts = factsOf({ ...hub(), Association: profileAssociation({ 'Fn::GetAtt': ['Profile', 'Id'] }, 'Spoke') });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST)).toEqual({
      kind: 'endpoint',
      endpoint: 'S/HubEndpoint',
      steps: ['private-dns S|HubEndpoint via S|Profile'],
    });
  });

  test('stays public in a VPC the Profile is not associated with', () => {
    const facts = factsOf({ ...hub(), Association: profileAssociation({ 'Fn::GetAtt': ['Profile', 'Id'] }, 'Spoke') });
    expect(resolve(facts, 'Other', PUBLIC_HOST).kind).toBe('public');
  });

  test('carrying an endpoint with private DNS off: nothing to share, the names stay public', () => {
    const facts = factsOf({
      ...hub({ PrivateDnsEnabled: false }),
      Association: profileAssociation({ 'Fn::GetAtt': ['Profile', 'Id'] }, 'Spoke'),
    });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('public');
  });

  test('carrying a private hosted zone: its records answer in every associated VPC', () => {
    const facts = factsOf({
      ...hub({}),
      Zone: zone(`priv123456.execute-api.${REGION}.amazonaws.com`, 'Hub'),
      Alias: aliasToEndpoint('Zone', `priv123456.execute-api.${REGION}.amazonaws.com.`, 'HubEndpoint'),
      CarriedZone: profileResource('Profile', zoneArn('Zone')),
      Association: profileAssociation({ 'Fn::GetAtt': ['Profile', 'Id'] }, 'Spoke'),
    });
    expect(resolve(facts, 'Spoke', PRIVATE_HOST)).toEqual({
      kind: 'endpoint',
      endpoint: 'S/HubEndpoint',
      steps: ['zone S|Zone record S|Alias via S|Profile'],
    });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('public');
  });

  test.each<[string, unknown]>([
    ['a Profile shared from another account (its id a literal)', 'rp-0123456789abcdef'],
    ['a Profile whose id is a parameter', { Ref: 'P' }],
  ])('%s may carry anything: unknown', (_, profileId) => {
    const facts = factsOf({ Spoke: vpc(), Association: profileAssociation(profileId, 'Spoke') });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('unknown');
  });

  test('an endpoint of another account carried by ARN may be an execute-api endpoint: unknown for execute-api names only', () => {
    const facts = factsOf({
      Spoke: vpc(),
      Profile: profile(),
      Carried: profileResource('Profile', `arn:aws:ec2:${REGION}:210987654321:vpc-endpoint/vpce-0123456789abcdef0`),
      Association: profileAssociation({ 'Fn::GetAtt': ['Profile', 'Id'] }, 'Spoke'),
    });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('unknown');
    expect(resolve(facts, 'Spoke', literalName('api.example.com')).kind).toBe('public');
  });
});

describe('a private hosted zone', () => {
  test('for every execute-api name of a region: its record aliases one API to a shared endpoint; other names do not resolve', () => {
    const facts = factsOf({
      Hub: vpc(),
      Spoke: vpc(),
      HubEndpoint: endpoint('Hub'),
      Zone: zone(`execute-api.${REGION}.amazonaws.com`, 'Spoke'),
      Alias: aliasToEndpoint('Zone', `priv123456.execute-api.${REGION}.amazonaws.com`, 'HubEndpoint'),
    });
    expect(resolve(facts, 'Spoke', PRIVATE_HOST)).toEqual({
      kind: 'endpoint',
      endpoint: 'S/HubEndpoint',
      steps: ['zone S|Zone record S|Alias'],
    });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST)).toEqual({ kind: 'nxdomain', steps: ['zone S|Zone no record'] });
    expect(resolve(facts, 'Hub', PRIVATE_HOST).kind).toBe('public');
  });

  test('for one API (hub and spoke): that API resolves to the endpoint, every other name stays public', () => {
    const facts = factsOf({
      Hub: vpc(),
      Spoke: vpc(),
      HubEndpoint: endpoint('Hub'),
      PrivateApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['PRIVATE'] } } },
      PublicApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['REGIONAL'] } } },
      Zone: zone({ 'Fn::Sub': '${PrivateApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' }, 'Spoke'),
      Alias: aliasToEndpoint(
        'Zone',
        { 'Fn::Sub': '${PrivateApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}.' },
        'HubEndpoint',
      ),
    });
    const [privateApi, publicApi] = ['PrivateApi', 'PublicApi'].map((id) =>
      facts.apis.find((a) => a.resource.logicalId === id)!,
    );
    expect(resolve(facts, 'Spoke', apiHostname(privateApi))).toEqual({
      kind: 'endpoint',
      endpoint: 'S/HubEndpoint',
      steps: ['zone S|Zone record S|Alias'],
    });
    expect(resolve(facts, 'Spoke', apiHostname(publicApi)).kind).toBe('public');
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('public');
  });

  test('a zone for another region covers nothing of this one', () => {
    const facts = factsOf({
      Spoke: vpc(),
      Zone: zone('execute-api.eu-west-1.amazonaws.com', 'Spoke'),
    });
    expect(resolve(facts, 'Spoke', PUBLIC_HOST).kind).toBe('public');
    expect(resolve(facts, 'Spoke', defaultHostname('pub1234567', 'eu-west-1')).kind).toBe('nxdomain');
  });

  test('a CNAME to an endpoint of another account (its literal DNS name) leads to that endpoint', () => {
    const dns = `vpce-0123456789abcdef0-abcd1234.execute-api.${REGION}.vpce.amazonaws.com`;
    const facts = factsOf({
      Spoke: vpc(),
      Zone: zone(`priv123456.execute-api.${REGION}.amazonaws.com`, 'Spoke'),
      Cname: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          HostedZoneId: { Ref: 'Zone' },
          Name: `priv123456.execute-api.${REGION}.amazonaws.com`,
          Type: 'CNAME',
          TTL: '300',
          ResourceRecords: [dns],
        },
      },
    });
    expect(resolve(facts, 'Spoke', PRIVATE_HOST)).toEqual({
      kind: 'endpoint',
      endpoint: dns,
      steps: ['zone S|Zone record S|Cname'],
    });
  });

  test("the most specific zone wins: a zone for one API beats the VPC's own private DNS", () => {
    const facts = factsOf({
      Vpc: vpc(),
      Own: endpoint('Vpc', { PrivateDnsEnabled: true }),
      Hub: vpc(),
      HubEndpoint: endpoint('Hub'),
      Zone: zone(`priv123456.execute-api.${REGION}.amazonaws.com`, 'Vpc'),
      Alias: aliasToEndpoint('Zone', `priv123456.execute-api.${REGION}.amazonaws.com`, 'HubEndpoint'),
    });
    expect(resolve(facts, 'Vpc', PRIVATE_HOST).endpoint).toBe('S/HubEndpoint');
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).endpoint).toBe('S/Own');
  });

  test('split horizon: a zone for the parent domain without a record for the name: it does not resolve', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Zone: zone('example.com', 'Vpc'),
      Www: wwwRecord({ HostedZoneName: 'example.com.' }),
    });
    expect(resolve(facts, 'Vpc', literalName('api.example.com'))).toEqual({
      kind: 'nxdomain',
      steps: ['zone S|Zone no record'],
    });
    expect(resolve(facts, 'Vpc', literalName('www.example.com'))).toEqual({
      kind: 'elsewhere',
      steps: ['zone S|Zone record S|Www'],
    });
    expect(resolve(facts, 'Vpc', literalName('api.example.org')).kind).toBe('public');
  });

  test('a wildcard record answers names without a record of their own', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Hub: vpc(),
      HubEndpoint: endpoint('Hub'),
      Zone: zone(`execute-api.${REGION}.amazonaws.com`, 'Vpc'),
      Any: aliasToEndpoint('Zone', `*.execute-api.${REGION}.amazonaws.com`, 'HubEndpoint'),
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).endpoint).toBe('S/HubEndpoint');
  });

  test("a CNAME to a regional domain's name is resolved in turn, here by the VPC's own private DNS", () => {
    const facts = factsOf({
      Vpc: vpc(),
      Own: endpoint('Vpc', { PrivateDnsEnabled: true }),
      Domain: {
        Type: 'AWS::ApiGateway::DomainName',
        Properties: { DomainName: 'api.example.com', EndpointConfiguration: { Types: ['REGIONAL'] } },
      },
      Zone: zone('example.com', 'Vpc'),
      Cname: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          HostedZoneId: { Ref: 'Zone' },
          Name: 'api.example.com',
          Type: 'CNAME',
          TTL: '60',
          ResourceRecords: [{ 'Fn::GetAtt': ['Domain', 'RegionalDomainName'] }],
        },
      },
    });
    expect(resolve(facts, 'Vpc', literalName('api.example.com'))).toEqual({
      kind: 'endpoint',
      endpoint: 'S/Own',
      steps: ['zone S|Zone record S|Cname', 'private-dns S|Own'],
    });
  });

  test.each<[string, Record<string, unknown>]>([
    ['whose name is a parameter', { Zone: zone({ Ref: 'P' }, 'Vpc') }],
    ['that is conditional', { Zone: { ...zone(`execute-api.${REGION}.amazonaws.com`, 'Vpc'), Condition: 'C' } }],
    [
      'whose record for the name has a parameter for a target',
      {
        Zone: zone(`execute-api.${REGION}.amazonaws.com`, 'Vpc'),
        Record: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: { Ref: 'Zone' },
            Name: `pub1234567.execute-api.${REGION}.amazonaws.com`,
            Type: 'CNAME',
            ResourceRecords: [{ Ref: 'P' }],
          },
        },
      },
    ],
    [
      'with a record whose name is a parameter',
      {
        Zone: zone(`execute-api.${REGION}.amazonaws.com`, 'Vpc'),
        Record: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: { Ref: 'Zone' },
            Name: { 'Fn::Sub': '${P}.execute-api.us-east-1.amazonaws.com' },
            Type: 'A',
            ResourceRecords: ['10.0.0.1'],
          },
        },
      },
    ],
  ])('a zone %s leaves the name unknown', (_, resources) => {
    const facts = factsOf({ Vpc: vpc(), ...resources });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('unknown');
  });

  test("a zone answers with the app's one read of its records: the step's record is the record fact", () => {
    const facts = factsOf({
      Vpc: vpc(),
      Zone: zone('example.com', 'Vpc'),
      Www: wwwRecord({ HostedZoneId: { Ref: 'Zone' } }),
    });
    const r = facts.resolution.resolve({ id: 'res:S|Vpc', name: 'Vpc', inApp: true }, literalName('www.example.com'));
    const first = r.kind === 'unknown' ? undefined : r.steps[0];
    expect(first?.kind === 'zone' ? first.record : undefined).toBe(facts.records[0]);
    expect(facts.resolution.privateZoneOf(facts.records[0])?.resource.logicalId).toBe('Zone');
  });

  test('a record resource that could not be read may sit in any zone: every zone answer is unknown', () => {
    const graph = templateGraph(
      templateStack(
        {
          Vpc: vpc(),
          Zone: zone('example.com', 'Vpc'),
          Own: endpoint('Vpc', { PrivateDnsEnabled: true }),
          Broken: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: { Ref: 'Zone' } } },
        },
        { region: REGION },
      ),
    );
    const vpcs = new VpcIndex(graph);
    const endpoints = new EndpointIndex(readExecuteApiEndpoints(graph, vpcs));
    const ref = { id: 'res:S|Vpc', name: 'Vpc', inApp: true };
    const index = (unread: ResourceNode[]) => new ResolutionIndex(graph, vpcs, endpoints, { records: [], unread });
    expect(index([]).resolve(ref, literalName('api.example.com')).kind).toBe('nxdomain');
    const broken = index(graph.ofType('AWS::Route53::RecordSet'));
    expect(broken.resolve(ref, literalName('api.example.com')).kind).toBe('unknown');
    // Names no zone covers do not depend on the records.
    expect(broken.resolve(ref, PUBLIC_HOST).kind).toBe('endpoint');
    expect(broken.resolve(ref, literalName('api.example.org')).kind).toBe('public');
  });

  test('a public hosted zone (no VPCs) answers nothing inside a VPC', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Zone: { Type: 'AWS::Route53::HostedZone', Properties: { Name: `execute-api.${REGION}.amazonaws.com` } },
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('public');
  });
});

describe('a Resolver rule', () => {
  test.each<[string]>([[`execute-api.${REGION}.amazonaws.com`], [`${REGION}.amazonaws.com`], ['amazonaws.com.']])(
    'a FORWARD rule for %s forwards execute-api names outside the app',
    (domain) => {
      const facts = factsOf({ Vpc: vpc(), Rule: rule(domain), Association: ruleAssociation('Rule', 'Vpc') });
      expect(resolve(facts, 'Vpc', PUBLIC_HOST)).toEqual({
        kind: 'forwarded',
        steps: [`rule S|Rule (${domain.replace(/\.$/, '')})`],
      });
    },
  );

  test('a FORWARD rule for another domain leaves execute-api names alone', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Own: endpoint('Vpc', { PrivateDnsEnabled: true }),
      Rule: rule('corp.example.com'),
      Association: ruleAssociation('Rule', 'Vpc'),
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).endpoint).toBe('S/Own');
    expect(resolve(facts, 'Vpc', literalName('api.corp.example.com')).kind).toBe('forwarded');
  });

  test('a rule wins over a zone of the same name, and over the private DNS of a less specific one', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Own: endpoint('Vpc', { PrivateDnsEnabled: true }),
      Rule: rule(`execute-api.${REGION}.amazonaws.com`),
      Association: ruleAssociation('Rule', 'Vpc'),
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('forwarded');
  });

  test('a SYSTEM rule for a more specific domain has Resolver answer it itself', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Forward: rule('amazonaws.com'),
      ForwardAssociation: ruleAssociation('Forward', 'Vpc'),
      System: rule(`execute-api.${REGION}.amazonaws.com`, 'SYSTEM'),
      SystemAssociation: ruleAssociation('System', 'Vpc'),
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('public');
  });

  test('a rule associated with another VPC, or not associated at all, does nothing here', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Other: vpc(),
      Rule: rule('amazonaws.com'),
      Association: ruleAssociation('Rule', 'Other'),
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('public');
  });

  test('a rule shared from elsewhere (its id a literal) may forward anything: unknown', () => {
    const facts = factsOf({
      Vpc: vpc(),
      Association: {
        Type: 'AWS::Route53Resolver::ResolverRuleAssociation',
        Properties: { ResolverRuleId: 'rslvr-rr-0123456789abcdef0', VPCId: { Ref: 'Vpc' } },
      },
    });
    expect(resolve(facts, 'Vpc', PUBLIC_HOST).kind).toBe('unknown');
  });
});

describe('CDK apps', () => {
  /** Hub and spoke with L2 constructs: a zone per private API, an A alias to the hub endpoint (InterfaceVpcEndpointTarget). */
  function hubAndSpoke() {
    const app = newApp();
    const env = { account: '123456789012', region: 'eu-west-1' };
    const net = new Stack(app, 'Net', { env });
    const isolated = {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    };
    const hub = new ec2.Vpc(net, 'Hub', isolated);
    const spoke = new ec2.Vpc(net, 'Spoke', isolated);
    const endpointL2 = hub.addInterfaceEndpoint('ExecuteApi', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    const svc = new Stack(app, 'Svc', { env });
    const api = privateRestApi(svc, 'Internal');
    const zoneL2 = new route53.PrivateHostedZone(net, 'InternalZone', {
      zoneName: `${api.restApiId}.execute-api.eu-west-1.amazonaws.com`,
      vpc: spoke,
    });
    new route53.ARecord(net, 'InternalAlias', {
      zone: zoneL2,
      target: route53.RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpointL2)),
    });
    return app;
  }

  test.each<[string, (app: App) => ResourceGraph]>([
    ['the construct tree', (app) => factsOfApp(app).graph],
    ['the synthesized cloud assembly', (app) => graphFromAssembly(app)],
  ])('read from %s, the spoke resolves the private API through its zone to the hub endpoint', (_, read) => {
    const graph = read(hubAndSpoke());
    const facts = deriveFacts(graph);
    const api = facts.apis.find((a) => a.resource.path === 'Svc/Internal/Resource')!;
    const spoke = { id: `res:${graph.byConstructPath('Net/Spoke/Resource')!.key}`, name: 'Net/Spoke', inApp: true };
    expect(shape(facts.resolution.resolve(spoke, apiHostname(api)))).toEqual({
      kind: 'endpoint',
      endpoint: 'Net/Hub/ExecuteApi',
      steps: ['zone Net/InternalZone/Resource record Net/InternalAlias/Resource'],
    });
    expect(facts.resolution.resolve(spoke, defaultHostname('pub1234567', 'eu-west-1')).kind).toBe('public');
  });
});
