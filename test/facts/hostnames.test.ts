import fc from 'fast-check';
import { deriveFacts, hostnames } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';

/** The pattern the scanner replaced: the reference on short texts, where its backtracking costs nothing. */
const REFERENCE = /[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/g;
const reference = (t: string) => [...t.matchAll(REFERENCE)].map((m) => ({ host: m[0], end: m.index! + m[0].length }));

describe('hostnames', () => {
  test.each<[string, string[]]>([
    ['https://abc123.execute-api.eu-west-1.amazonaws.com/prod/', ['abc123.execute-api.eu-west-1.amazonaws.com']],
    ['curl api.example.com-x and --b.example.org.', ['api.example.com-x', 'b.example.org']],
    ['a..b.com a-.c.com', ['b.com', 'c.com']],
    ['no host here', []],
    ['', []],
  ])('%j', (text, hosts) => {
    expect(hostnames(text).map((h) => h.host)).toEqual(hosts);
  });

  test('agrees with the regular expression it replaced, on any short text', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '1', '-', '.', '/', ' ', ':'), { maxLength: 24 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(hostnames(t)).toEqual(reference(t));
      }),
      { seed: 20261202, numRuns: 5_000 },
    );
  });

  // Regression (issue B): the regular expression was quadratic on a long token without a dot.
  test('a token of four million characters without a dot', () => {
    expect(hostnames('a'.repeat(4_000_000))).toEqual([]);
  });
});

describe('URL paths in long values', () => {
  // Regression (issue B): the path after each reference was read from the whole rest of the value,
  // so a user-data script with thousands of URLs took quadratic time.
  test('a user-data script with three thousand URLs of the API', () => {
    const parts: unknown[] = [];
    for (let i = 0; i < 3_000; i++) {
      parts.push('curl https://', { Ref: 'Api' }, `.execute-api.eu-west-1.amazonaws.com/prod/item${i}\n`);
    }
    parts.push('x'.repeat(500_000)); // (a Fn::Join of more than 10,000 parts is unknown: see graph/bounded.ts)
    const g = ResourceGraph.fromStacks([
      {
        key: 'S',
        region: 'eu-west-1',
        template: {
          Resources: {
            Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['REGIONAL'] } } },
            Instance: {
              Type: 'AWS::EC2::Instance',
              Properties: { SubnetId: 'subnet-1', UserData: { 'Fn::Base64': { 'Fn::Join': ['', parts] } } },
            },
          },
        },
      },
    ]);
    const calls = deriveFacts(g).calls;
    expect(calls).toHaveLength(3_000);
    expect(
      [calls[0], calls[2_999]].map((c) => [c.caller.resource.logicalId, c.api?.resource.logicalId, c.via, c.path]),
    ).toEqual([
      ['Instance', 'Api', 'default-host', ['prod', 'item0']],
      ['Instance', 'Api', 'default-host', ['prod', 'item2999']],
    ]);
  });
});
