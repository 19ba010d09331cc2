// PrivateCustomDomain with an endpoint that lives elsewhere: a hub's (endpointDns) or another account's
// (createAccessAssociation: false).
import { Stack, aws_certificatemanager as acm, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, privateRestApi, vpc } from './helpers';
import { PrivateApiAccess, PrivateCustomDomain } from '../../src/constructs';
import { HINTS_METADATA_KEY } from '../../src/hints-metadata';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/private-1234';
const HUB_ID = 'vpce-0a1b2c3d4e5f67890';
const HUB_DNS = {
  dnsName: 'vpce-0a1b2c3d4e5f67890-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com',
  hostedZoneId: 'Z2HUBZONE00001',
};

function imported(stack: Stack, id = 'Hub', vpcEndpointId = HUB_ID): ec2.IInterfaceVpcEndpoint {
  return ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, id, { vpcEndpointId, port: 443 });
}

function certificate(stack: Stack) {
  return acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);
}

describe('PrivateCustomDomain with an imported endpoint', () => {
  test('endpointDns: the alias record points at the given DNS name, and the endpoint is allowed and associated', () => {
    const stack = newStack();
    const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
      domainName: 'internal.example.com',
      certificate: certificate(stack),
      endpoint: imported(stack),
      endpointDns: HUB_DNS,
      vpc: vpc(stack, 'Spoke'),
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'internal.example.com.',
      Type: 'A',
      AliasTarget: { DNSName: HUB_DNS.dnsName, HostedZoneId: HUB_DNS.hostedZoneId },
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainNameAccessAssociation', {
      AccessAssociationSource: HUB_ID,
      AccessAssociationSourceType: 'VPCE',
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainNameV2', {
      Policy: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:SourceVpce': HUB_ID } } })] },
    });
    expect(domain.hostedZone).toBeDefined();
    expect(domain.records).toHaveLength(1);
  });

  test('throws EndpointDnsUnknown without endpointDns, naming the fix', () => {
    const stack = newStack();
    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: certificate(stack),
          endpoint: imported(stack),
          vpc: vpc(stack),
        }),
    ).toThrow(/^EndpointDnsUnknown: .*Fix: Pass `endpointDns`/);
  });

  test('throws EndpointDnsNotNeeded for endpointDns with an endpoint of this app', () => {
    const stack = newStack();
    const network = vpc(stack);
    const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: false });
    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: certificate(stack),
          endpoint: access.endpoint,
          endpointDns: HUB_DNS,
          vpc: network,
        }),
    ).toThrow(/^EndpointDnsNotNeeded: /);
  });

  test('addVpc with a hub endpoint: a zone for the spoke VPC, aliased to the hub endpoint, which is associated', () => {
    const stack = newStack();
    const network = vpc(stack, 'Hub');
    const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: false });
    const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
      domainName: 'internal.example.com',
      certificate: certificate(stack),
      endpoint: access.endpoint,
      vpc: network,
    });
    domain.addVpc(vpc(stack, 'Spoke'), imported(stack, 'SharedHub'), HUB_DNS);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HostedZone', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      AliasTarget: { DNSName: HUB_DNS.dnsName, HostedZoneId: HUB_DNS.hostedZoneId },
    });
    template.resourceCountIs('AWS::ApiGateway::DomainNameAccessAssociation', 2);
    expect(domain.records).toHaveLength(2);
  });

  test('addVpc with an imported endpoint and no endpointDns throws EndpointDnsUnknown and creates nothing', () => {
    const stack = newStack();
    const network = vpc(stack, 'Hub');
    const access = new PrivateApiAccess(stack, 'Access', { vpc: network, privateDnsEnabled: false });
    const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
      domainName: 'internal.example.com',
      certificate: certificate(stack),
      endpoint: access.endpoint,
      vpc: network,
    });

    expect(() => domain.addVpc(vpc(stack, 'Spoke'), imported(stack, 'SharedHub'))).toThrow(/^EndpointDnsUnknown: /);
    Template.fromStack(stack).resourceCountIs('AWS::Route53::HostedZone', 1);
  });
});

describe('PrivateCustomDomain for another account (createAccessAssociation: false)', () => {
  function consumerDomain(stack: Stack, props: { vpc?: ec2.IVpc } = {}) {
    const domain = new PrivateCustomDomain(stack, 'InternalDomain', {
      domainName: 'internal.example.com',
      certificate: certificate(stack),
      endpoint: imported(stack, 'Consumer', 'vpce-0ccc1111222233334'),
      createAccessAssociation: false,
      ...props,
    });
    domain.addRestApi(privateRestApi(stack, 'Internal'), { basePath: 'orders' });
    return domain;
  }

  test("creates no access association, allows the endpoint in the domain's policy, and says so in the metadata", () => {
    const stack = newStack();
    const domain = consumerDomain(stack);

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::DomainNameAccessAssociation', 0);
    template.hasResource('AWS::ApiGateway::DomainNameV2', {
      Properties: {
        Policy: {
          Statement: [
            Match.objectLike({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0ccc1111222233334' } } }),
          ],
        },
      },
      Metadata: { [HINTS_METADATA_KEY]: { externalAccessAssociations: ['vpce-0ccc1111222233334'] } },
    });
    // Neither vpc nor hostedZone: the consumer publishes the name in its own VPC.
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(domain.hostedZone).toBeUndefined();
    expect(domain.records).toEqual([]);
  });

  test('with a vpc, still publishes the name there (an alias to the endpoint needs endpointDns when imported)', () => {
    const stack = newStack();
    expect(() => consumerDomain(stack, { vpc: vpc(stack) })).toThrow(/^EndpointDnsUnknown: /);
  });

  test('endpoints added with allowEndpoint still get their association', () => {
    const stack = newStack();
    const domain = consumerDomain(stack);
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });
    domain.allowEndpoint(access.endpoint);

    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::DomainNameAccessAssociation', 1);
  });

  test('without it, neither vpc nor hostedZone still throws VpcOrHostedZoneRequired', () => {
    const stack = newStack();
    expect(
      () =>
        new PrivateCustomDomain(stack, 'InternalDomain', {
          domainName: 'internal.example.com',
          certificate: certificate(stack),
          endpoint: imported(stack),
          endpointDns: HUB_DNS,
        }),
    ).toThrow(/^VpcOrHostedZoneRequired: .*createAccessAssociation: false/);
  });
});
