import { App, aws_apigateway as apigw, aws_iam as iam } from 'aws-cdk-lib';
import { newStack, restApi } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, summary, placed } from '../fixtures/helpers';

const RULE = 'ResourcePolicyDeniesAll';

function run(deny: Partial<iam.PolicyStatementProps>) {
  const stack = newStack(undefined, newApp());
  restApi(stack, 'Api', {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    policy: invokePolicy({}, { effect: iam.Effect.DENY, ...deny }),
  });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports an unconditional Deny for everyone over the whole API, in both doors', () => {
    const app = run({});
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'deniesAll',
        resource: expect.objectContaining({ path: 'Stack/Api/Resource' }),
      }),
    ]);
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a Deny on execute-api:*', () => {
    expect(findings(run({ actions: ['execute-api:*'] }), RULE).map(placed)).toEqual([
      ['ApiReachability-ResourcePolicyDeniesAll', 'Stack/Api/Resource', 'Stack/Api/Resource'],
    ]);
  });

  test.each<[string, Partial<iam.PolicyStatementProps>]>([
    ['a condition that can be false', { conditions: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }],
    [
      'a condition on the endpoint',
      { conditions: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0aaaaaaaaaaaaaaaa' } } },
    ],
    ['one method only', { resources: ['execute-api:/*/POST/admin'] }],
    ['another action', { actions: ['execute-api:InvalidateCache'] }],
    ['one principal', { principals: [new iam.AccountPrincipal('222222222222')] }],
  ])('stays silent for a Deny with %s', (_, deny) => {
    expect(findings(run(deny), RULE)).toEqual([]);
  });
});
