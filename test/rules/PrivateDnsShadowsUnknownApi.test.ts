import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newApp, scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary, placed } from '../fixtures/helpers';

const RULE = 'PrivateDnsShadowsUnknownApi';

describe(RULE, () => {
  describe('reports', () => {
    test('a VPC Lambda whose configuration names a literal execute-api URL of an API the app does not define', () => {
      const s = scenario({ evidence: 'literal' });
      const f = findings(s.app, RULE);
      expect(f).toEqual([
        expect.objectContaining({
          rule: 'ApiReachability-PrivateDnsShadowsUnknownApi',
          level: 'warning',
          messageId: 'shadowedUnknown',
          findingId: 'abc123defg.execute-api.us-east-1.amazonaws.com',
          location: 'Properties.Environment.Variables.API_URL',
          resource: expect.objectContaining({ path: s.callerPath }),
        }),
      ]);
      expect(f[0].message).toContain(
        'calls abc123defg.execute-api.us-east-1.amazonaws.com, an API this app does not define',
      );
      expect(f[0].relatedResources.map((r) => r.path)).toEqual([s.endpointPath]);
    });

    test('a call declared with declareExternalCall', () => {
      const s = scenario({ evidence: 'external-hint' });
      expect(findings(s.app, RULE)).toEqual([
        expect.objectContaining({
          messageId: 'shadowedUnknown',
          location: 'Metadata.cdk-api-reachability.externalCalls',
        }),
      ]);
    });

    test('the region in the hostname is the endpoint region', () => {
      const s = scenario({ evidence: 'literal', networkRegion: 'us-east-1' });
      expect(findings(s.app, RULE).map(placed)).toEqual([
        [
          'ApiReachability-PrivateDnsShadowsUnknownApi',
          'Svc/OrderSync/Resource',
          'abc123defg.execute-api.us-east-1.amazonaws.com',
        ],
      ]);
    });
  });

  describe('stays silent when', () => {
    test.each<[string, ScenarioOptions]>([
      ['private DNS is off', { evidence: 'literal', privateDns: false }],
      ['the interface endpoint is for SQS', { evidence: 'literal', endpointService: 'sqs' }],
      ['the caller runs in another VPC', { evidence: 'literal', callerVpc: 'other' }],
      ['the hostname is in another region than the endpoint', { evidence: 'literal', networkRegion: 'eu-west-1' }],
      ['the URL is of an API the app defines (rule 1)', { evidence: 'url' }],
    ])('%s', (_, o) => {
      expect(findings(scenario(o).app, RULE)).toEqual([]);
    });

    test.each([
      [
        'an endpoint-specific hostname of a private API',
        'https://abc123defg-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com/prod',
      ],
      ['a regional custom domain target name', 'https://d-abc123defg.execute-api.us-east-1.amazonaws.com'],
      ['a hostname of another service', 'https://sqs.us-east-1.amazonaws.com/123456789012/queue'],
    ])('the URL is %s', (_, url) => {
      const app = newApp();
      const stack = new Stack(app, 'Svc');
      const vpc = new ec2.Vpc(stack, 'Vpc');
      vpc.addInterfaceEndpoint('Endpoint', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY });
      new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        vpc,
        environment: { URL: url },
      });
      expect(findings(app, RULE)).toEqual([]);
    });
  });

  test('the construct tree and the synthesized cloud assembly agree', () => {
    const tree = findings(scenario({ evidence: 'literal' }).app).map(summary);
    expect(findingsFromAssembly(scenario({ evidence: 'literal' }).app).map(summary)).toEqual(tree);
  });
});
