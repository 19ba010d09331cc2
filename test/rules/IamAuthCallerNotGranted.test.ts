import { App, Stack, aws_apigateway as apigw, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { handler, newStack } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, summary } from '../fixtures/helpers';

const RULE = 'IamAuthCallerNotGranted';

function iamApi(stack: Stack, props: apigw.RestApiProps = {}) {
  const api = new apigw.RestApi(stack, 'Api', {
    endpointTypes: [apigw.EndpointType.REGIONAL],
    defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    ...props,
  });
  const method = api.root.addResource('pay').addMethod('POST');
  return { api, method };
}

function build(grant?: (fn: lambda.Function, api: apigw.RestApi, method: apigw.Method) => void, app = new App()) {
  const stack = newStack(undefined, app);
  const { api, method } = iamApi(stack);
  const fn = handler(stack, 'Caller', { environment: { API_URL: api.url } });
  grant?.(fn, api, method);
  return stack.node.root as App;
}

const invoke = (resources: string[], effect = iam.Effect.ALLOW) =>
  new iam.PolicyStatement({ effect, actions: ['execute-api:Invoke'], resources });

describe(RULE, () => {
  test('reports a caller whose role has no grant, on the caller, in both doors', () => {
    const app = build(undefined, newApp());
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'notGranted',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Api/Resource',
      }),
    ]);
    expect(f[0].message).toContain('Stack/Caller/ServiceRole');
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports a grant on another API of the app', () => {
    const app = build((fn) => {
      const other = new apigw.RestApi(Stack.of(fn), 'Other');
      other.root.addMethod('GET');
      fn.addToRolePolicy(invoke([other.arnForExecuteApi()]));
    });
    expect(findings(app, RULE).map((f) => f.messageId)).toEqual(['notGranted']);
  });

  test('stays silent for a grant on a literal ARN (it may be this API, pasted after a deployment)', () => {
    const app = build((fn) => fn.addToRolePolicy(invoke(['arn:aws:execute-api:eu-west-1:111111111111:zzzzzzzzzz/*'])));
    expect(findings(app, RULE)).toEqual([]);
  });

  test('reports a Deny that wins over the grant', () => {
    const app = build((fn, api) => {
      fn.addToRolePolicy(invoke([api.arnForExecuteApi()]));
      fn.addToRolePolicy(invoke([api.arnForExecuteApi()], iam.Effect.DENY));
    });
    expect(findings(app, RULE).map((f) => f.messageId)).toEqual(['denied']);
  });

  test.each<[string, (fn: lambda.Function, api: apigw.RestApi, method: apigw.Method) => void]>([
    ['method.grantExecute', (fn, _api, method) => method.grantExecute(fn)],
    ['an inline statement on the API ARN', (fn, api) => fn.addToRolePolicy(invoke([api.arnForExecuteApi()]))],
    [
      'a wildcard action',
      (fn, api) =>
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['execute-api:*'], resources: [api.arnForExecuteApi()] }),
        ),
    ],
    [
      'a managed policy defined in the app',
      (fn, api) =>
        fn.role!.addManagedPolicy(
          new iam.ManagedPolicy(Stack.of(fn), 'Invoke', { statements: [invoke([api.arnForExecuteApi()])] }),
        ),
    ],
  ])('passes with a grant through %s', (_, grant) => {
    expect(findings(build(grant), RULE)).toEqual([]);
  });

  test('stays silent for an imported role', () => {
    const stack = newStack();
    const { api } = iamApi(stack);
    handler(stack, 'Caller', {
      role: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/shared'),
      environment: { API_URL: api.url },
    });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('stays silent for a managed policy the app does not define', () => {
    const app = build((fn) =>
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyName(Stack.of(fn), 'Shared', 'invoke-apis')),
    );
    expect(findings(app, RULE)).toEqual([]);
  });

  test('stays silent when the API has a resource policy (it may allow the caller)', () => {
    const stack = newStack();
    const { api } = iamApi(stack, {
      policy: invokePolicy({ principals: [new iam.AccountRootPrincipal()] }),
    });
    handler(stack, 'Caller', { environment: { API_URL: api.url } });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});
