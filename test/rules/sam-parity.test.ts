/**
 * SAM and its translation say the same thing: each fixture of test/fixtures/templates/sam/ is a SAM
 * template (`<name>.sam.yaml`) written from the SAM specification, next to the CloudFormation the
 * transform writes for it (`<name>.cfn.yaml`, written from the documented transform). The engine must
 * report the same findings (rule, resource, other end) on both, and on the SAM form a finding on a
 * resource the transform makes names the SAM resource the user wrote.
 */
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
  });
});
