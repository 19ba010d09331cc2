import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as profiles from 'aws-cdk-lib/aws-route53profiles';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'RegionalDomainCnameRecord';

interface Options {
  record?: 'cname' | 'alias' | 'cname-literal' | 'cname-default-host';
  domain?: 'v1-regional' | 'v1-edge' | 'v2';
  caller?: 'none' | 'by-domain' | 'by-record' | 'literal-name';
  privateDns?: boolean;
  callerVpc?: 'same' | 'other';
  /** A Route 53 Profile carries the endpoint (private DNS as `privateDns`) to the other VPC. */
  profile?: boolean;
}

function app(o: Options = {}) {
  const a = newApp();
  const stack = new Stack(a, 'Svc');
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  const cert = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
  const api = new apigw.RestApi(stack, 'PaymentsApi', { endpointTypes: [apigw.EndpointType.REGIONAL] });
  api.root.addMethod('GET');
  let domainName: string;
  let target: string;
  let domainNode: { node: { defaultChild?: unknown; path: string } };
  if (o.domain === 'v2') {
    const d = new apigwv2.DomainName(stack, 'Domain', { domainName: 'api.example.com', certificate: cert });
    domainName = d.name;
    target = d.regionalDomainName;
    domainNode = d;
  } else {
    const d = new apigw.DomainName(stack, 'Domain', {
      domainName: 'api.example.com',
      certificate: cert,
      endpointType: o.domain === 'v1-edge' ? apigw.EndpointType.EDGE : apigw.EndpointType.REGIONAL,
      mapping: api,
    });
    domainName = d.domainName;
    target = d.domainNameAliasDomainName;
    domainNode = d;
    if (o.record === 'alias') {
      new route53.ARecord(stack, 'Record', {
        zone,
        recordName: 'api',
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(d)),
      });
    }
  }
  let record: route53.CnameRecord | undefined;
  if (o.record !== 'alias') {
    const value =
      o.record === 'cname-literal'
        ? 'd-abc123defg.execute-api.us-east-1.amazonaws.com'
        : o.record === 'cname-default-host'
          ? `${api.restApiId}.execute-api.us-east-1.amazonaws.com`
          : target;
    record = new route53.CnameRecord(stack, 'Record', { zone, recordName: 'api', domainName: value });
  }
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const endpoint = vpc.addInterfaceEndpoint('Endpoint', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    privateDnsEnabled: o.privateDns,
  });
  const callerVpc = o.callerVpc === 'other' ? new ec2.Vpc(stack, 'OtherVpc') : vpc;
  if (o.profile) {
    const profile = new profiles.CfnProfile(stack, 'SharedDns', { name: 'shared-dns' });
    new profiles.CfnProfileResourceAssociation(stack, 'SharedEndpoint', {
      name: 'execute-api',
      profileId: profile.attrId,
      resourceArn: stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint', resourceName: endpoint.vpcEndpointId }),
    });
    new profiles.CfnProfileAssociation(stack, 'OtherVpcDns', {
      name: 'other',
      profileId: profile.attrId,
      resourceId: callerVpc.vpcId,
    });
  }
  const caller = o.caller ?? 'by-domain';
  if (caller !== 'none') {
    const url =
      caller === 'by-domain'
        ? `https://${domainName}/v1`
        : caller === 'by-record'
          ? `https://${record!.domainName}/v1`
          : 'https://api.example.com/v1';
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('x'),
      vpc: callerVpc,
      environment: { URL: url },
    });
  }
  return {
    app: a,
    recordPath: 'Svc/Record/Resource',
    domainPath: (domainNode.node.defaultChild as { node: { path: string } }).node.path,
  };
}

describe(RULE, () => {
  describe('reports', () => {
    test('an error for a CNAME to a regional domain called from a VPC with private DNS on', () => {
      const s = app();
      const f = findings(s.app, RULE);
      expect(f).toEqual([
        expect.objectContaining({
          rule: 'ApiReachability-RegionalDomainCnameRecord',
          level: 'error',
          messageId: 'cnameShadowed',
          findingId: s.domainPath,
          location: 'Properties',
          resource: expect.objectContaining({ path: s.recordPath }),
        }),
      ]);
      expect(f[0].message).toContain('Lambda function Svc/Fn calls it from VPC Svc/Vpc');
      expect(f[0].fix).toContain('A alias record');
    });

    test.each<[string, Options]>([
      ['a v2 domain name', { domain: 'v2' }],
      ['a caller that names the record', { caller: 'by-record' }],
      ['a caller that names the domain as a literal', { caller: 'literal-name' }],
    ])('an error for %s', (_, o) => {
      expect(findings(app(o).app, RULE)).toEqual([
        expect.objectContaining({ level: 'error', messageId: 'cnameShadowed' }),
      ]);
    });

    test.each<[string, Options]>([
      ['no caller in the app', { caller: 'none' }],
      ['callers only where private DNS is off', { privateDns: false }],
      ['callers only in another VPC', { callerVpc: 'other' }],
      ['a CNAME to a literal d-… execute-api name', { record: 'cname-literal', caller: 'none' }],
      ['a CNAME to an API default hostname', { record: 'cname-default-host', caller: 'none' }],
    ])('a warning for %s', (_, o) => {
      expect(findings(app(o).app, RULE)).toEqual([expect.objectContaining({ level: 'warning', messageId: 'cname' })]);
    });
  });

  describe('stays silent when', () => {
    test('the domain is published with an A alias record', () => {
      expect(findings(app({ record: 'alias' }).app, RULE)).toEqual([]);
    });
    test('the domain is edge-optimized (a CNAME to CloudFront works)', () => {
      expect(findings(app({ domain: 'v1-edge' }).app, RULE)).toEqual([]);
    });
  });

  test('the construct tree and the synthesized cloud assembly agree', () => {
    expect(findingsFromAssembly(app().app).map(summary)).toEqual(findings(app().app).map(summary));
  });
});

describe(`${RULE}, through DNS shared across VPCs`, () => {
  test("an error when a Route 53 Profile carries the endpoint, with private DNS on, to the caller's VPC", () => {
    const f = findings(app({ callerVpc: 'other', profile: true }).app, RULE);
    expect(f.map((x) => [x.level, x.messageId])).toEqual([['error', 'cnameShadowed']]);
    expect(f[0].message).toContain('calls it from VPC Svc/OtherVpc, where Route 53 Profile Svc/SharedDns');
  });

  test('a warning when the Profile carries the endpoint with private DNS off', () => {
    const f = findings(app({ callerVpc: 'other', profile: true, privateDns: false }).app, RULE);
    expect(f.map((x) => [x.level, x.messageId])).toEqual([['warning', 'cname']]);
  });
});
