/**
 * SAM and its translation say the same thing: each fixture of test/fixtures/templates/sam/ is a SAM
 * template (`<name>.sam.yaml`) written from the SAM specification, next to the CloudFormation the
 * transform writes for it (`<name>.cfn.yaml`, written from the documented transform). The engine must
 * report the same findings (rule, resource, other end) on both, and on the SAM form a finding on a
 * resource the transform makes names the SAM resource the user wrote.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { analyzeRawStacks, analyzeTemplateFiles } from '../../src/engine';
import { Finding } from '../../src/finding';
import { templateStack } from '../fixtures/helpers';

const DIR = path.resolve(__dirname, '../fixtures/templates/sam');

/** (rule, resource, other end) with the stack's key (the file name) cut off. */
function placed(file: string): string[][] {
  const stack = path.basename(file).replace(/\.ya?ml$/, '');
  const cut = (id: string) => (id.startsWith(`${stack}/`) ? id.slice(stack.length + 1) : id);
  return analyzeTemplateFiles([file]).findings.map((f) => [f.ruleName, f.resource.logicalId, cut(f.findingId)]);
}

const samFile = (name: string) => path.join(DIR, `${name}.sam.yaml`);
const cfnFile = (name: string) => path.join(DIR, `${name}.cfn.yaml`);

describe('SAM templates and their translated CloudFormation give the same findings', () => {
  test.each<[string, string[][]]>([
    ['implicit-iam-caller', [['IamAuthCallerNotGranted', 'Caller', 'ServerlessRestApi']]],
    ['api-keys', [['ApiKeyWithoutUsagePlan', 'Keyed', 'Keyed/v1']]],
    ['private-policy', [['PrivateApiWithoutResourcePolicy', 'Empty', 'Empty']]],
    ['policy-statements', [['ResourcePolicyDeniesAll', 'Closed', 'Closed']]],
    ['http-iam', [['IamAuthCallerNotGranted', 'Caller', 'ServerlessHttpApi']]],
    [
      'websocket',
      [
        ['DefaultEndpointDisabledButCalled', 'Caller', 'Chat'],
        ['PrivateDnsShadowsPublicApi', 'Caller', 'Chat'],
        ['DefaultEndpointDisabledButCalled', 'Chat', 'Chat'],
      ],
    ],
    ['route53-private-zone', [['PrivateZoneHidesHostname', 'PetsCaller', 'ApiGatewayDomainName624f502b3c']]],
    [
      'dual-stack-policy',
      [
        ['DualStackPolicyIpv4Only', 'Orders', 'Orders'],
        ['DualStackPolicyIpv4Only', 'Pets', 'ApiGatewayDomainName624f502b3c'],
      ],
    ],
  ])('%s', (name, expected) => {
    expect(placed(samFile(name))).toEqual(expected);
    expect(placed(cfnFile(name))).toEqual(expected);
  });

  test('a finding on SAM’s implicit API names the function and event that made it', () => {
    const [f] = analyzeTemplateFiles([samFile('implicit-iam-caller')]).findings;
    expect(f.relatedResources.find((r) => r.logicalId === 'ServerlessRestApi')?.origin).toEqual({
      logicalId: 'Backend',
      property: 'Properties.Events.GetOrders',
    });
    expect(f.message).toContain(
      'ServerlessRestApi (EDGE) (made by SAM from implicit-iam-caller.sam/Backend, Properties.Events.GetOrders)',
    );
    // The translated template wrote ServerlessRestApi itself: no origin.
    const [g] = analyzeTemplateFiles([cfnFile('implicit-iam-caller')]).findings;
    expect(g.relatedResources.find((r) => r.logicalId === 'ServerlessRestApi')?.origin).toBeUndefined();
  });
});

/** The findings (rule, resource, message id) of one inline SAM template. */
function samFindings(resources: Record<string, unknown>): Array<[string, string, string]> {
  return analyzeRawStacks([templateStack(resources)]).findings.map((f: Finding) => [
    f.ruleName,
    f.resource.logicalId,
    f.messageId,
  ]);
}

const fn = (events: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Serverless::Function',
  Properties: { Runtime: 'python3.12', Handler: 'app.handler', CodeUri: 'src/', Events: events, ...extra },
});
const event = (api: string | undefined, auth?: Record<string, unknown>, p = '/a', method = 'get') => ({
  Type: 'Api',
  Properties: { ...(api ? { RestApiId: { Ref: api } } : {}), Path: p, Method: method, ...(auth ? { Auth: auth } : {}) },
});
const samApi = (props: Record<string, unknown>) => ({
  Type: 'AWS::Serverless::Api',
  Properties: { StageName: 'prod', ...props },
});

describe('SAM Auth, failing cases, fixes and near misses', () => {
  describe('ApiKeyWithoutUsagePlan', () => {
    test('reports an event that requires a key on the implicit API, on its stage Prod only', () => {
      expect(samFindings({ Fn: fn({ E: event(undefined, { ApiKeyRequired: true }) }) })).toEqual([
        ['ApiKeyWithoutUsagePlan', 'ServerlessRestApi', 'noPlan'],
      ]);
    });
    test.each<[string, Record<string, unknown>]>([
      ['PER_API', { CreateUsagePlan: 'PER_API' }],
      ['SHARED', { CreateUsagePlan: 'SHARED' }],
      ['a parameter (SAM resolves it; the plan is unknown)', { CreateUsagePlan: { Ref: 'AWS::NoSuchParameter' } }],
    ])('passes after Auth.UsagePlan %s', (_, plan) => {
      const resources = {
        Api: samApi({ Auth: { ApiKeyRequired: true, UsagePlan: plan } }),
        Fn: fn({ E: event('Api') }),
      };
      expect(samFindings(resources)).toEqual([]);
    });
    test.each<[string, Record<string, unknown>]>([
      [
        'CreateUsagePlan NONE',
        {
          Api: samApi({ Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: 'NONE' } } }),
          Fn: fn({ E: event('Api') }),
        },
      ],
      ['the API requires keys', { Api: samApi({ Auth: { ApiKeyRequired: true } }), Fn: fn({ E: event('Api') }) }],
    ])('reports when %s and no plan is made', (_, resources) => {
      expect(samFindings(resources)).toEqual([['ApiKeyWithoutUsagePlan', 'Api', 'noPlan']]);
    });
    test.each<[string, Record<string, unknown>]>([
      [
        'the event opts out (ApiKeyRequired: false)',
        { Api: samApi({ Auth: { ApiKeyRequired: true } }), Fn: fn({ E: event('Api', { ApiKeyRequired: false }) }) },
      ],
      ['no method requires a key', { Api: samApi({}), Fn: fn({ E: event('Api') }) }],
      [
        'the event names an API that is not SAM’s (SAM adds nothing to it)',
        { Fn: fn({ E: event('Other', { ApiKeyRequired: true }) }), Other: { Type: 'AWS::ApiGateway::RestApi' } },
      ],
      ['the API’s definition is in S3', { Api: samApi({ DefinitionUri: 's3://b/k', Auth: { ApiKeyRequired: true } }) }],
    ])('stays silent when %s', (_, resources) => {
      expect(samFindings(resources)).toEqual([]);
    });
  });

  describe('ResourcePolicyExcludesAnonymous and ResourcePolicyDeniesAll', () => {
    const account = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    };
    test('reports a policy that allows only an account, on methods without authorization', () => {
      const resources = {
        Api: samApi({ Auth: { ResourcePolicy: { CustomStatements: [account] } } }),
        Fn: fn({ E: event('Api') }),
      };
      expect(samFindings(resources)).toEqual([['ResourcePolicyExcludesAnonymous', 'Api', 'anonymousDenied']]);
    });
    test('stays silent once the methods are signed (DefaultAuthorizer AWS_IAM)', () => {
      const resources = {
        Api: samApi({ Auth: { DefaultAuthorizer: 'AWS_IAM', ResourcePolicy: { CustomStatements: [account] } } }),
        Fn: fn({ E: event('Api') }),
      };
      expect(samFindings(resources)).toEqual([]);
    });
    test('reports again when an event opts out of the default authorizer (Authorizer: NONE)', () => {
      const resources = {
        Api: samApi({ Auth: { DefaultAuthorizer: 'AWS_IAM', ResourcePolicy: { CustomStatements: [account] } } }),
        Fn: fn({ E: event('Api', { Authorizer: 'NONE' }) }),
      };
      expect(samFindings(resources)).toEqual([['ResourcePolicyExcludesAnonymous', 'Api', 'anonymousDenied']]);
    });
    test('stays silent behind a Cognito or Lambda authorizer (outside the rule)', () => {
      const resources = {
        Api: samApi({
          Auth: {
            DefaultAuthorizer: 'Pool',
            Authorizers: { Pool: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/x' } },
            ResourcePolicy: { CustomStatements: [account] },
          },
        }),
        Fn: fn({ E: event('Api') }),
      };
      expect(samFindings(resources)).toEqual([]);
    });
    test('reports a CustomStatements Deny of everyone on every method; silent on an IpRangeWhitelist', () => {
      const deny = { ...account, Effect: 'Deny', Principal: '*' };
      expect(
        samFindings({
          Api: samApi({ Auth: { ResourcePolicy: { CustomStatements: deny } } }),
          Fn: fn({ E: event('Api') }),
        }),
      ).toEqual([['ResourcePolicyDeniesAll', 'Api', 'deniesAll']]);
      expect(
        samFindings({
          Api: samApi({ Auth: { ResourcePolicy: { IpRangeWhitelist: ['203.0.113.0/24'] } } }),
          Fn: fn({ E: event('Api') }),
        }),
      ).toEqual([]);
    });
  });

  describe('PrivateApiWithoutResourcePolicy', () => {
    const privateApi = (auth: Record<string, unknown>) =>
      samApi({ EndpointConfiguration: { Type: 'PRIVATE' }, Auth: auth });
    test('reports a list policy on a private API without methods: the transform writes no policy', () => {
      expect(
        samFindings({ Api: privateApi({ ResourcePolicy: { SourceVpcWhitelist: ['vpce-0123456789abcdef0'] } }) }),
      ).toEqual([['PrivateApiWithoutResourcePolicy', 'Api', 'noPolicy']]);
    });
    test.each<[string, Record<string, unknown>]>([
      [
        'the API has a method',
        {
          Api: privateApi({ ResourcePolicy: { SourceVpcWhitelist: ['vpce-0123456789abcdef0'] } }),
          Fn: fn({ E: event('Api') }),
        },
      ],
      [
        'the policy is CustomStatements (written without methods)',
        {
          Api: privateApi({
            ResourcePolicy: {
              CustomStatements: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: 'execute-api:/*',
                  Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
                },
              ],
            },
          }),
        },
      ],
      [
        'an event adds its own ResourcePolicy',
        {
          Api: privateApi({}),
          Fn: fn({ E: event('Api', { ResourcePolicy: { IntrinsicVpceWhitelist: [{ Ref: 'P' }] } }) }),
        },
      ],
    ])('stays silent when %s', (_, resources) => {
      expect(samFindings(resources)).toEqual([]);
    });

    // The definition in S3: DefinitionUri (a string or a location) is the translated BodyS3Location.
    const translated = (policy?: Record<string, unknown>) => ({
      Api: {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: {
          BodyS3Location: { Bucket: 'specs', Key: 'api.yaml' },
          EndpointConfiguration: { Types: ['PRIVATE'] },
          Parameters: { endpointConfigurationTypes: 'PRIVATE' },
          ...(policy ? { Policy: policy } : {}),
        },
      },
      ApiDeployment0123456789: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: { Ref: 'Api' }, StageName: 'Stage' },
      },
      ApiprodStage: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'ApiDeployment0123456789' }, StageName: 'prod' },
      },
    });
    test.each<[string, unknown]>([
      ['an S3 URI', 's3://specs/api.yaml'],
      ['an S3 location', { Bucket: 'specs', Key: 'api.yaml' }],
    ])('a Warning when DefinitionUri is %s, as on the translated BodyS3Location', (_, uri) => {
      const warned = [['PrivateApiWithoutResourcePolicy', 'Api', 'bodyInS3']];
      expect(samFindings({ Api: samApi({ EndpointConfiguration: { Type: 'PRIVATE' }, DefinitionUri: uri }) })).toEqual(
        warned,
      );
      expect(samFindings(translated())).toEqual(warned);
      expect(analyzeRawStacks([templateStack(translated())]).findings.map((f) => f.level)).toEqual(['warning']);
    });
    test('silent with a DefinitionUri and the API’s Policy (passed through, as on the translated template)', () => {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
          },
        ],
      };
      expect(
        samFindings({
          Api: samApi({ EndpointConfiguration: 'PRIVATE', DefinitionUri: 's3://specs/api.yaml', Policy: policy }),
        }),
      ).toEqual([]);
      expect(samFindings(translated(policy))).toEqual([]);
    });
  });
});

describe('SAM Domain with EndpointConfiguration PRIVATE (a private custom domain): rule 19 on both forms', () => {
  const network = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' } },
    Endpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Interface',
        ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' },
        VpcId: { Ref: 'Vpc' },
        SubnetIds: [{ Ref: 'Subnet' }],
        PrivateDnsEnabled: true,
      },
    },
  };
  const env = { Variables: { ORDERS_URL: 'https://api.internal.example.com/orders' } };
  const vpcConfig = { SubnetIds: [{ Ref: 'Subnet' }], SecurityGroupIds: ['sg-0123456789abcdef0'] };
  const statement = {
    Effect: 'Allow',
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
    Condition: { StringEquals: { 'aws:SourceVpce': { Ref: 'Endpoint' } } },
  };
  const policy = { Version: '2012-10-17', Statement: [statement] };
  const cert = 'arn:aws:acm:eu-west-1:111122223333:certificate/abc';
  const sam = (association: boolean) => ({
    ...network,
    Api: samApi({
      EndpointConfiguration: 'PRIVATE',
      Auth: { ResourcePolicy: { CustomStatements: [statement] } },
      Domain: {
        DomainName: 'api.internal.example.com',
        CertificateArn: cert,
        EndpointConfiguration: 'PRIVATE',
        Policy: policy,
        ...(association ? { AccessAssociation: { VpcEndpointId: { Ref: 'Endpoint' } } } : {}),
      },
    }),
    Caller: fn({}, { VpcConfig: vpcConfig, Environment: env }),
  });
  // What the transform writes; the domain's logical id ends in the first 10 hex digits of SHA-1 of its name.
  const domainId = `ApiGatewayDomainNameV2${createHash('sha1').update('api.internal.example.com').digest('hex').slice(0, 10)}`;
  const translated = (association: boolean) => ({
    ...network,
    Api: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        EndpointConfiguration: { Types: ['PRIVATE'] },
        Parameters: { endpointConfigurationTypes: 'PRIVATE' },
        Body: {
          swagger: '2.0',
          info: { version: '1.0', title: { Ref: 'AWS::StackName' } },
          paths: {},
          'x-amazon-apigateway-policy': policy,
        },
      },
    },
    ApiDeployment0123456789: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { RestApiId: { Ref: 'Api' }, StageName: 'Stage' },
    },
    ApiprodStage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'Api' }, DeploymentId: { Ref: 'ApiDeployment0123456789' }, StageName: 'prod' },
    },
    [domainId]: {
      Type: 'AWS::ApiGateway::DomainNameV2',
      Properties: {
        DomainName: 'api.internal.example.com',
        CertificateArn: cert,
        EndpointConfiguration: { Types: ['PRIVATE'] },
        Policy: policy,
      },
    },
    ApiBasePathMapping: {
      Type: 'AWS::ApiGateway::BasePathMappingV2',
      Properties: { DomainNameArn: { Ref: domainId }, RestApiId: { Ref: 'Api' }, Stage: { Ref: 'ApiprodStage' } },
    },
    ...(association
      ? {
          DomainNameAccessAssociation0123456789: {
            Type: 'AWS::ApiGateway::DomainNameAccessAssociation',
            Properties: {
              DomainNameArn: { Ref: domainId },
              AccessAssociationSourceType: 'VPCE',
              AccessAssociationSource: { Ref: 'Endpoint' },
            },
          },
        }
      : {}),
    Caller: {
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'python3.12', Handler: 'app.handler', VpcConfig: vpcConfig, Environment: env },
    },
  });

  test('reports the caller of a private domain without an access association for its endpoint', () => {
    const expected = [['PrivateDomainWithoutAccessAssociation', 'Caller', 'noAssociation']];
    expect(samFindings(sam(false))).toEqual(expected);
    expect(samFindings(translated(false))).toEqual(expected);
  });

  test('passes with Domain.AccessAssociation (the DomainNameAccessAssociation it writes)', () => {
    expect(samFindings(sam(true))).toEqual([]);
    expect(samFindings(translated(true))).toEqual([]);
  });
});
