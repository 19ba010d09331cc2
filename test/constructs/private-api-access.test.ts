import * as fs from 'fs';
import * as path from 'path';
import { Fn, Stack, aws_apigateway as apigateway, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, privateRestApi, restApi, vpc } from './helpers';
import { PrivateApiAccess } from '../../src/constructs';
import { HINTS_METADATA_KEY as FACTS_KEY } from '../../src/facts/calls';
import { HINTS_METADATA_KEY } from '../../src/hints-metadata';

function endpointRef(stack: Stack, access: PrivateApiAccess) {
  return { Ref: stack.getLogicalId(access.endpoint.node.defaultChild as ec2.CfnVPCEndpoint) };
}

function apiRef(stack: Stack, api: apigateway.IRestApi) {
  return { Ref: stack.getLogicalId(api.node.defaultChild as apigateway.CfnRestApi) };
}

const allowFrom = (endpoint: unknown, resource = 'execute-api:/*') => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: resource,
  Condition: { StringEquals: { 'aws:SourceVpce': endpoint } },
});

describe('PrivateApiAccess', () => {
  test.each([true, false])(
    'creates the execute-api interface endpoint with PrivateDnsEnabled written out (%s)',
    (privateDnsEnabled) => {
      const stack = newStack();
      new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.eu-west-1.execute-api',
        PrivateDnsEnabled: privateDnsEnabled,
      });
    },
  );

  test('adds a statement allowing execute-api:Invoke from the endpoint to the API resource policy', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = privateRestApi(stack, 'Internal');
    access.allow(api);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: Match.absent() },
      Policy: { Version: '2012-10-17', Statement: [allowFrom(endpointRef(stack, access))] },
    });
  });

  test('keeps the statements of the API policy, also those added after allow()', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const deny = new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*/DELETE/*'],
    });
    const api = privateRestApi(stack, 'Internal', { policy: new iam.PolicyDocument({ statements: [deny] }) });
    access.allow(api);
    api.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AccountRootPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*/GET/*'],
      }),
    );

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Resource: 'execute-api:/*/DELETE/*' }),
          Match.objectLike({ Effect: 'Allow', Resource: 'execute-api:/*/GET/*' }),
          allowFrom(endpointRef(stack, access)),
        ],
      },
    });
  });

  test('associates the endpoint with the API and returns the endpoint-specific URL when private DNS is off', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });
    const api = privateRestApi(stack, 'Internal');
    const url = access.allow(api);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [endpointRef(stack, access)] },
    });
    expect(stack.resolve(url)).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          apiRef(stack, api),
          '-',
          endpointRef(stack, access),
          '.execute-api.eu-west-1.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: stack.getLogicalId(api.deploymentStage.node.defaultChild as apigateway.CfnStage) },
          '/',
        ],
      ],
    });
  });

  test("returns the API's default URL and does not associate the endpoint when private DNS is on", () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = privateRestApi(stack, 'Internal');
    const url = access.allow(api);

    expect(stack.resolve(url)).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          apiRef(stack, api),
          '.execute-api.eu-west-1.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: stack.getLogicalId(api.deploymentStage.node.defaultChild as apigateway.CfnStage) },
          '/',
        ],
      ],
    });
  });

  test('associates the endpoint when asked even with private DNS on', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    access.allow(privateRestApi(stack, 'Internal'), { associateEndpoint: true });

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { VpcEndpointIds: [endpointRef(stack, access)] },
    });
  });

  test('limits the statement to the given stage and returns its URL', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = privateRestApi(stack, 'Internal', { deployOptions: { stageName: 'live' } });
    const url = access.allow(api, { stage: api.deploymentStage });

    const stageRef = { Ref: stack.getLogicalId(api.deploymentStage.node.defaultChild as apigateway.CfnStage) };
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: { Statement: [allowFrom(endpointRef(stack, access), 'execute-api:/live/*')] },
    });
    expect(JSON.stringify(stack.resolve(url))).toContain(JSON.stringify(stageRef));
  });

  test('lets two accesses (two VPCs) allow the same API, keeping the ids the API was created with', () => {
    const stack = newStack();
    const existing = new ec2.InterfaceVpcEndpoint(stack, 'Existing', {
      vpc: vpc(stack, 'Shared'),
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: false,
    });
    const api = restApi(stack, 'Internal', {
      endpointConfiguration: { types: [apigateway.EndpointType.PRIVATE], vpcEndpoints: [existing] },
    });
    const one = new PrivateApiAccess(stack, 'One', { vpc: vpc(stack, 'VpcOne'), privateDnsEnabled: false });
    const two = new PrivateApiAccess(stack, 'Two', { vpc: vpc(stack, 'VpcTwo'), privateDnsEnabled: false });
    one.allow(api);
    two.allow(api);
    two.allow(api);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: {
        VpcEndpointIds: [
          { Ref: stack.getLogicalId(existing.node.defaultChild as ec2.CfnVPCEndpoint) },
          endpointRef(stack, one),
          endpointRef(stack, two),
        ],
      },
      Policy: { Statement: [allowFrom(endpointRef(stack, one)), allowFrom(endpointRef(stack, two))] },
    });
  });

  test('allows a SpecRestApi', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = new apigateway.SpecRestApi(stack, 'Spec', {
      apiDefinition: apigateway.ApiDefinition.fromInline({ openapi: '3.0.2', paths: {} }),
      endpointTypes: [apigateway.EndpointType.PRIVATE],
    });
    access.allow(api);

    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: { Statement: [allowFrom(endpointRef(stack, access))] },
    });
  });

  test('adopts an existing endpoint instead of creating one', () => {
    const stack = newStack();
    const endpoint = new ec2.InterfaceVpcEndpoint(stack, 'Endpoint', {
      vpc: vpc(stack),
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    });
    const access = new PrivateApiAccess(stack, 'Access', { endpoint, privateDnsEnabled: true });
    access.allow(privateRestApi(stack, 'Internal'));

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    expect(access.endpoint).toBe(endpoint);
  });

  test('gives the URL of an imported private API without changing it', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });
    const api = apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123');

    expect(stack.resolve(access.urlFor(api, 'prod'))).toEqual({
      'Fn::Join': [
        '',
        ['https://abc123-', endpointRef(stack, access), '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/prod/'],
      ],
    });
  });

  test("records the imported API's id on the endpoint, as a private API, for the checks to read", () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    access.urlFor(apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123'), 'prod');
    access.urlFor(apigateway.RestApi.fromRestApiId(stack, 'Again', 'abc123'), 'test');
    access.urlFor(apigateway.RestApi.fromRestApiId(stack, 'Other', 'def456'), 'prod');

    const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
    expect(Object.values(endpoints).map((e) => e.Metadata)).toEqual([
      { 'cdk-api-reachability': { privateApis: ['abc123', 'def456'] } },
    ]);
    expect(HINTS_METADATA_KEY).toBe('cdk-api-reachability');
    expect(FACTS_KEY).toBe(HINTS_METADATA_KEY); // the facts read the key the constructs write
  });

  test('the constructs import nothing from the engine, only the metadata module that imports nothing', () => {
    const dir = path.join(__dirname, '../../src/constructs');
    const outside = fs
      .readdirSync(dir)
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)])
      .map((m) => m[1]);
    expect([...new Set(outside)]).toEqual(['../hints-metadata']);
    const shared = fs.readFileSync(path.join(__dirname, '../../src/hints-metadata.ts'), 'utf8');
    expect(shared).not.toMatch(/^import /m);
  });

  test('records nothing for an API of the app, an id that is a token, or an endpoint that is not in the app', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    access.allow(privateRestApi(stack, 'Internal'));
    access.urlFor(apigateway.RestApi.fromRestApiId(stack, 'Token', Fn.importValue('PartnerApiId')), 'prod');
    const adopted = new PrivateApiAccess(stack, 'Adopted', {
      endpoint: ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Shared', {
        vpcEndpointId: 'vpce-0123456789abcdef0',
        port: 443,
      }),
      privateDnsEnabled: true,
    });
    adopted.urlFor(apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123'), 'prod');

    const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
    expect(Object.values(endpoints).map((e) => e.Metadata)).toEqual([undefined]);
  });

  test('throws if the API is REGIONAL', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = restApi(stack, 'Public', { endpointTypes: [apigateway.EndpointType.REGIONAL] });

    expect(() => access.allow(api)).toThrow(
      /^ApiNotPrivate: \[Stack\/Access\] API 'Stack\/Public' has endpoint type REGIONAL/,
    );
  });

  test('throws if the API has no endpoint configuration (EDGE)', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });

    expect(() => access.allow(restApi(stack, 'Public'))).toThrow(/^ApiNotPrivate: .*EDGE/);
  });

  test('throws if the API is imported', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123');

    expect(() => access.allow(api)).toThrow(/^ImportedApiCannotTakePolicy: .*Stack\/Imported/);
  });

  test('throws if neither a VPC nor an endpoint is given', () => {
    const stack = newStack();

    expect(() => new PrivateApiAccess(stack, 'Access', { privateDnsEnabled: true })).toThrow(
      /^VpcOrEndpointRequired: /,
    );
  });

  test('throws if the adopted endpoint has another private DNS setting', () => {
    const stack = newStack();
    const endpoint = new ec2.InterfaceVpcEndpoint(stack, 'Endpoint', {
      vpc: vpc(stack),
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
    });

    expect(() => new PrivateApiAccess(stack, 'Access', { endpoint, privateDnsEnabled: false })).toThrow(
      /^PrivateDnsMismatch: .*private DNS on/,
    );
  });

  test('throws if the adopted endpoint is not for execute-api', () => {
    const stack = newStack();
    const endpoint = new ec2.InterfaceVpcEndpoint(stack, 'Endpoint', {
      vpc: vpc(stack),
      service: ec2.InterfaceVpcEndpointAwsService.SQS,
      privateDnsEnabled: false,
    });

    expect(() => new PrivateApiAccess(stack, 'Access', { endpoint, privateDnsEnabled: false })).toThrow(
      /^NotAnExecuteApiEndpoint: /,
    );
  });

  test('throws if the endpoint association is turned off while private DNS is off', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: false });

    expect(() => access.allow(privateRestApi(stack, 'Internal'), { associateEndpoint: false })).toThrow(
      /^EndpointAssociationRequired: /,
    );
  });

  test('throws if the API policy is a CloudFormation expression', () => {
    const stack = newStack();
    const access = new PrivateApiAccess(stack, 'Access', { vpc: vpc(stack), privateDnsEnabled: true });
    const api = privateRestApi(stack, 'Internal');
    (api.node.defaultChild as apigateway.CfnRestApi).policy = { 'Fn::ImportValue': 'SharedPolicy' };

    expect(() => access.allow(api)).toThrow(/^ApiPolicyNotMergeable: /);
  });
});
