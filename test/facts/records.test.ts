/**
 * Route 53 records (`facts.records`): A alias vs CNAME, record sets in groups, and what each points at
 * (a custom domain of the app, an API's default hostname, a literal execute-api hostname, or unknown).
 */
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { RecordFact, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

function record(r: RecordFact) {
  return {
    record: nameOf(r.resource),
    location: r.location,
    name: r.name,
    type: r.type,
    alias: r.alias,
    domain: nameOf(r.target?.domain?.resource),
    api: nameOf(r.target?.api?.resource),
    host: r.target?.host,
    hostRegion: r.target?.hostRegion,
  };
}

const recordsOf = (g: ResourceGraph) => deriveFacts(g).records.map(record);

describe('CDK records', () => {
  test('an A alias to a regional domain and a CNAME to its regional name both point at the domain', () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc', { env: { account: '123456789012', region: 'eu-west-1' } });
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    const domain = api.addDomainName('Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(
        stack,
        'Cert',
        'arn:aws:acm:eu-west-1:123456789012:certificate/c',
      ),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    new route53.ARecord(stack, 'Alias', {
      zone,
      recordName: 'api',
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
    });
    new route53.CnameRecord(stack, 'Cname', { zone, recordName: 'old', domainName: domain.domainNameAliasDomainName });
    expect(factsOfApp(app).facts.records.map(record)).toEqual([
      {
        record: 'Svc/Alias/Resource',
        location: 'Properties',
        name: 'api.example.com',
        type: 'A',
        alias: true,
        domain: 'Svc/Api/Domain/Resource',
      },
      {
        record: 'Svc/Cname/Resource',
        location: 'Properties',
        name: 'old.example.com',
        type: 'CNAME',
        alias: false,
        domain: 'Svc/Api/Domain/Resource',
      },
    ]);
  });
});

describe('template records', () => {
  const domain = {
    Type: 'AWS::ApiGateway::DomainName',
    Properties: { DomainName: 'api.example.com', EndpointConfiguration: { Types: ['EDGE'] } },
  };
  const rs = (props: Record<string, unknown>) => ({
    Type: 'AWS::Route53::RecordSet',
    Properties: { HostedZoneId: 'Z1', Name: 'Api.Example.com.', ...props },
  });
  const graph = (resources: Record<string, unknown>) =>
    templateGraph(templateStack(resources, { parameters: { Target: { Type: 'String' } } }));

  test('an alias to an edge domain’s DistributionDomainName points at the domain', () => {
    const g = graph({
      Domain: domain,
      Rec: rs({
        Type: 'A',
        AliasTarget: { DNSName: { 'Fn::GetAtt': ['Domain', 'DistributionDomainName'] }, HostedZoneId: 'Z2' },
      }),
    });
    expect(recordsOf(g)).toEqual([
      { record: 'S|Rec', location: 'Properties', name: 'api.example.com', type: 'A', alias: true, domain: 'S|Domain' },
    ]);
  });

  test.each<[string, unknown, Partial<ReturnType<typeof record>>]>([
    [
      'a literal regional domain name',
      'd-abc123.execute-api.eu-west-1.amazonaws.com.',
      { host: 'd-abc123.execute-api.eu-west-1.amazonaws.com', hostRegion: 'eu-west-1' },
    ],
    [
      'a literal default hostname of an API outside the app',
      'xyz789.execute-api.cn-north-1.amazonaws.com.cn',
      { host: 'xyz789.execute-api.cn-north-1.amazonaws.com.cn', hostRegion: 'cn-north-1' },
    ],
    ["an API's default hostname", { 'Fn::Sub': '${Api}.execute-api.${AWS::Region}.amazonaws.com' }, { api: 'S|Api' }],
    ['a parameter: no target', { Ref: 'Target' }, {}],
    ['another hostname: no target', 'www.example.org', {}],
    ['another attribute of the domain: no target', { 'Fn::GetAtt': ['Domain', 'RegionalHostedZoneId'] }, {}],
  ])('a CNAME to %s', (_, value, target) => {
    const g = graph({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
      Domain: domain,
      Rec: rs({ Type: 'CNAME', TTL: '60', ResourceRecords: [value] }),
    });
    expect(recordsOf(g)).toEqual([
      { record: 'S|Rec', location: 'Properties', name: 'api.example.com', type: 'CNAME', alias: false, ...target },
    ]);
  });

  test('each record set of a group is a record of its own, at its index', () => {
    const g = graph({
      Domain: domain,
      Group: {
        Type: 'AWS::Route53::RecordSetGroup',
        Properties: {
          HostedZoneName: 'example.com.',
          RecordSets: [
            {
              Name: 'api.example.com',
              Type: 'AAAA',
              AliasTarget: { DNSName: { 'Fn::GetAtt': ['Domain', 'DistributionDomainName'] } },
            },
            { Name: 'www.example.com', Type: 'CNAME', ResourceRecords: ['d-1.execute-api.us-east-1.amazonaws.com'] },
          ],
        },
      },
    });
    expect(recordsOf(g)).toEqual([
      {
        record: 'S|Group',
        location: 'Properties.RecordSets.0',
        name: 'api.example.com',
        type: 'AAAA',
        alias: true,
        domain: 'S|Domain',
      },
      {
        record: 'S|Group',
        location: 'Properties.RecordSets.1',
        name: 'www.example.com',
        type: 'CNAME',
        alias: false,
        host: 'd-1.execute-api.us-east-1.amazonaws.com',
        hostRegion: 'us-east-1',
      },
    ]);
  });

  test('a record name that is not literal is unknown; the target is still read', () => {
    const g = graph({
      Domain: domain,
      Rec: rs({
        Name: { Ref: 'Target' },
        Type: 'A',
        AliasTarget: { DNSName: { 'Fn::GetAtt': ['Domain', 'RegionalDomainName'] } },
      }),
    });
    expect(recordsOf(g)).toEqual([
      { record: 'S|Rec', location: 'Properties', type: 'A', alias: true, domain: 'S|Domain' },
    ]);
  });
});

describe('the zone a record sits in, and what resolution reads of it', () => {
  const hostedZone = (name: string, privateZone = false) => ({
    Type: 'AWS::Route53::HostedZone',
    Properties: { Name: name, ...(privateZone ? { VPCs: [{ VPCId: 'vpc-1', VPCRegion: 'us-east-1' }] } : {}) },
  });
  const rec = (zoneProps: Record<string, unknown>) => ({
    Type: 'AWS::Route53::RecordSet',
    Properties: { ...zoneProps, Name: 'api.example.com.', Type: 'cname', ResourceRecords: ['www.example.org'] },
  });
  const zonesOf = (resources: Record<string, unknown>) =>
    deriveFacts(templateGraph(templateStack({ Zone: hostedZone('example.com.'), ...resources }))).records.map((r) =>
      r.zones.map(nameOf),
    );

  test.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['a Ref to a zone of the app', { HostedZoneId: { Ref: 'Zone' } }, {}, ['S|Zone']],
    ["a zone's Id attribute", { HostedZoneId: { 'Fn::GetAtt': ['Zone', 'Id'] } }, {}, ['S|Zone']],
    ['a HostedZoneName one zone of the app has', { HostedZoneName: 'Example.com' }, {}, ['S|Zone']],
    [
      'a HostedZoneName two zones of the app have (a public one and a private one)',
      { HostedZoneName: 'example.com.' },
      { Other: hostedZone('example.com', true) },
      ['S|Other', 'S|Zone'],
    ],
    ['a literal zone id (a zone made outside the app)', { HostedZoneId: 'Z123' }, {}, []],
    ['a HostedZoneName no zone of the app has', { HostedZoneName: 'example.org.' }, {}, []],
    [
      'a Ref to something that is not a zone',
      { HostedZoneId: { Ref: 'Api' } },
      { Api: { Type: 'AWS::ApiGateway::RestApi' } },
      [],
    ],
  ])('%s', (_, zoneProps, more, zones) => {
    expect(zonesOf({ Rec: rec(zoneProps), ...more })).toEqual([zones]);
  });

  test('its name as labels, its type in upper case and its value as written, in a group too', () => {
    const facts = deriveFacts(
      templateGraph(
        templateStack({
          Zone: hostedZone('example.com.'),
          Rec: rec({ HostedZoneId: { Ref: 'Zone' } }),
          Group: {
            Type: 'AWS::Route53::RecordSetGroup',
            Properties: {
              HostedZoneName: 'example.com',
              RecordSets: [{ Name: { 'Fn::Sub': '${Zone}.Example.com' }, Type: 'A', ResourceRecords: ['10.0.0.1'] }],
            },
          },
        }),
      ),
    );
    const [cname, a] = facts.records;
    expect([cname.dnsName, cname.type, cname.value]).toEqual([['api', 'example', 'com'], 'CNAME', 'www.example.org']);
    expect(a.location).toBe('Properties.RecordSets.0');
    expect(a.zones.map(nameOf)).toEqual(['S|Zone']);
    expect(a.name).toBeUndefined();
    expect(a.dnsName).toHaveLength(3);
    expect((a.dnsName as string[]).slice(1)).toEqual(['example', 'com']);
    expect([a.type, a.value]).toEqual(['A', '10.0.0.1']);
  });
});
