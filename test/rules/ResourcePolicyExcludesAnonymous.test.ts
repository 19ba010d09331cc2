import { App, aws_apigateway as apigw, aws_iam as iam } from 'aws-cdk-lib';
import { handler, newStack } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, summary, placed } from '../fixtures/helpers';

const RULE = 'ResourcePolicyExcludesAnonymous';

function build(
  principal: iam.IPrincipal,
  method: apigw.MethodOptions = {},
  conditions?: { [op: string]: unknown },
  app = new App(),
) {
  const stack = newStack(undefined, app);
  const api = new apigw.RestApi(stack, 'Api', {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    policy: invokePolicy({ principals: [principal], conditions }),
  });
  api.root.addResource('pets').addMethod('GET', undefined, method);
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports NONE methods behind an account-only policy, on the API, in both doors', () => {
    const app = build(new iam.AccountRootPrincipal(), {}, undefined, newApp());
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'anonymousDenied',
        resource: expect.objectContaining({ path: 'Stack/Api/Resource' }),
      }),
    ]);
    expect(f[0].message).toContain('GET /pets');
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a Principal * policy that needs aws:PrincipalOrgID', () => {
    const app = build(new iam.AnyPrincipal(), {}, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } });
    expect(findings(app, RULE).map(placed)).toEqual([
      ['ApiReachability-ResourcePolicyExcludesAnonymous', 'Stack/Api/Resource', 'Stack/Api/Resource'],
    ]);
  });

  test('stays silent for AWS_IAM methods', () => {
    expect(
      findings(build(new iam.AccountRootPrincipal(), { authorizationType: apigw.AuthorizationType.IAM }), RULE),
    ).toEqual([]);
  });

  test('stays silent for methods behind a Lambda authorizer', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', {
      policy: invokePolicy({ principals: [new iam.AccountRootPrincipal()] }),
    });
    const authorizer = new apigw.TokenAuthorizer(stack, 'Authorizer', { handler: handler(stack, 'AuthFn') });
    api.root.addMethod('GET', undefined, { authorizer });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('stays silent when anonymous callers are allowed from a network', () => {
    expect(
      findings(build(new iam.AnyPrincipal(), {}, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), RULE),
    ).toEqual([]);
  });
});
