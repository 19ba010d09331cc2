import * as path from 'path';
import { App, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { PrivateApiAccess } from '../../src';
import { analyzeTemplateFiles } from '../../src/analyze';
import { handler, newStack, privateRestApi, vpc } from '../constructs/helpers';
import { newApp } from '../fixtures/apps/scenario';
import { SharedDnsOptions, sharedDns } from '../fixtures/apps/shared-dns';
import { findings, findingsFromAssembly, summary } from '../fixtures/helpers';

const RULE = 'PrivateApiUnreachable';

function build(endpoint: 'dns-off' | 'dns-on' | 'none', url: 'default' | 'access' = 'default') {
  const stack = newStack(undefined, newApp());
  const v = vpc(stack);
  const api = privateRestApi(stack, 'Internal');
  let apiUrl = api.url;
  if (endpoint !== 'none') {
    const access = new PrivateApiAccess(stack, 'Access', { vpc: v, privateDnsEnabled: endpoint === 'dns-on' });
    const allowed = access.allow(api);
    if (url === 'access') apiUrl = allowed;
  }
  handler(stack, 'Caller', { vpc: v, environment: { API_URL: apiUrl } });
  return stack.node.root as App;
}

describe(RULE, () => {
  test('reports the default URL from a VPC whose endpoint has private DNS off, on the caller, in both doors', () => {
    const app = build('dns-off');
    const f = findings(app, RULE);
    expect(f).toEqual([
      expect.objectContaining({
        level: 'error',
        messageId: 'privateDnsOff',
        resource: expect.objectContaining({ path: 'Stack/Caller/Resource' }),
        findingId: 'Stack/Internal/Resource',
      }),
    ]);
    expect(f[0].fix).toContain('PrivateApiAccess.allow(api)');
    expect(findingsFromAssembly(app, RULE).map(summary)).toEqual(f.map(summary));
  });

  test('reports the default URL from a VPC with no execute-api endpoint', () => {
    expect(findings(build('none'), RULE).map((f) => f.messageId)).toEqual(['noEndpoint']);
  });

  test('passes with the URL that PrivateApiAccess.allow returns', () => {
    expect(findings(build('dns-off', 'access'), RULE)).toEqual([]);
  });

  test('stays silent when the endpoint has private DNS on', () => {
    expect(findings(build('dns-on'), RULE)).toEqual([]);
  });

  test('stays silent for an imported VPC (it may have endpoints the app does not show)', () => {
    const stack = newStack();
    const v = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a'],
      privateSubnetIds: ['subnet-0123456789abcdef0'],
    });
    const api = privateRestApi(stack, 'Internal');
    handler(stack, 'Caller', { vpc: v, environment: { API_URL: api.url } });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });

  test('stays silent for a caller outside any VPC', () => {
    const stack = newStack();
    const api = privateRestApi(stack, 'Internal');
    handler(stack, 'Caller', { environment: { API_URL: api.url } });
    expect(findings(stack.node.root as App, RULE)).toEqual([]);
  });
});

describe(`${RULE}, through DNS shared across VPCs (a spoke VPC without an endpoint of its own)`, () => {
  test.each<[string, SharedDnsOptions]>([
    [
      'the hub shares a zone for the private API, an alias to its endpoint (hub and spoke)',
      { path: 'zone-per-api', api: 'PRIVATE' },
    ],
    ['a zone for every execute-api name holds an alias for the private API', { path: 'zone-all', api: 'PRIVATE' }],
    ['a Route 53 Profile carries the hub endpoint with private DNS on', { path: 'profile-endpoint', api: 'PRIVATE' }],
    ['a Resolver rule forwards the name outside the app (no proof either way)', { path: 'forward', api: 'PRIVATE' }],
    [
      'a zone for execute-api names holds no record for the API (the name does not resolve: not this rule)',
      {
        path: 'zone-all',
        api: 'PRIVATE',
        record: 'other-api',
      },
    ],
  ])('stays silent when %s', (_, o) => {
    expect(findings(sharedDns(o).app, RULE)).toEqual([]);
  });

  test.each<[string, SharedDnsOptions]>([
    [
      "the hub's zone for the private API is associated with another VPC",
      { path: 'zone-per-api', api: 'PRIVATE', associatedWith: 'other' },
    ],
    ['the zone names another region', { path: 'zone-per-api', api: 'PRIVATE', zoneRegion: 'us-east-1' }],
    [
      'the Profile carries an endpoint with private DNS off',
      { path: 'profile-endpoint', api: 'PRIVATE', hubPrivateDns: false },
    ],
  ])('reports the spoke caller when %s: the name stays public', (_, o) => {
    const s = sharedDns(o);
    const f = findings(s.app, RULE);
    expect(f.map((x) => [x.messageId, x.resource.path, x.findingId])).toEqual([
      ['noEndpoint', s.callerPath, s.apiPath],
    ]);
    expect(f[0].message).toContain('no Route 53 Profile or private hosted zone of the app answers that name inside it');
  });
});

test('stays silent on the hub-and-spoke template, whose spoke reaches the private API through its zone', () => {
  const file = path.join(__dirname, '../fixtures/templates/passes/hub-and-spoke-private-api-zone.yaml');
  expect(analyzeTemplateFiles([file]).findings.filter((f) => f.ruleName === RULE)).toEqual([]);
});
