import {
  Stack,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, privateRestApi, restApi, vpc } from './helpers';
import { PrivateApiAccess, PrivateCustomDomain } from '../../src/constructs';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/private-1234';

function setup() {
  const stack = newStack();
  const network = vpc(stack);
  const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: false });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);
  const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
    domainName: 'internal.example.com',
    certificate,
    endpoint: access.endpoint,
    vpc: network,
  });
  return { stack, network, access, certificate, domain };
}

function ref(stack: Stack, construct: { node: { defaultChild?: unknown } }) {
  return { Ref: stack.getLogicalId(construct.node.defaultChild as ec2.CfnVPCEndpoint) };
}

describe('PrivateCustomDomain', () => {
  test('creates a PRIVATE DomainNameV2 whose policy allows execute-api:Invoke only from the endpoint', () => {
    const { stack, access, domain } = setup();
    domain.addRestApi(privateRestApi(stack, 'Internal'));

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainNameV2', {
      DomainName: 'internal.example.com',
      CertificateArn: CERT,
      EndpointConfiguration: { Types: ['PRIVATE'], IpAddressType: 'dualstack' },
      SecurityPolicy: 'TLS_1_2',
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringEquals: { 'aws:SourceVpce': ref(stack, access.endpoint) } },
          },
        ],
      },
    });
  });

  test('creates one access association per allowed endpoint', () => {
    const { stack, access, domain } = setup();
    const other = new ec2.InterfaceVpcEndpoint(stack, 'OtherEndpoint', {
      vpc: vpc(stack, 'OtherVpc'),
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    domain.allowEndpoint(other);
    domain.allowEndpoint(other);
    domain.allowEndpoint(access.endpoint);
    domain.addRestApi(privateRestApi(stack, 'Internal'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::DomainNameAccessAssociation', 2);
    const domainArn = { Ref: stack.getLogicalId(domain.resource) };
    for (const endpoint of [access.endpoint, other]) {
      template.hasResourceProperties('AWS::ApiGateway::DomainNameAccessAssociation', {
        DomainNameArn: domainArn,
        AccessAssociationSourceType: 'VPCE',
        AccessAssociationSource: ref(stack, endpoint),
      });
    }
    template.hasResourceProperties('AWS::ApiGateway::DomainNameV2', {
      Policy: {
        Statement: [
          Match.objectLike({
            Condition: { StringEquals: { 'aws:SourceVpce': [ref(stack, access.endpoint), ref(stack, other)] } },
          }),
        ],
      },
    });
  });

  test('publishes an A alias record to the endpoint in a new private hosted zone of the VPC, and no CNAME', () => {
    const { stack, network, access, domain } = setup();
    domain.addRestApi(privateRestApi(stack, 'Internal'));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: 'internal.example.com.',
      VPCs: [{ VPCId: ref(stack, network), VPCRegion: 'eu-west-1' }],
    });
    const dnsEntry = {
      'Fn::Select': [
        0,
        { 'Fn::GetAtt': [stack.getLogicalId(access.endpoint.node.defaultChild as ec2.CfnVPCEndpoint), 'DnsEntries'] },
      ],
    };
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      Name: 'internal.example.com.',
      HostedZoneId: { Ref: Match.stringLikeRegexp('^InternalDomainHostedZone') },
      AliasTarget: {
        HostedZoneId: { 'Fn::Select': [0, { 'Fn::Split': [':', dnsEntry] }] },
        DNSName: { 'Fn::Select': [1, { 'Fn::Split': [':', dnsEntry] }] },
      },
    });
    expect(template.findResources('AWS::Route53::RecordSet', { Properties: { Type: 'CNAME' } })).toEqual({});
    expect(domain.records.map((r) => r.node.path)).toEqual(['Stack/InternalDomain/AliasRecord']);
  });

  test('maps a private REST API with a BasePathMappingV2 that depends on its stage', () => {
    const { stack, domain } = setup();
    const api = privateRestApi(stack, 'Internal');
    domain.addRestApi(api, { basePath: 'orders' });

    const template = Template.fromStack(stack);
    const stageId = stack.getLogicalId(api.deploymentStage.node.defaultChild as apigateway.CfnStage);
    template.hasResource('AWS::ApiGateway::BasePathMappingV2', {
      Properties: {
        DomainNameArn: { Ref: stack.getLogicalId(domain.resource) },
        RestApiId: ref(stack, api),
        Stage: { Ref: stageId },
        BasePath: 'orders',
      },
      DependsOn: Match.arrayWith([stageId]),
    });
    expect(stack.resolve(domain.urlFor('orders'))).toBe('https://internal.example.com/orders/');
    expect(domain.url).toBe('https://internal.example.com/');
  });

  test("publishes the domain in another VPC through that VPC's endpoint", () => {
    const { stack, domain } = setup();
    const otherVpc = vpc(stack, 'OtherVpc');
    const other = new PrivateApiAccess(stack, 'OtherAccess', { vpc: otherVpc, privateDnsEnabled: false });
    const added = domain.addVpc(otherVpc, other.endpoint);
    domain.addRestApi(privateRestApi(stack, 'Internal'));
    expect(domain.records).toEqual([domain.node.findChild('AliasRecord'), added]);
    expect(added.node.path).toBe('Stack/InternalDomain/AliasRecordStackOtherVpcC69CFA82');

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HostedZone', 2);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: 'internal.example.com.',
      VPCs: [{ VPCId: ref(stack, otherVpc), VPCRegion: 'eu-west-1' }],
    });
    template.resourceCountIs('AWS::ApiGateway::DomainNameAccessAssociation', 2);
    const entry = {
      'Fn::Select': [
        0,
        { 'Fn::GetAtt': [stack.getLogicalId(other.endpoint.node.defaultChild as ec2.CfnVPCEndpoint), 'DnsEntries'] },
      ],
    };
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      AliasTarget: Match.objectLike({ DNSName: { 'Fn::Select': [1, { 'Fn::Split': [':', entry] }] } }),
    });
  });

  test('uses the given private hosted zone', () => {
    const stack = newStack();
    const network = vpc(stack);
    const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'example.com', vpc: network });
    const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: true });
    const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
      domainName: 'internal.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
      endpoint: access.endpoint,
      hostedZone: zone,
    });
    domain.addRestApi(privateRestApi(stack, 'Internal'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: stack.getLogicalId(zone.node.defaultChild as route53.CfnHostedZone) },
    });
  });

  test('throws if the API is not private', () => {
    const { stack, domain } = setup();

    expect(() =>
      domain.addRestApi(restApi(stack, 'Public', { endpointTypes: [apigateway.EndpointType.REGIONAL] })),
    ).toThrow(/^ApiNotPrivate: \[Stack\/InternalDomain\] /);
  });

  test('throws if a base path is mapped twice', () => {
    const { stack, domain } = setup();
    domain.addRestApi(privateRestApi(stack, 'One'), { basePath: 'v1' });

    expect(() => domain.addRestApi(privateRestApi(stack, 'Two'), { basePath: 'v1' })).toThrow(
      /^BasePathAlreadyMapped: /,
    );
  });

  test('throws if the same API stage is added twice', () => {
    const { stack, domain } = setup();
    const api = privateRestApi(stack, 'One');
    domain.addRestApi(api, { basePath: 'v1' });

    expect(() => domain.addRestApi(api, { basePath: 'v2' })).toThrow(/^ApiAlreadyMapped: /);
  });

  test('throws if a base path has characters API Gateway rejects', () => {
    const { stack, domain } = setup();

    expect(() => domain.addRestApi(privateRestApi(stack, 'One'), { basePath: 'a b' })).toThrow(/^InvalidBasePath: /);
  });

  test('throws if neither a VPC nor a hosted zone is given', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });

    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
          endpoint: access.endpoint,
        }),
    ).toThrow(/^VpcOrHostedZoneRequired: /);
  });

  test('throws if the endpoint is imported', () => {
    const stack = newStack();
    const endpoint = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Imported', {
      vpcEndpointId: 'vpce-1234',
      port: 443,
    });

    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
          endpoint,
          vpc: vpc(stack),
        }),
    ).toThrow(/^EndpointDnsUnknown: .*Stack\/Imported/);
  });

  test('throws if the domain name has upper-case letters', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });

    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'Internal.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
          endpoint: access.endpoint,
          vpc: vpc(stack, 'Other'),
        }),
    ).toThrow(/^DomainNameHasUppercase: /);
  });

  test('throws if the hosted zone does not contain the domain name', () => {
    const stack = newStack();
    const network = vpc(stack);
    const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: false });

    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT),
          endpoint: access.endpoint,
          hostedZone: new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'corp.internal', vpc: network }),
        }),
    ).toThrow(/^DomainNotInHostedZone: /);
  });

  test('throws if urlFor names a base path that no API is mapped at', () => {
    const { stack, domain } = setup();
    domain.addRestApi(privateRestApi(stack, 'One'), { basePath: 'v1' });
    domain.urlFor('nope');

    expect(() => Template.fromStack(stack)).toThrow(/UrlForUnmappedBasePath: urlFor\('nope'\)/);
  });
});
