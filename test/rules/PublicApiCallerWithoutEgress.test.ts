import { scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'PublicApiCallerWithoutEgress';

describe(RULE, () => {
  describe('reports', () => {
    test('a Lambda in isolated subnets calling a public REST API', () => {
      const s = scenario({ subnets: 'isolated', privateDns: false });
      const f = findings(s.app, RULE);
      expect(f).toEqual([
        expect.objectContaining({
          rule: 'ApiReachability-PublicApiCallerWithoutEgress',
          level: 'error',
          messageId: 'noEgress',
          findingId: s.apiPath,
          resource: expect.objectContaining({ path: s.callerPath }),
        }),
      ]);
      expect(f[0].message).toContain('Net/Vpc/IsolatedSubnet1/Subnet, Net/Vpc/IsolatedSubnet2/Subnet');
      expect(f[0].fix).toContain('PRIVATE_WITH_EGRESS');
    });

    test('also when rule 1 fires for the same call (fixing one leaves the other)', () => {
      const s = scenario({ subnets: 'isolated' });
      expect(findings(s.app).map((f) => f.ruleName)).toEqual([
        'PrivateDnsShadowsPublicApi',
        'PublicApiCallerWithoutEgress',
      ]);
    });

    test.each<[string, ScenarioOptions]>([
      ['a Lambda in public subnets (Lambda never has a public IP)', { subnets: 'public', privateDns: false }],
      ['a Fargate service in isolated subnets', { caller: 'fargate', subnets: 'isolated', privateDns: false }],
      ['an EC2 instance in isolated subnets', { caller: 'ec2', subnets: 'isolated', privateDns: false }],
      ['a CodeBuild project in isolated subnets', { caller: 'codebuild', subnets: 'isolated', privateDns: false }],
      ['an HTTP API caller in isolated subnets', { api: 'HTTP', subnets: 'isolated', privateDns: false }],
      ['a caller whose only evidence is an IAM grant', { evidence: 'grant', subnets: 'isolated', privateDns: false }],
      ['a caller that calls the API through its custom domain', { evidence: 'domain', subnets: 'isolated' }],
    ])('%s', (_, o) => {
      const s = scenario(o);
      expect(findings(s.app, RULE)).toEqual([
        expect.objectContaining({ level: 'error', resource: expect.objectContaining({ path: s.callerPath }) }),
      ]);
    });
  });

  describe('stays silent when', () => {
    test.each<[string, ScenarioOptions]>([
      ['the caller has NAT egress', { subnets: 'private-with-egress' }],
      ['a Fargate service with a public IP sits in public subnets', { caller: 'fargate', subnets: 'public' }],
      ['an EC2 instance sits in public subnets that map public IPs', { caller: 'ec2', subnets: 'public' }],
      ['the API is private', { api: 'PRIVATE', subnets: 'isolated' }],
      ['the API is not defined by the app (rule 2)', { evidence: 'literal', subnets: 'isolated' }],
      ['the subnets are imported (their routes are unknown)', { vpc: 'attributes' }],
      ['the VPC comes from Vpc.fromLookup', { vpc: 'lookup', networkRegion: 'us-east-1' }],
      ['nothing in the caller names the API', { evidence: 'none', subnets: 'isolated' }],
    ])('%s', (_, o) => {
      expect(findings(scenario(o).app, RULE)).toEqual([]);
    });
  });

  test('the construct tree and the synthesized cloud assembly agree', () => {
    const o: ScenarioOptions = { subnets: 'isolated', layout: 'nested' };
    expect(findingsFromAssembly(scenario(o).app).map(summary)).toEqual(findings(scenario(o).app).map(summary));
  });
});
