import * as path from 'path';
import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as profiles from 'aws-cdk-lib/aws-route53profiles';
import * as resolver from 'aws-cdk-lib/aws-route53resolver';
import { analyzeTemplateFiles } from '../../src/analyze';
import { handler, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { SharedDnsOptions, sharedDns } from '../fixtures/apps/shared-dns';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'PrivateZoneHidesHostname';
const ENV = { account: '123456789012', region: 'eu-west-1' };

interface DomainOptions {
  /** What the private zone for example.com holds for api.example.com. Default: nothing (another name only). */
  readonly record?: 'none' | 'alias' | 'cname';
  /** How the zone reaches the caller's VPC. Default: associated with it. */
  readonly zoneVia?: 'vpc' | 'other-vpc' | 'profile' | 'no-zone';
  /** Private DNS of the execute-api endpoint in the caller's VPC. Default: on. */
  readonly privateDns?: boolean;
  /** A Resolver FORWARD rule for example.com associated with the caller's VPC. */
  readonly forward?: boolean;
  /** The zone's name: literal, a parameter, or literal under a Condition. */
  readonly zoneName?: 'literal' | 'parameter' | 'conditional';
}

/** A regional custom domain api.example.com, called from a VPC Lambda, and a private zone for example.com. */
function domainApp(o: DomainOptions = {}) {
  const app = newApp();
  const stack = new Stack(app, 'Svc', { env: ENV });
  const api = restApi(stack, 'Payments', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  const domain = new apigw.DomainName(stack, 'Domain', {
    domainName: 'api.example.com',
    certificate: acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    ),
    endpointType: apigw.EndpointType.REGIONAL,
    mapping: api,
  });
  const isolated = {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  };
  const vpc = new ec2.Vpc(stack, 'Vpc', isolated);
  const other = new ec2.Vpc(stack, 'Other', isolated);
  vpc.addInterfaceEndpoint('ExecuteApi', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    privateDnsEnabled: o.privateDns ?? true,
  });
  const via = o.zoneVia ?? 'vpc';
  if (via !== 'no-zone') {
    const zoneName =
      o.zoneName === 'parameter'
        ? new CfnParameter(stack, 'ZoneName', { default: 'example.com' }).valueAsString
        : 'example.com';
    const zone = new route53.PrivateHostedZone(stack, 'Internal', { zoneName, vpc: via === 'vpc' ? vpc : other });
    if (o.zoneName === 'conditional') {
      const cond = new CfnCondition(stack, 'WithZone', { expression: Fn.conditionEquals('yes', 'yes') });
      (zone.node.defaultChild as route53.CfnHostedZone).cfnOptions.condition = cond;
    }
    new route53.ARecord(stack, 'Db', {
      zone,
      recordName: 'db',
      target: route53.RecordTarget.fromIpAddresses('10.0.0.5'),
    });
    if (o.record === 'alias') {
      new route53.ARecord(stack, 'ApiAlias', {
        zone,
        recordName: 'api',
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
      });
    } else if (o.record === 'cname') {
      new route53.CnameRecord(stack, 'ApiCname', {
        zone,
        recordName: 'api',
        domainName: domain.domainNameAliasDomainName,
      });
    }
    if (via === 'profile') {
      const profile = new profiles.CfnProfile(stack, 'SharedDns', { name: 'shared-dns' });
      new profiles.CfnProfileResourceAssociation(stack, 'SharedZone', {
        name: 'internal',
        profileId: profile.attrId,
        resourceArn: `arn:aws:route53:::hostedzone/${zone.hostedZoneId}`,
      });
      new profiles.CfnProfileAssociation(stack, 'VpcDns', {
        name: 'vpc',
        profileId: profile.attrId,
        resourceId: vpc.vpcId,
      });
    }
  }
  if (o.forward) {
    const rule = new resolver.CfnResolverRule(stack, 'ForwardExample', {
      domainName: 'example.com',
      ruleType: 'FORWARD',
      targetIps: [{ ip: '10.99.0.2' }],
    });
    new resolver.CfnResolverRuleAssociation(stack, 'VpcForwarding', {
      resolverRuleId: rule.attrResolverRuleId,
      vpcId: vpc.vpcId,
    });
  }
  const caller = handler(stack, 'Caller', { vpc, environment: { API_URL: `https://${domain.domainName}/v1` } });
  return {
    app,
    callerPath: caller.node.defaultChild!.node.path,
    domainPath: (domain.node.defaultChild as apigw.CfnDomainName).node.path,
  };
}

/** A private API shared through a zone of its own, `{id}.execute-api.<region>.amazonaws.com`, that holds no apex record. */
function zonePerApiWithoutApex(apex: boolean) {
  const app = newApp();
  const stack = new Stack(app, 'Net', { env: ENV });
  const isolated = {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'I', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  };
  const hub = new ec2.Vpc(stack, 'Hub', isolated);
  const spoke = new ec2.Vpc(stack, 'Spoke', isolated);
  const endpoint = hub.addInterfaceEndpoint('ExecuteApi', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    privateDnsEnabled: false,
  });
  const api = restApi(stack, 'Internal', { endpointTypes: [apigw.EndpointType.PRIVATE] });
  api.grantInvokeFromVpcEndpointsOnly([endpoint]);
  const zone = new route53.PrivateHostedZone(stack, 'InternalZone', {
    zoneName: `${api.restApiId}.execute-api.eu-west-1.amazonaws.com`,
    vpc: spoke,
  });
  new route53.ARecord(stack, 'InternalAlias', {
    zone,
    recordName: apex ? undefined : 'www',
    target: route53.RecordTarget.fromAlias(new targets.InterfaceVpcEndpointTarget(endpoint)),
  });
  const caller = handler(stack, 'Caller', { vpc: spoke, environment: { API_URL: api.url } });
  return { app, callerPath: caller.node.defaultChild!.node.path, apiPath: api.node.defaultChild!.node.path };
}

describe(`${RULE}, a custom domain name`, () => {
  test('reports a caller whose VPC has a private zone for the parent domain with no record for the name', () => {
    const s = domainApp();
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.findingId])).toEqual([
      ['error', 'noRecord', s.callerPath, s.domainPath],
    ]);
    expect(f[0].message).toContain(
      'private hosted zone Svc/Internal (example.com) covers that name but holds no record for it',
    );
    expect(f[0].message).toContain('the name does not resolve');
    expect(f[0].fix).toContain('A alias record');
    expect(f[0].fix).toContain('do not associate private hosted zone Svc/Internal (example.com) with VPC Svc/Vpc');
  });

  test('reports it when a Route 53 Profile carries the zone to the VPC', () => {
    const s = domainApp({ zoneVia: 'profile' });
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.messageId, x.resource.path])).toEqual([['noRecord', s.callerPath]]);
    expect(f[0].message).toContain('carried by Route 53 Profile Svc/SharedDns');
  });

  test("reports a CNAME in the zone to the domain's d-… name, which the VPC resolves to its endpoint; rule 3 leaves that caller", () => {
    const s = domainApp({ record: 'cname' });
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.findingId])).toEqual([
      ['error', 'cnameToEndpoint', s.callerPath, s.domainPath],
    ]);
    expect(f[0].message).toContain('answers that name with a CNAME (Svc/ApiCname)');
    expect(f[0].fix).toContain('Replace record Svc/ApiCname');
    expect(findings(s.app, 'RegionalDomainCnameRecord')).toEqual([]);
  });

  test.each<[string, DomainOptions]>([
    ['the zone holds an A alias for the name (the fix)', { record: 'alias' }],
    ['the zone is associated with another VPC', { zoneVia: 'other-vpc' }],
    ['no private zone covers the name', { zoneVia: 'no-zone' }],
    ['a Resolver rule forwards example.com (the answer is outside the app)', { forward: true }],
    ["the zone's name is a parameter", { zoneName: 'parameter' }],
    ['the zone is under a Condition', { zoneName: 'conditional' }],
    ["the CNAME's target stays public: private DNS is off", { record: 'cname', privateDns: false }],
  ])('stays silent when %s', (_, o) => {
    expect(findings(domainApp(o).app, RULE)).toEqual([]);
  });

  test('rule 3 still reports the CNAME (a Warning) when its target stays public', () => {
    const f = findings(domainApp({ record: 'cname', privateDns: false }).app, 'RegionalDomainCnameRecord');
    expect(f.map((x) => [x.level, x.messageId])).toEqual([['warning', 'cname']]);
  });

  test('the construct tree and the synthesized cloud assembly agree', () => {
    expect(findingsFromAssembly(domainApp().app).map(summary)).toEqual(findings(domainApp().app).map(summary));
  });
});

describe(`${RULE}, a default execute-api hostname`, () => {
  test.each<[string, SharedDnsOptions]>([
    [
      'a zone for every execute-api name of the region holds records for other APIs only',
      { path: 'zone-all', record: 'other-api' },
    ],
    ['the same, for a private API', { path: 'zone-all', record: 'other-api', api: 'PRIVATE' }],
  ])('reports the caller when %s', (_, o) => {
    const s = sharedDns(o);
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.level, x.messageId, x.resource.path, x.findingId])).toEqual([
      ['error', 'noRecord', s.callerPath, s.apiPath],
    ]);
    expect(f[0].message).toContain('(execute-api.eu-west-1.amazonaws.com) covers that name but holds no record for it');
  });

  test('a public API hidden by a region-wide zone: the fix is one zone per private API', () => {
    const f = findings(sharedDns({ path: 'zone-all', record: 'other-api' }).app, RULE);
    expect(f[0].fix).toContain('replace it with one zone per private API');
  });

  test('reports a zone of one API that holds no record at its apex', () => {
    const s = zonePerApiWithoutApex(false);
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.messageId, x.resource.path, x.findingId])).toEqual([['noRecord', s.callerPath, s.apiPath]]);
    expect(f[0].fix).toContain('at the apex of private hosted zone Net/InternalZone');
  });

  test('stays silent when that zone holds its apex alias (the hub-and-spoke pattern)', () => {
    expect(findings(zonePerApiWithoutApex(true).app, RULE)).toEqual([]);
  });

  test.each<[string, SharedDnsOptions]>([
    ['the zone holds a record for the called API', { path: 'zone-all' }],
    ['the zone is associated with another VPC', { path: 'zone-all', record: 'other-api', associatedWith: 'other' }],
    ['the zone names another region', { path: 'zone-all', record: 'other-api', zoneRegion: 'us-east-1' }],
    ['a zone per private API (public names stay public)', { path: 'zone-per-api' }],
    ['a Route 53 Profile carries an endpoint', { path: 'profile-endpoint' }],
    ['a Resolver rule forwards the names', { path: 'forward' }],
    ['nothing private answers', { path: 'none' }],
  ])('stays silent when %s', (_, o) => {
    expect(findings(sharedDns(o).app, RULE)).toEqual([]);
  });
});

describe(`${RULE}, from CloudFormation templates`, () => {
  const template = (file: string) => path.join(__dirname, '../fixtures/templates', file);

  test('reports the Lambda whose private zone for example.com holds no record for the custom domain', () => {
    const f = analyzeTemplateFiles([template('fails/private-zone-hides-custom-domain.yaml')]).findings;
    expect(f.filter((x) => x.ruleName === RULE).map((x) => [x.level, x.messageId, x.resource.logicalId])).toEqual([
      ['error', 'noRecord', 'Fn'],
    ]);
  });

  test('stays silent when the zone holds an A alias for it', () => {
    const f = analyzeTemplateFiles([template('passes/private-zone-holds-custom-domain.yaml')]).findings;
    expect(f.filter((x) => x.ruleName === RULE)).toEqual([]);
  });
});
