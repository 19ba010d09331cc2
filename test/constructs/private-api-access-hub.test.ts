// PrivateApiAccess with an endpoint that lives elsewhere (endpointDns) and addApiZone (hub and spoke).
import { App, CfnParameter, Stack, aws_apigateway as apigateway, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV, newStack, privateRestApi, restApi, vpc } from './helpers';
import { PrivateApiAccess } from '../../src/constructs';
import { HINTS_METADATA_KEY } from '../../src/hints-metadata';

const HUB_DNS = {
  dnsName: 'vpce-0a1b2c3d4e5f67890-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com',
  hostedZoneId: 'Z2HUBZONE00001',
};

function importedHub(stack: Stack): ec2.IInterfaceVpcEndpoint {
  return ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Hub', {
    vpcEndpointId: 'vpce-0a1b2c3d4e5f67890',
    port: 443,
  });
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as ec2.CfnVPCEndpoint);
}

describe('PrivateApiAccess.addApiZone', () => {
  test("creates a private zone named after the API's default hostname, associated with the VPCs, aliased to the endpoint", () => {
    const stack = newStack();
    const hub = vpc(stack, 'HubVpc');
    const spoke = vpc(stack, 'SpokeVpc');
    const access = new PrivateApiAccess(stack, 'Access', { vpc: hub, privateDnsEnabled: false });
    const api = privateRestApi(stack, 'Internal');

    access.addApiZone(api, { vpcs: [spoke] });

    const template = Template.fromStack(stack);
    const zoneName = {
      'Fn::Join': [
        '',
        [
          { Ref: stack.getLogicalId(api.node.defaultChild as apigateway.CfnRestApi) },
          '.execute-api.eu-west-1.',
          { Ref: 'AWS::URLSuffix' },
          '.',
        ],
      ],
    };
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: zoneName,
      VPCs: [{ VPCId: { Ref: stack.getLogicalId(spoke.node.defaultChild as ec2.CfnVPC) }, VPCRegion: 'eu-west-1' }],
    });
    const entry = { 'Fn::Select': [0, { 'Fn::GetAtt': [logicalId(stack, access.endpoint), 'DnsEntries'] }] };
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      Name: zoneName,
      AliasTarget: {
        DNSName: { 'Fn::Select': [1, { 'Fn::Split': [':', entry] }] },
        HostedZoneId: { 'Fn::Select': [0, { 'Fn::Split': [':', entry] }] },
      },
    });
  });

  test('a second call for the same API associates the same zone with more VPCs', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack, 'HubVpc'), privateDnsEnabled: false });
    const api = privateRestApi(stack, 'Internal');
    const first = access.addApiZone(api, { vpcs: [vpc(stack, 'SpokeA')] });
    const second = access.addApiZone(api, { vpcs: [vpc(stack, 'SpokeB'), vpc(stack, 'SpokeC')] });

    expect(second).toBe(first);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      VPCs: [Match.anyValue(), Match.anyValue(), Match.anyValue()],
    });
  });

  test('one zone per API', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack, 'HubVpc'), privateDnsEnabled: false });
    const spoke = vpc(stack, 'SpokeVpc');
    access.addApiZone(privateRestApi(stack, 'Orders'), { vpcs: [spoke] });
    access.addApiZone(privateRestApi(stack, 'Billing'), { vpcs: [spoke] });

    Template.fromStack(stack).resourceCountIs('AWS::Route53::HostedZone', 2);
  });

  test('an API imported by a literal id gets a literal zone name, and the endpoint records it as private', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack, 'HubVpc'), privateDnsEnabled: false });
    access.addApiZone(apigateway.RestApi.fromRestApiId(stack, 'Partner', 'a1b2c3d4e5'), {
      vpcs: [vpc(stack, 'Spoke')],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: { 'Fn::Join': ['', ['a1b2c3d4e5.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '.']] },
    });
    template.hasResource('AWS::EC2::VPCEndpoint', {
      Metadata: { [HINTS_METADATA_KEY]: { privateApis: ['a1b2c3d4e5'] } },
    });
  });

  test('an imported hub endpoint with endpointDns: the alias points at the given DNS name and zone', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'HubAccess', {
      endpoint: importedHub(stack),
      endpointDns: HUB_DNS,
      privateDnsEnabled: false,
    });
    const api = privateRestApi(stack, 'Internal');
    access.allow(api);
    access.addApiZone(api, { vpcs: [vpc(stack, 'Spoke')] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Type: 'A',
      AliasTarget: { DNSName: HUB_DNS.dnsName, HostedZoneId: HUB_DNS.hostedZoneId },
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f67890' } } }),
        ]),
      },
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] },
    });
  });

  test('works across stacks: the zone sits in the stack of the access, the endpoint and spoke VPC in another', () => {
    const app = new App();
    const net = new Stack(app, 'Net', { env: ENV });
    const hub = new ec2.InterfaceVpcEndpoint(net, 'HubEndpoint', {
      vpc: vpc(net, 'HubVpc'),
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    const spoke = vpc(net, 'SpokeVpc');
    const svc = new Stack(app, 'Svc', { env: ENV });
    const access = new PrivateApiAccess(svc, 'HubAccess', { endpoint: hub, privateDnsEnabled: false });
    access.addApiZone(privateRestApi(svc, 'Internal'), { vpcs: [spoke] });

    const template = Template.fromStack(svc);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      VPCs: [{ VPCId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Net:') }, VPCRegion: 'eu-west-1' }],
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
  });

  test('throws for an imported endpoint without endpointDns', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'HubAccess', { endpoint: importedHub(stack), privateDnsEnabled: false });

    expect(() => access.addApiZone(privateRestApi(stack, 'Internal'), { vpcs: [vpc(stack)] })).toThrow(
      /^EndpointDnsUnknown: \[Stack\/HubAccess\] endpoint 'Stack\/Hub' is imported/,
    );
  });

  test('throws for a public API, whose default hostname would then break in the VPCs', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack, 'HubVpc'), privateDnsEnabled: false });
    const api = restApi(stack, 'Public', { endpointTypes: [apigateway.EndpointType.REGIONAL] });

    expect(() => access.addApiZone(api, { vpcs: [vpc(stack, 'Spoke')] })).toThrow(/^ApiNotPrivate: .*addApiZone/);
  });

  test('throws when no VPC is given', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });

    expect(() => access.addApiZone(privateRestApi(stack, 'Internal'), { vpcs: [] })).toThrow(/^ApiZoneWithoutVpc: /);
  });
});

describe('PrivateApiAccess endpointDns', () => {
  test('throws when given without an endpoint', () => {
    const stack = newStack();
    expect(
      () => new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), endpointDns: HUB_DNS, privateDnsEnabled: false }),
    ).toThrow(/^EndpointDnsWithoutEndpoint: \[Stack\/Access\]/);
  });

  test('throws when given for an endpoint defined in this app', () => {
    const stack = newStack();
    const endpoint = vpc(stack).addInterfaceEndpoint('ExecuteApi', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    expect(
      () => new PrivateApiAccess(stack, 'Access', { endpoint, endpointDns: HUB_DNS, privateDnsEnabled: false }),
    ).toThrow(/^EndpointDnsNotNeeded: .*'Stack\/Vpc\/ExecuteApi'/);
  });

  test("throws when dnsName is not an execute-api endpoint's", () => {
    const stack = newStack();
    expect(
      () =>
        new PrivateApiAccess(stack, 'Access', {
          endpoint: importedHub(stack),
          endpointDns: {
            dnsName: 'vpce-0a1b2c3d4e5f67890-abcdefgh.s3.eu-west-1.vpce.amazonaws.com',
            hostedZoneId: 'Z1',
          },
          privateDnsEnabled: false,
        }),
    ).toThrow(/^EndpointDnsNotExecuteApi: .*s3\.eu-west-1/);
  });

  test('accepts a zonal DNS name and a DNS name that is a token (a parameter)', () => {
    const stack = newStack();
    const zonal = 'vpce-0a1b2c3d4e5f67890-abcdefgh-eu-west-1a.execute-api.eu-west-1.vpce.amazonaws.com';
    const access = new PrivateApiAccess(stack, 'Zonal', {
      endpoint: importedHub(stack),
      endpointDns: { dnsName: zonal, hostedZoneId: 'Z1' },
      privateDnsEnabled: false,
    });
    const param = new CfnParameter(stack, 'HubDns', { type: 'String' });
    const other = new PrivateApiAccess(stack, 'FromParameter', {
      endpoint: ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Other', {
        vpcEndpointId: 'vpce-1',
        port: 443,
      }),
      endpointDns: { dnsName: param.valueAsString, hostedZoneId: 'Z1' },
      privateDnsEnabled: false,
    });
    access.addApiZone(privateRestApi(stack, 'A'), { vpcs: [vpc(stack, 'SpokeA')] });
    other.addApiZone(privateRestApi(stack, 'B'), { vpcs: [vpc(stack, 'SpokeB')] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { AliasTarget: { DNSName: zonal, HostedZoneId: 'Z1' } });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      AliasTarget: { DNSName: { Ref: 'HubDns' }, HostedZoneId: 'Z1' },
    });
  });
});
