/**
 * The policy parser and the IAM evaluator: examples, and properties that must hold for any policy
 * (fast-check): it never throws, a Deny never grants, an Allow never takes a grant away.
 */
import * as fc from 'fast-check';
import { Policy, PolicyStatement, Request, evaluate, parsePolicy, wildcardMatch } from '../../src/facts/policies';

const METHOD_ARN = 'execute-api:/prod/GET/pets';

function request(overrides: Partial<Request> = {}): Request {
  return {
    action: 'execute-api:Invoke',
    resource: (p) => wildcardMatch(p, METHOD_ARN, false),
    principal: { kind: 'anonymous' },
    context: new Map([['aws:sourcevpce', { ids: ['lit:vpce-1'], text: 'vpce-1' }]]),
    ...overrides,
  };
}

function policy(...statements: object[]): Policy {
  return parsePolicy({ Version: '2012-10-17', Statement: statements } as never) as Policy;
}

const allowAll = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };

describe('parsePolicy', () => {
  test('reads a single statement object, single values and arrays alike', () => {
    const p = parsePolicy({
      Statement: {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['execute-api:Invoke'],
        Resource: 'execute-api:/*',
      },
    }) as PolicyStatement[];
    expect(p).toHaveLength(1);
    expect(p[0]).toEqual(expect.objectContaining({ effect: 'Deny', unreadable: false }));
    expect(p[0].principal?.anyone).toBe(true);
  });

  test('absent stays absent; a non-JSON string or a number is unknown', () => {
    expect(parsePolicy(undefined)).toBeUndefined();
    expect(parsePolicy('not a policy')).toBe('unknown');
    expect(parsePolicy(42)).toBe('unknown');
  });

  test('reads a policy given as a JSON string', () => {
    expect(parsePolicy(JSON.stringify({ Statement: [allowAll] }))).toHaveLength(1);
  });
});

describe('evaluate', () => {
  test('allows what an Allow covers', () => {
    expect(evaluate(policy(allowAll), request())).toBe('allow');
  });

  test('denies implicitly what no Allow covers', () => {
    expect(evaluate(policy({ ...allowAll, Action: 's3:GetObject' }), request())).toBe('implicit-deny');
    expect(evaluate(policy({ ...allowAll, Resource: 'execute-api:/*/POST/*' }), request())).toBe('implicit-deny');
  });

  test('a Deny wins over an Allow', () => {
    expect(evaluate(policy(allowAll, { ...allowAll, Effect: 'Deny' }), request())).toBe('explicit-deny');
  });

  test.each([
    ['StringEquals with the endpoint', { StringEquals: { 'aws:SourceVpce': 'vpce-1' } }, 'allow'],
    ['StringEquals with a list holding it', { StringEquals: { 'aws:SourceVpce': ['vpce-2', 'vpce-1'] } }, 'allow'],
    ['StringEquals with another endpoint', { StringEquals: { 'aws:SourceVpce': 'vpce-2' } }, 'implicit-deny'],
    ['StringLike with a wildcard', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, 'allow'],
    ['ForAnyValue:StringEquals', { 'ForAnyValue:StringEquals': { 'aws:SourceVpce': ['vpce-1'] } }, 'allow'],
    ['StringNotEquals with the endpoint', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }, 'implicit-deny'],
    ['a key the app cannot know', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, 'unknown'],
    ['IfExists on an absent key', { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }, 'unknown'],
  ])('conditions: %s', (_, Condition, expected) => {
    expect(evaluate(policy({ ...allowAll, Condition }), request())).toBe(expected);
  });

  test('an anonymous request has no principal keys', () => {
    const orgOnly = policy({ ...allowAll, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } });
    expect(evaluate(orgOnly, request())).toBe('implicit-deny');
    expect(evaluate(orgOnly, request({ principal: { kind: 'aws' } }))).toBe('unknown');
  });

  test('a Deny with a condition that can be false does not decide alone', () => {
    const p = policy(allowAll, {
      ...allowAll,
      Effect: 'Deny',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(evaluate(p, request())).toBe('unknown');
  });

  test('with no Allow, an uncertain Deny still leaves the request denied', () => {
    const p = policy({ ...allowAll, Effect: 'Deny', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    expect(evaluate(p, request())).toBe('implicit-deny');
  });

  test('an unreadable policy is unknown', () => {
    expect(evaluate('unknown', request())).toBe('unknown');
  });
});

describe('evaluate, for any policy', () => {
  const statement = fc.record(
    {
      Effect: fc.constantFrom('Allow', 'Deny'),
      Principal: fc.constantFrom(
        '*',
        { AWS: '*' },
        { AWS: 'arn:aws:iam::111111111111:root' },
        { Service: 'lambda.amazonaws.com' },
      ),
      Action: fc.constantFrom('execute-api:Invoke', 'execute-api:*', '*', 's3:GetObject', [
        'execute-api:Invoke',
        's3:*',
      ]),
      Resource: fc.constantFrom('execute-api:/*', '*', METHOD_ARN, 'execute-api:/*/POST/*', ['execute-api:/prod/*']),
      Condition: fc.constantFrom(
        { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
        { StringNotEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } },
        { StringLike: { 'aws:SourceVpce': 'vpce-?' } },
        { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
        { Null: { 'aws:SourceVpc': 'true' } },
      ),
    },
    { requiredKeys: ['Effect', 'Action'] },
  );
  const requests = fc.constantFrom<Request>(
    request(),
    request({ principal: { kind: 'stranger' } }),
    request({ principal: { kind: 'aws' } }),
    request({ context: new Map([['aws:sourcevpce', 'unknown' as const]]) }),
    request({ action: 'execute-api:ManageConnections' }),
  );

  test('never throws, whatever the document', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const p = parsePolicy(doc as never);
        if (p !== undefined) evaluate(p, request());
      }),
    );
  });

  test('adding a Deny never grants', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 5 }), statement, requests, (stmts, extra, req) => {
        const before = evaluate(policy(...stmts), req);
        const after = evaluate(policy(...stmts, { ...extra, Effect: 'Deny' }), req);
        if (before !== 'allow') expect(after).not.toBe('allow');
        if (before === 'explicit-deny') expect(after).toBe('explicit-deny');
      }),
    );
  });

  test('adding an Allow never takes a grant away', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 5 }), statement, requests, (stmts, extra, req) => {
        const before = evaluate(policy(...stmts), req);
        const after = evaluate(policy(...stmts, { ...extra, Effect: 'Allow' }), req);
        if (before === 'allow') expect(after).toBe('allow');
        if (before === 'explicit-deny') expect(after).toBe('explicit-deny');
      }),
    );
  });
});
