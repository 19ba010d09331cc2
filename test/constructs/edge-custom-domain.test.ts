import {
  App,
  Stack,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, agnosticStack, newStack, publicZone, restApi } from './helpers';
import { EdgeCustomDomain, EdgeRecordType } from '../../src/constructs';

const US_EAST_1_CERT = 'arn:aws:acm:us-east-1:111111111111:certificate/edge-1234';

describe('EdgeCustomDomain', () => {
  test('creates an EDGE domain name with TLS 1.2 and a new DNS-validated certificate in us-east-1', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      EndpointConfiguration: { Types: ['EDGE'] },
      SecurityPolicy: 'TLS_1_2',
      CertificateArn: { Ref: Match.stringLikeRegexp('^ApiDomainCertificate') },
    });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    expect(Object.keys(template.toJSON().Rules ?? {})).not.toContainEqual(expect.stringMatching(/^ApiDomain/));
  });

  test('publishes an A alias record to the CloudFront distribution by default and no CNAME', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    expect(domain.records.map((r) => r.node.path)).toEqual(['Stack/ApiDomain/AliasRecord']);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      Name: 'api.example.com.',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDomain'), 'DistributionDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDomain'), 'DistributionHostedZoneId'] },
      },
    });
    expect(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } })).toEqual({});
  });

  test('publishes a CNAME to the CloudFront distribution name when asked', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
      recordType: EdgeRecordType.CNAME,
    });
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    expect(domain.records.map((r) => r.node.path)).toEqual(['Stack/ApiDomain/CnameRecord']);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'CNAME',
      Name: 'api.example.com.',
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDomain'), 'DistributionDomainName'] }],
      AliasTarget: Match.absent(),
    });
  });

  test('maps REST APIs with base path mappings', () => {
    const stack = newStack('us-east-1');
    const payments = restApi(stack, 'Payments');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(payments, { basePath: 'v1' });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: stack.getLogicalId(domain.domain.node.defaultChild as apigateway.CfnDomainName) },
      RestApiId: { Ref: stack.getLogicalId(payments.node.defaultChild as apigateway.CfnRestApi) },
      Stage: { Ref: stack.getLogicalId(payments.deploymentStage.node.defaultChild as apigateway.CfnStage) },
      BasePath: 'v1',
    });
    expect(stack.resolve(domain.urlFor('v1'))).toEqual({
      'Fn::Join': [
        '',
        ['https://', { Ref: stack.getLogicalId(domain.domain.node.defaultChild as apigateway.CfnDomainName) }, '/v1/'],
      ],
    });
  });

  test('accepts a us-east-1 certificate ARN from a stack in another region', () => {
    const stack = newStack('eu-west-1');
    new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', US_EAST_1_CERT),
    }).addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { CertificateArn: US_EAST_1_CERT });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('accepts a certificate created in a us-east-1 stack and passed across regions', () => {
    const app = new App();
    const certStack = new Stack(app, 'Certs', {
      env: { account: ENV.account, region: 'us-east-1' },
      crossRegionReferences: true,
    });
    const zone = route53.HostedZone.fromHostedZoneAttributes(certStack, 'Zone', {
      hostedZoneId: 'Z1',
      zoneName: 'example.com',
    });
    const certificate = new acm.Certificate(certStack, 'Cert', {
      domainName: 'api.example.com',
      validation: acm.CertificateValidation.fromDns(zone),
    });
    const stack = new Stack(app, 'Api', { env: ENV, crossRegionReferences: true });
    const apiZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z1',
      zoneName: 'example.com',
    });
    new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: apiZone,
      certificate,
    }).addRestApi(restApi(stack, 'Payments'));

    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::DomainName', 1);
  });

  test('creates the certificate in an environment-agnostic stack, guarded by a rule that requires us-east-1', () => {
    const stack = agnosticStack();
    new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    }).addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    const rules = Object.entries(template.toJSON().Rules ?? {}).filter(([id]) =>
      id.startsWith('ApiDomainCertificateRegionRule'),
    );
    expect(rules).toEqual([
      [
        expect.any(String),
        { Assertions: [expect.objectContaining({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } })] },
      ],
    ]);
  });

  test('throws if no certificate is given in a stack outside us-east-1', () => {
    const stack = newStack('eu-west-1');

    expect(
      () => new EdgeCustomDomain(stack, 'ApiDomain', { domainName: 'api.example.com', hostedZone: publicZone(stack) }),
    ).toThrow(/^EdgeCertificateRequired: \[Stack\/ApiDomain\] .*eu-west-1/);
  });

  test('throws if the certificate ARN is in another region than us-east-1', () => {
    const stack = newStack('eu-west-1');
    const certificate = acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:111111111111:certificate/x',
    );

    expect(
      () =>
        new EdgeCustomDomain(stack, 'ApiDomain', {
          domainName: 'api.example.com',
          hostedZone: publicZone(stack),
          certificate,
        }),
    ).toThrow(/^EdgeCertificateNotInUsEast1: \[Stack\/ApiDomain\] certificate for 'api.example.com' is in eu-west-1/);
  });

  test('throws if the certificate is created in a stack of another region', () => {
    const stack = newStack('eu-west-1');
    const zone = publicZone(stack);
    const certificate = new acm.Certificate(stack, 'Cert', {
      domainName: 'api.example.com',
      validation: acm.CertificateValidation.fromDns(zone),
    });

    expect(
      () => new EdgeCustomDomain(stack, 'ApiDomain', { domainName: 'api.example.com', hostedZone: zone, certificate }),
    ).toThrow(/^EdgeCertificateNotInUsEast1: /);
  });

  test('throws if a base path has several levels', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });

    expect(() => domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'orders/v1' })).toThrow(
      /^InvalidBasePath: .*several levels/,
    );
  });

  test('throws if a base path is mapped twice', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });

    expect(() => domain.addRestApi(restApi(stack, 'Orders'), { basePath: 'v1' })).toThrow(/^BasePathAlreadyMapped: /);
  });

  test('throws if the same API stage is added twice', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    const payments = restApi(stack, 'Payments');
    domain.addRestApi(payments, { basePath: 'v1' });

    expect(() => domain.addRestApi(payments, { basePath: 'v2' })).toThrow(/^ApiAlreadyMapped: /);
  });

  test('throws if the hosted zone does not contain the domain name', () => {
    const stack = newStack('us-east-1');

    expect(
      () => new EdgeCustomDomain(stack, 'ApiDomain', { domainName: 'api.example.org', hostedZone: publicZone(stack) }),
    ).toThrow(/^DomainNotInHostedZone: /);
  });

  test('throws if urlFor names a base path that no API is mapped at', () => {
    const stack = newStack('us-east-1');
    const domain = new EdgeCustomDomain(stack, 'ApiDomain', {
      domainName: 'api.example.com',
      hostedZone: publicZone(stack),
    });
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    domain.urlFor('v9');

    expect(() => Template.fromStack(stack)).toThrow(/UrlForUnmappedBasePath: urlFor\('v9'\)/);
  });
});
