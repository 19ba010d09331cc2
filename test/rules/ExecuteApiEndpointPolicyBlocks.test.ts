import { App, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { handler, newStack, privateRestApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, invokeStatement, summary, placed } from '../fixtures/helpers';

const RULE = 'ExecuteApiEndpointPolicyBlocks';

/** A resource policy that admits the VPC (not the endpoint: the endpoint's policy names the APIs, no cycle). */
const fromVpc = (v: ec2.IVpc) => invokePolicy({ conditions: { StringEquals: { 'aws:SourceVpc': v.vpcId } } });

function build(...statements: Array<(api: string, other: string) => iam.PolicyStatement>) {
  const stack = newStack(undefined, newApp());
  const v = vpc(stack);
  const endpoint = v.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const api = privateRestApi(stack, 'Internal', { policy: fromVpc(v) });
  const reports = privateRestApi(stack, 'Reports', { policy: fromVpc(v) });
  for (const s of statements) endpoint.addToPolicy(s(api.arnForExecuteApi(), reports.arnForExecuteApi()));
  handler(stack, 'Caller', { vpc: v, environment: { API_URL: api.url } });
  return stack.node.root as App;
}

const allowOn = (...resources: string[]) => invokeStatement({ resources });
const denyOn = (arn: string, props: Partial<iam.PolicyStatementProps> = {}) =>
  invokeStatement({ effect: iam.Effect.DENY, resources: [arn], ...props });
const outsideOffice = { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } };

describe(RULE, () => {
  test('reports a policy that names another API of the app only, on the endpoint, in both doors', () => {
    const app = build((_arn, other) => allowOn(other));
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'blocked',
        resource: expect.objectContaining({ path: 'Stack/Vpc/ExecuteApi/Resource' }),
        findingId: 'Stack/Internal/Resource',
      }),
    ]);
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports an explicit Deny on the API', () => {
    const app = build((arn) => denyOn(arn, { actions: ['execute-api:*'] }));
    expect(findings(app, RULE).map(placed)).toEqual([
      ['ApiReachability-ExecuteApiEndpointPolicyBlocks', 'Stack/Vpc/ExecuteApi/Resource', 'Stack/Internal/Resource'],
    ]);
  });

  test.each([
    ['the API by its ARN', (arn: string) => allowOn(arn)],
    ['every API by a wildcard ARN', () => allowOn('arn:aws:execute-api:*:*:*')],
    ['everything', () => allowOn('*')],
  ])('stays silent when the policy allows %s', (_, s) => {
    expect(findings(build(s), RULE)).toEqual([]);
  });

  test('stays silent without an endpoint policy', () => {
    expect(findings(build(), RULE)).toEqual([]);
  });

  test('reports a policy with only a conditional Deny (nothing is allowed)', () => {
    const app = build((arn) => denyOn(arn, { conditions: outsideOffice }));
    expect(findings(app, RULE).map((f) => f.messageId)).toEqual(['blocked']);
  });

  test('stays silent when the only allowed API is a literal ARN (it may be this API, pasted after a deployment)', () => {
    expect(
      findings(
        build(() => allowOn('arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/*')),
        RULE,
      ),
    ).toEqual([]);
  });

  test('stays silent when a Deny has a condition the app cannot know', () => {
    const app = build(
      () => allowOn('*'),
      (arn) => denyOn(arn, { conditions: outsideOffice }),
    );
    expect(findings(app, RULE)).toEqual([]);
  });
});
