import {
  Lazy,
  Stack,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { httpApi, newStack, publicZone, restApi } from './helpers';
import { RegionalCustomDomain } from '../../src/constructs';

function domainIn(stack: Stack, props: Partial<ConstructorParameters<typeof RegionalCustomDomain>[2]> = {}) {
  return new RegionalCustomDomain(stack, 'ApiDomain', {
    domainName: 'payments.example.com',
    hostedZone: publicZone(stack),
    ...props,
  });
}

describe('RegionalCustomDomain', () => {
  test('creates a REGIONAL domain name with TLS 1.2, dualstack, and a DNS-validated certificate by default', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'payments.example.com',
      EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: 'dualstack' },
      SecurityPolicy: 'TLS_1_2',
      RegionalCertificateArn: { Ref: Match.stringLikeRegexp('^ApiDomainCertificate') },
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'payments.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'payments.example.com', HostedZoneId: { Ref: Match.anyValue() } }],
    });
  });

  test('publishes an A and an AAAA alias record and never a CNAME', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    const alias = {
      Name: 'payments.example.com.',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDomain'), 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDomain'), 'RegionalHostedZoneId'] },
      },
      ResourceRecords: Match.absent(),
    };
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', ...alias });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', ...alias });
    expect(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } })).toEqual({});
    expect(domain.records.map((r) => r.node.path)).toEqual([
      'Stack/ApiDomain/AliasRecord',
      'Stack/ApiDomain/AliasRecordIpv6',
    ]);
  });

  test('publishes only the A alias record and stays IPv4 when ipv6 is false', () => {
    const stack = newStack();
    const domain = domainIn(stack, { ipv6: false });
    domain.addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    expect(domain.records.map((r) => r.node.path)).toEqual(['Stack/ApiDomain/AliasRecord']);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A' });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: 'ipv4' },
    });
  });

  test.each([
    [apigateway.IpAddressType.IPV4, 'ipv4', ['A']],
    [apigateway.IpAddressType.DUAL_STACK, 'dualstack', ['A', 'AAAA']],
  ])('ipAddressType %s: writes the type and an AAAA alias only when dual-stack', (ipAddressType, written, types) => {
    const stack = newStack();
    const domain = domainIn(stack, { ipAddressType });

    const template = Template.fromStack(stack);
    expect(domain.ipAddressType).toBe(written);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      EndpointConfiguration: { Types: ['REGIONAL'], IpAddressType: written },
    });
    const records = Object.values(template.findResources('AWS::Route53::RecordSet')).map(
      (r) => (r as { Properties: { Type: string } }).Properties.Type,
    );
    expect(records.sort()).toEqual(types);
  });

  test('accepts the deprecated ipv6 when it agrees with ipAddressType', () => {
    const stack = newStack();
    const domain = domainIn(stack, { ipAddressType: apigateway.IpAddressType.IPV4, ipv6: false });
    expect(domain.records).toHaveLength(1);
  });

  test.each([
    [apigateway.IpAddressType.IPV4, true],
    [apigateway.IpAddressType.DUAL_STACK, false],
  ])('throws IpAddressTypeConflict for ipAddressType %s with ipv6 %s', (ipAddressType, ipv6) => {
    const stack = newStack();
    expect(() => domainIn(stack, { ipAddressType, ipv6 })).toThrow(/^IpAddressTypeConflict: \[Stack\/ApiDomain\]/);
  });

  test('maps a REST API and an HTTP API on one domain with API Gateway V2 API mappings', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    const payments = restApi(stack, 'Payments');
    const orders = httpApi(stack, 'Orders');
    domain.addRestApi(payments, { basePath: 'v1' });
    domain.addHttpApi(orders, { basePath: 'orders' });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 2);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    const domainRef = { Ref: stack.getLogicalId(domain.domain.node.defaultChild as apigateway.CfnDomainName) };
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: stack.getLogicalId(payments.node.defaultChild as apigateway.CfnRestApi) },
      DomainName: domainRef,
      Stage: { Ref: stack.getLogicalId(payments.deploymentStage.node.defaultChild as apigateway.CfnStage) },
      ApiMappingKey: 'v1',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: { Ref: Match.stringLikeRegexp('^Orders') },
      DomainName: domainRef,
      Stage: '$default',
      ApiMappingKey: 'orders',
    });
  });

  test('makes each mapping depend on the stage it points at', () => {
    const stack = newStack();
    const payments = restApi(stack, 'Payments');
    domainIn(stack).addRestApi(payments, { basePath: 'v1' });

    const mappings = Template.fromStack(stack).findResources('AWS::ApiGatewayV2::ApiMapping');
    const [mapping] = Object.values(mappings);
    expect(mapping.DependsOn).toEqual(
      expect.arrayContaining([stack.getLogicalId(payments.deploymentStage.node.defaultChild as apigateway.CfnStage)]),
    );
  });

  test('maps a REST API at a multi-level base path', () => {
    const stack = newStack();
    domainIn(stack).addRestApi(restApi(stack, 'Payments'), { basePath: 'payments/v1' });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'payments/v1' });
  });

  test('maps the domain root when no base path is given', () => {
    const stack = newStack();
    domainIn(stack).addRestApi(restApi(stack, 'Payments'));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: Match.absent() });
  });

  test('maps another stage of the same API at another base path', () => {
    const stack = newStack();
    const payments = restApi(stack, 'Payments');
    const beta = new apigateway.Stage(stack, 'Beta', {
      deployment: new apigateway.Deployment(stack, 'BetaDeployment', { api: payments }),
      stageName: 'beta',
    });
    const domain = domainIn(stack);
    domain.addRestApi(payments, { basePath: 'v1' });
    domain.addRestApi(payments, { basePath: 'beta', stage: beta });

    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 2);
  });

  test('gives the URL of the domain and of each base path', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    const domainRef = { Ref: stack.getLogicalId(domain.domain.node.defaultChild as apigateway.CfnDomainName) };

    expect(stack.resolve(domain.urlFor('v1'))).toEqual({ 'Fn::Join': ['', ['https://', domainRef, '/v1/']] });
    expect(stack.resolve(domain.url)).toEqual({ 'Fn::Join': ['', ['https://', domainRef, '/']] });
  });

  test('uses the given certificate and creates none', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:111111111111:certificate/abcd-1234',
    );
    domainIn(stack, { certificate }).addRestApi(restApi(stack, 'Payments'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      RegionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abcd-1234',
    });
  });

  test('configures mutual TLS from a trust store in S3', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'TrustStore');
    domainIn(stack, { mtls: { bucket, key: 'truststore.pem' } }).addRestApi(restApi(stack, 'Payments'));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', {
      MutualTlsAuthentication: {
        TruststoreUri: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/truststore.pem']] },
      },
    });
  });

  test('accepts a hosted zone whose name ends with a dot', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Imported', {
      hostedZoneId: 'Z123456789',
      zoneName: 'example.com.',
    });
    const domain = new RegionalCustomDomain(stack, 'ApiDomain', {
      domainName: 'payments.example.com',
      hostedZone: zone,
    });
    domain.addRestApi(restApi(stack, 'Payments'));

    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z123456789',
      Type: 'A',
    });
  });

  test('leaves a base path that is a token to CloudFormation', () => {
    const stack = newStack();
    const basePath = Lazy.string({ produce: () => 'v 1' });
    domainIn(stack).addRestApi(restApi(stack, 'Payments'), { basePath });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiMappingKey: 'v 1' });
  });

  test('throws if a base path is mapped twice', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });

    expect(() => domain.addHttpApi(httpApi(stack, 'Orders'), { basePath: 'v1' })).toThrow(
      /^BasePathAlreadyMapped: \[Stack\/ApiDomain\] base path 'v1'/,
    );
  });

  test('throws if the domain root is mapped twice', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'));

    expect(() => domain.addHttpApi(httpApi(stack, 'Orders'))).toThrow(/^BasePathAlreadyMapped: .*domain root/);
  });

  test('throws if the same API stage is added twice', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    const payments = restApi(stack, 'Payments');
    domain.addRestApi(payments, { basePath: 'v1' });

    expect(() => domain.addRestApi(payments, { basePath: 'v2' })).toThrow(/^ApiAlreadyMapped: .*Stack\/Payments/);
  });

  test.each([
    ['contains a space', 'v 1'],
    ['contains a question mark', 'v1?x'],
    ['starts with a slash', '/v1'],
    ['ends with a slash', 'v1/'],
    ['has an empty level', 'orders//v1'],
    ['is empty', ''],
    ['is longer than 300 characters', 'a'.repeat(301)],
  ])('throws if the base path %s', (_, basePath) => {
    const stack = newStack();
    const domain = domainIn(stack);

    expect(() => domain.addRestApi(restApi(stack, 'Payments'), { basePath })).toThrow(/^InvalidBasePath: /);
  });

  test("accepts every character API Gateway documents for base paths ($-_.+!*'())", () => {
    const stack = newStack();
    domainIn(stack).addRestApi(restApi(stack, 'Payments'), { basePath: "a$-_.+!*'()Z9" });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiMappingKey: "a$-_.+!*'()Z9",
    });
  });

  test('throws if the hosted zone does not contain the domain name', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Other', {
      hostedZoneId: 'Z1',
      zoneName: 'example.org',
    });

    expect(
      () => new RegionalCustomDomain(stack, 'ApiDomain', { domainName: 'payments.example.com', hostedZone: zone }),
    ).toThrow(
      /^DomainNotInHostedZone: \[Stack\/ApiDomain\] domain name 'payments.example.com' is not inside hosted zone 'example.org'/,
    );
  });

  test('throws if a hosted zone only shares a suffix with the domain name', () => {
    const stack = newStack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Other', {
      hostedZoneId: 'Z1',
      zoneName: 'ample.com',
    });

    expect(
      () => new RegionalCustomDomain(stack, 'ApiDomain', { domainName: 'payments.example.com', hostedZone: zone }),
    ).toThrow(/^DomainNotInHostedZone: /);
  });

  test('throws if an HTTP API is added to a domain whose security policy is not TLS 1.2', () => {
    const stack = newStack();
    const domain = domainIn(stack, { securityPolicy: apigateway.SecurityPolicy.TLS_1_0 });

    expect(() => domain.addHttpApi(httpApi(stack, 'Orders'))).toThrow(/^SecurityPolicyRejectsHttpApi: .*'TLS_1_0'/);
  });

  test('throws if a multi-level base path is used with TLS 1.0', () => {
    const stack = newStack();
    const domain = domainIn(stack, { securityPolicy: apigateway.SecurityPolicy.TLS_1_0 });

    expect(() => domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'orders/v1' })).toThrow(
      /^MultiLevelBasePathNeedsTls12: /,
    );
  });

  test('throws if a REST API without a deployment stage is added without a stage', () => {
    const stack = newStack();
    const api = restApi(stack, 'Payments', { deploy: false });

    expect(() => domainIn(stack).addRestApi(api)).toThrow(/^StageRequired: .*Stack\/Payments/);
  });

  test('throws if an HTTP API without a default stage is added without a stage', () => {
    const stack = newStack();
    const api = httpApi(stack, 'Orders', { createDefaultStage: false });

    expect(() => domainIn(stack).addHttpApi(api)).toThrow(/^StageRequired: /);
  });

  test('throws if urlFor names a base path that no API is mapped at', () => {
    const stack = newStack();
    const domain = domainIn(stack);
    domain.addRestApi(restApi(stack, 'Payments'), { basePath: 'v1' });
    domain.urlFor('v2');

    expect(() => Template.fromStack(stack)).toThrow(/UrlForUnmappedBasePath: urlFor\('v2'\)/);
  });
});
