/**
 * Policies written as JSON strings: plain, or built by `Fn::Sub` / `Fn::Join` with substitutions
 * that stand for the values they are in the graph. The rules must say on them what they say on the
 * structured form; what cannot be read (malformed JSON, a substitution outside a JSON string, a key
 * made by a substitution, a huge text) stays unknown, and the rules needing it stay silent.
 */
import * as path from 'path';
import { analyzeRawStacks } from '../../src/engine';
import { RoleIndex } from '../../src/facts';
import { MAX_POLICY_TEXT, parsePolicy, policyDocument, PolicyStatement } from '../../src/facts/policies';
import { readTemplateFile } from '../../src/graph/template-loader';
import { RawStack } from '../../src/graph/types';
import { Concat, Opaque, ResRef } from '../../src/graph/values';
import { templateGraph, templateStack } from '../fixtures/helpers';

const FILE = path.join(__dirname, '../graph/fixtures/policy-strings/private-api.yaml');
const RULE = 'PrivateApiPolicyExcludesCaller';

/** The fixture's stack, with the API's `Policy` replaced when `policy` is given. */
function stack(policy?: unknown): RawStack {
  const { template } = readTemplateFile(FILE);
  const resources = { ...template.Resources } as Record<string, any>;
  if (policy !== undefined) {
    resources.Api = { ...resources.Api, Properties: { ...resources.Api.Properties, Policy: policy } };
  }
  return { key: 'app', name: 'app', region: 'us-east-1', template: { ...template, Resources: resources } };
}

/** The findings on the fixture's API, as comparable tuples. */
function findingsOn(policy?: unknown): Array<[string, string, string | undefined, string]> {
  return analyzeRawStacks([stack(policy)])
    .findings.filter((f) => f.resource.logicalId === 'Api')
    .map((f) => [f.ruleName, f.messageId, f.findingId, f.message]);
}

/** The statement text of the fixture, with `${vpce}` where the endpoint goes. */
const statementText = (vpce: string) =>
  '{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:*/*",' +
  `"Condition":{"StringEquals":{"aws:SourceVpce":"${vpce}"}}}`;

const structured = (endpoint: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:*/*' },
      Condition: { StringEquals: { 'aws:SourceVpce': { Ref: endpoint } } },
    },
  ],
});

const subPolicy = (endpoint: string) => ({
  'Fn::Sub': `{"Version":"2012-10-17","Statement":[${statementText('${' + endpoint + '}')}]}`,
});

const joinPolicy = (endpoint: string) => ({
  'Fn::Join': [
    '',
    [
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':*/*","Condition":{"StringEquals":{"aws:SourceVpce":"',
      { Ref: endpoint },
      '"}}}]}',
    ],
  ],
});

describe('policies written as JSON strings', () => {
  const expected = findingsOn(structured('OtherEndpoint'));

  test('the structured form is reported (the reference the string forms must match)', () => {
    expect(expected.map(([rule, messageId, findingId]) => [rule, messageId, findingId])).toEqual([
      [RULE, 'excluded', 'app/Caller'],
    ]);
    expect(expected[0][3]).toContain('app/Endpoint');
  });

  test('an Fn::Sub JSON policy that excludes the caller’s endpoint: rule 6 fires, the same finding (the fixture as written)', () => {
    expect(findingsOn()).toEqual(expected);
    expect(findingsOn(subPolicy('OtherEndpoint'))).toEqual(expected);
  });

  test('the same policy as Fn::Join of strings and references: the same finding', () => {
    expect(findingsOn(joinPolicy('OtherEndpoint'))).toEqual(expected);
  });

  test('Fn::Sub with a variable map: the variable stands for its value', () => {
    const policy = { 'Fn::Sub': [subPolicy('Vpce')['Fn::Sub'], { Vpce: { Ref: 'OtherEndpoint' } }] };
    expect(findingsOn(policy)).toEqual(expected);
  });

  test.each([
    ['Fn::Sub', subPolicy('Endpoint')],
    ['Fn::Join', joinPolicy('Endpoint')],
    ['structured', structured('Endpoint')],
  ])('fix: the %s policy names the caller’s endpoint: silent', (_, policy) => {
    expect(findingsOn(policy)).toEqual([]);
  });

  test('a plain JSON string is read as its document (rule 10 on a Deny for everyone, as structured)', () => {
    const denyAll = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      ],
    };
    const asObject = findingsOn(denyAll);
    expect(asObject.map(([rule]) => rule)).toContain('ResourcePolicyDeniesAll');
    expect(findingsOn(JSON.stringify(denyAll))).toEqual(asObject);
  });

  describe('stays silent (the policy is unknown, not absent: rule 5 does not fire either)', () => {
    test.each([
      ['malformed JSON (a brace missing)', { 'Fn::Sub': subPolicy('OtherEndpoint')['Fn::Sub'].slice(0, -1) }],
      ['a half-written substitution', { 'Fn::Sub': `{"Statement":[${statementText('${OtherEndpoint')}]}` }],
      [
        'a substitution outside a JSON string (it could add statements)',
        { 'Fn::Sub': '{"Version":"2012-10-17","Statement":[${Statements}]}' },
      ],
      [
        'a condition key made by a substitution',
        {
          'Fn::Sub': `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEquals":{"\${Key}":"\${OtherEndpoint}"}}}]}`,
        },
      ],
      ['a plain string that is not JSON', 'allow the orders VPC'],
      [
        'a huge string',
        { 'Fn::Sub': `{"Statement":[${statementText('${OtherEndpoint}')}],"Pad":"${'x'.repeat(MAX_POLICY_TEXT)}"}` },
      ],
    ])('%s', (_, policy) => {
      expect(findingsOn(policy)).toEqual([]);
    });
  });
});

describe('policyDocument', () => {
  const endpointRef = new ResRef('S|Endpoint');

  test('a JSON string that is exactly one substitution is that value, the same ResRef as Ref', () => {
    const doc = policyDocument(new Concat(['{"Condition":{"StringEquals":{"aws:SourceVpce":"', endpointRef, '"}}}']));
    expect(doc).toEqual({ Condition: { StringEquals: { 'aws:SourceVpce': endpointRef } } });
  });

  test('a JSON string that mixes text and substitutions is a Concat of them; pseudo parameters stay opaque', () => {
    const account = new Opaque('pseudo', 'AWS::AccountId');
    const doc = policyDocument(new Concat(['{"Resource":"arn:aws:execute-api:us-east-1:', account, ':*/*"}']));
    expect(doc).toEqual({ Resource: new Concat(['arn:aws:execute-api:us-east-1:', account, ':*/*']) });
  });

  test('the graph gives Fn::Sub’s ${Endpoint} the value of Ref Endpoint, and a known account as text', () => {
    const g = templateGraph(
      templateStack(
        {
          Endpoint: { Type: 'AWS::EC2::VPCEndpoint' },
          Api: {
            Type: 'AWS::ApiGateway::RestApi',
            Properties: {
              Policy: {
                'Fn::Sub':
                  '{"Statement":[{"Resource":"arn:aws:execute-api:*:${AWS::AccountId}:*","Condition":{"StringEquals":{"aws:SourceVpce":"${Endpoint}"}}}]}',
              },
              Ref: { Ref: 'Endpoint' },
            },
          },
        },
        { account: '111122223333' },
      ),
    );
    const props = g.get('S|Api')!.properties;
    const stmt = (parsePolicy(props.Policy) as PolicyStatement[])[0];
    expect(stmt.conditions[0].values).toEqual([props.Ref]);
    expect(stmt.resources).toEqual(['arn:aws:execute-api:*:111122223333:*']);
  });

  test('an escaped private-use character cannot pose as a substitution', () => {
    const forged = new Concat(['{"a":"\\ue0000\\ue001","b":"', endpointRef, '"}']);
    expect(policyDocument(forged)).toBe('unknown');
  });

  test('a structured document is returned as it is; nesting deeper than the graph goes is unknown', () => {
    const doc = { Statement: [] };
    expect(policyDocument(doc)).toBe(doc);
    expect(policyDocument(new Concat(['['.repeat(500), endpointRef, ']'.repeat(500)]))).toBe('unknown');
    expect(policyDocument('['.repeat(500) + ']'.repeat(500))).toBe('unknown');
  });
});

describe('identity policies written as JSON strings', () => {
  test('a role’s inline policy given as Fn::Sub text is read statement by statement', () => {
    const index = new RoleIndex(
      templateGraph(
        templateStack({
          Api: { Type: 'AWS::ApiGateway::RestApi' },
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              Policies: [
                {
                  PolicyName: 'invoke',
                  PolicyDocument: {
                    'Fn::Sub':
                      '{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:${Api}/*"}]}',
                  },
                },
              ],
            },
          },
        }),
      ),
    );
    const [s] = index.statementsOf('S|Role');
    expect([s.effect, s.actions]).toEqual(['Allow', ['execute-api:Invoke']]);
    expect(s.resources).toEqual([new Concat(['arn:aws:execute-api:us-east-1:*:', new ResRef('S|Api'), '/*'])]);
    expect(index.identityPolicy('S|Role')).toHaveLength(1);
  });
});
