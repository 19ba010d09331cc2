/**
 * Roles and their identity policies (`RoleIndex`): inline policies, AWS::IAM::Policy and managed
 * policies of the app, AWS managed policies (unknown unless known to grant no API access), and the
 * role of a caller.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement, RoleIndex, deriveFacts } from '../../src/facts';
import { ResRef } from '../../src/graph/values';
import { newApp } from '../fixtures/apps/scenario';
import { factsOfApp, nameOf, templateGraph, templateStack } from '../fixtures/helpers';

const stmt = (Action: string, Resource: unknown = '*', Effect = 'Allow') => ({ Effect, Action, Resource });
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

function roles(resources: Record<string, unknown>) {
  return new RoleIndex(templateGraph(templateStack(resources)));
}

describe('RoleIndex', () => {
  const index = roles({
    Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc(stmt('execute-api:Invoke')) } },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          { PolicyName: 'inline', PolicyDocument: doc(stmt('s3:GetObject'), stmt('execute-api:*', '*', 'Deny')) },
        ],
        ManagedPolicyArns: [{ Ref: 'Managed' }],
      },
    },
    Attached: {
      Type: 'AWS::IAM::Policy',
      Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: doc(stmt('sqs:SendMessage')) },
    },
    Bad: {
      Type: 'AWS::IAM::Policy',
      Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: doc({ Effect: 'Maybe', Action: 'x' }) },
    },
  });

  test('gathers the statements of inline, managed and attached policies, with the resource that holds each (an unreadable effect is left out)', () => {
    expect(index.statementsOf('S|Role').map((s) => [s.effect, s.actions, s.resources, nameOf(s.holder)])).toEqual([
      ['Allow', ['s3:GetObject'], ['*'], 'S|Role'],
      ['Deny', ['execute-api:*'], ['*'], 'S|Role'],
      ['Allow', ['execute-api:Invoke'], ['*'], 'S|Managed'],
      ['Allow', ['sqs:SendMessage'], ['*'], 'S|Attached'],
    ]);
  });

  test('the identity policy for the evaluator holds every statement; one it cannot read stays in, unreadable', () => {
    const p = index.identityPolicy('S|Role');
    expect(p).not.toBe('unknown');
    expect((p as PolicyStatement[]).map((x) => [x.effect, x.unreadable])).toEqual([
      ['Allow', false],
      ['Deny', false],
      ['Allow', false],
      ['Allow', false],
      ['Allow', true],
    ]);
  });

  test('roleKeyOf: a Ref or the Arn attribute of a role of the app; nothing else', () => {
    expect(index.roleKeyOf(new ResRef('S|Role'))).toBe('S|Role');
    expect(index.roleKeyOf(new ResRef('S|Role', 'Arn'))).toBe('S|Role');
    expect(index.roleKeyOf(new ResRef('S|Role', 'RoleId'))).toBeUndefined();
    expect(index.roleKeyOf(new ResRef('S|Managed'))).toBeUndefined();
    expect(index.roleKeyOf('arn:aws:iam::123456789012:role/imported')).toBeUndefined();
    expect(index.statementsOf('S|Nope')).toEqual([]);
  });

  test.each<[string, unknown, 'known' | 'unknown']>([
    [
      'an AWS managed policy known to grant no API access',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'known',
    ],
    [
      'the same under a partition pseudo parameter',
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
        ],
      },
      'known',
    ],
    ['any other AWS managed policy', 'arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess', 'unknown'],
    ['a customer managed policy of another app', 'arn:aws:iam::123456789012:policy/shared', 'unknown'],
  ])('%s', (_, arn, expected) => {
    const i = roles({ Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [arn] } } });
    expect(i.identityPolicy('S|Role')).toEqual(expected === 'known' ? [] : 'unknown');
  });

  test('a policy document that is not literal makes the identity policy unknown', () => {
    const i = roles({
      Role: { Type: 'AWS::IAM::Role' },
      P: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { 'Fn::If': ['C', {}, {}] } },
      },
    });
    expect(i.identityPolicy('S|Role')).toBe('unknown');
  });
});

describe("a caller's role", () => {
  test("a CDK function's role and its default policy, through the caller's roles", () => {
    const app = newApp();
    const stack = new Stack(app, 'Svc');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: ['arn:aws:execute-api:*:*:abc/*'] }),
    );
    const { graph, facts } = factsOfApp(app);
    const [caller] = facts.callers;
    const key = facts.roles.roleKeyOf(caller.roles[0])!;
    expect(nameOf(graph.get(key))).toBe('Svc/Fn/ServiceRole/Resource');
    expect(facts.roles.statementsOf(key).map((s) => [s.effect, s.actions, s.resources, nameOf(s.holder)])).toEqual([
      ['Allow', ['execute-api:Invoke'], ['arn:aws:execute-api:*:*:abc/*'], 'Svc/Fn/ServiceRole/DefaultPolicy/Resource'],
    ]);
    // AWSLambdaBasicExecutionRole grants no API access: the identity policy stays known.
    expect(facts.roles.identityPolicy(key)).toEqual([expect.objectContaining({ effect: 'Allow' })]);
  });

  test('an imported role of a caller has no key: its policies are unknown to the app', () => {
    const g = templateGraph(
      templateStack({
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::123456789012:role/x' } },
      }),
    );
    const facts = deriveFacts(g);
    expect(facts.callers[0].roles).toEqual(['arn:aws:iam::123456789012:role/x']);
    expect(facts.roles.roleKeyOf(facts.callers[0].roles[0])).toBeUndefined();
  });
});
