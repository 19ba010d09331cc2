import { App, Stack, aws_apigateway as apigw, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { handler, newStack, privateRestApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, invokePolicy, summary } from '../fixtures/helpers';

const RULE = 'PrivateApiPolicyExcludesCaller';

interface Setup {
  readonly stack: Stack;
  readonly endpoint: ec2.InterfaceVpcEndpoint;
  readonly api: apigw.RestApi;
}

/** A VPC Lambda that calls a private API through its VPC's execute-api endpoint (private DNS on). */
function setup(
  policy?: (endpoint: ec2.InterfaceVpcEndpoint, v: ec2.Vpc, other: ec2.InterfaceVpcEndpoint) => iam.PolicyDocument,
): Setup {
  const stack = newStack(undefined, newApp());
  const v = vpc(stack);
  const endpoint = v.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
  const other = vpc(stack, 'Other').addInterfaceEndpoint('ExecuteApi', {
    service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
  });
  const api = privateRestApi(stack, 'Internal', policy ? { policy: policy(endpoint, v, other) } : {});
  handler(stack, 'Caller', { vpc: v, environment: { API_URL: api.url } });
  return { stack, endpoint, api };
}

const allow = (conditions: { [op: string]: unknown }) => invokePolicy({ conditions });

const app = (s: Setup) => s.stack.node.root as App;

describe(RULE, () => {
  describe('reports', () => {
    test('an Allow conditioned on the endpoint of another VPC (implicit deny), in both doors', () => {
      const s = setup((_e, _v, other) => allow({ StringEquals: { 'aws:SourceVpce': other.vpcEndpointId } }));
      const f = findings(app(s), RULE);
      expect(f).toEqual([
        expect.objectContaining({
          level: 'error',
          messageId: 'excluded',
          resource: expect.objectContaining({ path: 'Stack/Internal/Resource' }),
          findingId: 'Stack/Caller/Resource',
        }),
      ]);
      expect(f[0].message).toContain('Stack/Vpc/ExecuteApi');
      expect(findingsFromAssembly(app(s), RULE).map(summary)).toEqual(f.map(summary));
    });

    test('a Deny on every endpoint but the other one (as grantInvokeFromVpcEndpointsOnly writes)', () => {
      const s = setup((_e, _v, other) =>
        invokePolicy(
          { effect: iam.Effect.DENY, conditions: { StringNotEquals: { 'aws:SourceVpce': [other.vpcEndpointId] } } },
          {},
        ),
      );
      expect(findings(app(s), RULE).map((f) => f.messageId)).toEqual(['denied']);
    });

    test('an Allow on another VPC (aws:SourceVpc)', () => {
      const s = setup((_e, _v, other) =>
        allow({ StringEquals: { 'aws:SourceVpc': (other.node.scope as ec2.Vpc).vpcId } }),
      );
      expect(findings(app(s), RULE).map((f) => f.messageId)).toEqual(['excluded']);
    });
  });

  describe('stays silent when', () => {
    test('the only allowed endpoint is a literal id (it may be this endpoint, pasted after a deployment)', () => {
      const s = setup(() => allow({ StringEquals: { 'aws:SourceVpce': 'vpce-0aaaaaaaaaaaaaaaa' } }));
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('grantInvokeFromVpcEndpointsOnly is called once per endpoint (CDK merges the endpoints)', () => {
      const s = setup();
      s.api.grantInvokeFromVpcEndpointsOnly([s.endpoint]);
      s.api.grantInvokeFromVpcEndpointsOnly([
        vpc(s.stack, 'Third').addInterfaceEndpoint('ExecuteApi', {
          service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
        }),
      ]);
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('the endpoint is one of a list', () => {
      const s = setup((e) =>
        allow({ StringEquals: { 'aws:SourceVpce': ['vpce-0aaaaaaaaaaaaaaaa', e.vpcEndpointId] } }),
      );
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('a StringLike wildcard covers the endpoint', () => {
      const s = setup(() => allow({ StringLike: { 'aws:SourceVpce': 'vpce-*' } }));
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('ForAnyValue:StringEquals names the endpoint', () => {
      const s = setup((e) => allow({ 'ForAnyValue:StringEquals': { 'aws:SourceVpce': [e.vpcEndpointId] } }));
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test("the policy allows the caller's VPC", () => {
      const s = setup((_e, v) => allow({ StringEquals: { 'aws:SourceVpc': v.vpcId } }));
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('a Deny whose condition is false for this endpoint (grantInvokeFromVpcEndpointsOnly with it)', () => {
      const s = setup();
      s.api.grantInvokeFromVpcEndpointsOnly([s.endpoint]);
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('a condition key the app cannot know (aws:SourceIp)', () => {
      const s = setup(() => allow({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
      expect(findings(app(s), RULE)).toEqual([]);
    });

    test('the API is imported', () => {
      const stack = newStack();
      const v = vpc(stack);
      v.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
      const api = apigw.RestApi.fromRestApiId(stack, 'Imported', 'a1b2c3d4e5');
      handler(stack, 'Caller', {
        vpc: v,
        environment: { API_URL: `https://${api.restApiId}.execute-api.eu-west-1.amazonaws.com/prod/` },
      });
      expect(findings(stack.node.root as App, RULE)).toEqual([]);
    });
  });
});
