import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  fitCauses,
  normalizeErrorType,
  normalizeMessage,
  parseHost,
  pathNotes,
  placeholderValues,
  splitHost,
} from '../../src/cli/explain';
import { FORBIDDEN_CAUSES, HOST_KINDS, HostKind, causeById, causesMarkdownTable } from '../../src/cli/forbidden-causes';
import { captureOf, fromApiGateway, messageOfBody } from '../../src/cli/har';
import { main } from '../../src/cli/main';
import { RULES } from '../../src/rules';

const CWD = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const rel = (f: string) => path.relative(CWD, path.join(FIXTURES, f));
const CAPTURE = rel('explain/capture.har');
const APP = rel('explain/app.json');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], opts: { isTTY?: boolean; env?: { [k: string]: string } } = {}): Run {
  let stdout = '';
  let stderr = '';
  const code = main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
    cwd: CWD,
  });
  return { code, stdout, stderr };
}

// The JSON document of `explain` (schema version 1, docs/cli-explain.md).
interface JsonCause {
  id: string;
  rules: Array<{ id: string; docs: string | null }>;
  findings: string[];
}
interface JsonResponse {
  observed: {
    status: number | null;
    errorType: string | null;
    message: string | null;
    host: string | null;
    path: string | null;
  };
  host: { kind: string; apiId: string | null; region: string | null; vpceId: string | null } | null;
  coversStatus: boolean;
  unmatched: string[];
  causes: JsonCause[];
  count: number;
  requests: string[];
  app: { tiedBy: string; note: string; findings: Array<{ ruleId: string; findingId: string }> } | null;
}
interface JsonDoc {
  version: number;
  tableSize: number;
  capture: { entries: number; apiGatewayForbidden: number; otherForbidden: number; unreadable: number } | null;
  responses: JsonResponse[];
}

function json(args: string[]): JsonDoc {
  const r = run([...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDoc;
}

const ids = (r: JsonResponse) => r.causes.map((c) => c.id);

/** A hostname of each kind. */
const SAMPLE_HOST: { readonly [k in HostKind]: string } = {
  default: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
  'endpoint-specific': 'a1b2c3d4e5-vpce-0123456789abcdef0.execute-api.eu-west-1.amazonaws.com',
  vpce: 'vpce-0123456789abcdef0-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com',
  'domain-target': 'd-abcdefghij.execute-api.eu-west-1.amazonaws.com',
  'custom-domain': 'api.example.com',
};

/** A message as API Gateway sends it, from the table's text with its `<…>` parts filled in. */
function sampleMessage(text: string): string {
  return text
    .replace(/<api-resource-arn>/g, 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders')
    .replace(/<user-arn>/g, 'arn:aws:sts::111111111111:assumed-role/web/session')
    .replace(/<date>/g, '20261202T100000Z')
    .replace(/<region>/g, 'us-east-1')
    .replace(/<header>/g, 'Bearer eyJhbGciOi')
    .replace(/ … /g, ' ');
}

describe('the table of causes', () => {
  test('ids are unique, kebab-case, and every row is complete', () => {
    const seen = new Set<string>();
    for (const c of FORBIDDEN_CAUSES) {
      expect(c.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(seen.has(c.id)).toBe(false);
      seen.add(c.id);
      expect(c.messages.length).toBeGreaterThan(0);
      expect(c.hosts.length).toBeGreaterThan(0);
      expect(c.check.length).toBeGreaterThan(0);
      expect(c.meaning.length).toBeGreaterThan(40);
      expect(c.source).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
      for (const h of c.hosts) expect(HOST_KINDS).toContain(h);
      expect(causeById(c.id)).toBe(c);
    }
    expect(causeById('no-such-cause')).toBeUndefined();
  });

  test('every rule a row names exists in src/rules, and every rule that prevents a 403 is named by a row', () => {
    const ruleNames = new Set(RULES.map((r) => r.name));
    const named = new Set(FORBIDDEN_CAUSES.flatMap((c) => c.rules));
    for (const r of named) expect(ruleNames).toContain(r);
    // The rules whose troubleshooting row is a 403 (not the "opposite failure" ones, not the timeout one).
    const preventing403 = RULES.filter((r) => !r.troubleshooting.startsWith('—') && !/timeout/.test(r.troubleshooting));
    for (const r of preventing403) expect([r.name, named.has(r.name)]).toEqual([r.name, true]);
  });

  test("the rows cover the causes of AWS's 403 table, request-time ones included", () => {
    const all = FORBIDDEN_CAUSES.map((c) => c.id);
    for (const id of [
      'resource-path-not-found',
      'signature-expired',
      'signature-mismatch',
      'invalid-security-token',
      'invalid-api-key',
      'waf-blocked',
      'mtls-untrusted-certificate',
      'stage-not-found',
      'private-api-via-public-dns',
      'private-dns-shadows-public-api',
      'default-endpoint-disabled',
      'custom-domain-without-mapping',
      'resource-policy-explicit-deny',
      'resource-policy-no-allow',
      'iam-not-granted',
      'lambda-authorizer-deny',
      'endpoint-policy-deny',
      'private-domain-without-access-association',
    ]) {
      expect(all).toContain(id);
    }
    expect(FORBIDDEN_CAUSES.filter((c) => c.origin === 'request').length).toBeGreaterThan(5);
  });

  describe.each(FORBIDDEN_CAUSES.map((c) => [c.id, c] as const))('row %s', (_id, cause) => {
    test.each(cause.messages.map((m) => [m.text]))('is reached by its message %s on every host it names', (text) => {
      for (const kind of cause.hosts) {
        const fit = fitCauses(
          { status: 403, errorType: cause.errorTypes[0], message: sampleMessage(text), host: SAMPLE_HOST[kind] },
          parseHost(SAMPLE_HOST[kind]).kind,
        );
        expect([kind, fit.causes.map((c) => c.id)]).toEqual([kind, expect.arrayContaining([cause.id])]);
      }
    });

    test('is reached through the command line, with its rules and their docs', () => {
      const args = [
        'explain',
        '--status',
        '403',
        '--message',
        sampleMessage(cause.messages[0].text),
        '--host',
        SAMPLE_HOST[cause.hosts[0]],
      ];
      if (cause.errorTypes.length > 0) args.push('--error-type', cause.errorTypes[0]);
      const doc = json(args);
      const row = doc.responses[0].causes.find((c) => c.id === cause.id);
      expect(row).toBeDefined();
      expect(row!.rules.map((r) => r.id)).toEqual(cause.rules.map((r) => `ApiReachability-${r}`));
      for (const r of row!.rules) expect(r.docs).toBe(RULES.find((x) => x.id === r.id)!.docs);
    });

    test('is left out on a host it does not name', () => {
      for (const kind of HOST_KINDS.filter((k) => !cause.hosts.includes(k))) {
        const fit = fitCauses({ message: sampleMessage(cause.messages[0].text) }, kind);
        expect(fit.causes.map((c) => c.id)).not.toContain(cause.id);
      }
    });
  });
});

describe('matching what was observed', () => {
  const fitIds = (o: Parameters<typeof fitCauses>[0], kind?: HostKind) => fitCauses(o, kind).causes.map((c) => c.id);

  test.each([
    [
      'Missing Authentication Token',
      'MissingAuthenticationTokenException',
      ['resource-path-not-found', 'unsigned-request-to-iam-method', 'stage-not-found'],
    ],
    [
      'Signature expired: 20261202T100000Z is now earlier than 20261202T100500Z (20261202T101000Z - 5 min.)',
      'InvalidSignatureException',
      ['signature-expired'],
    ],
    [
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      'InvalidSignatureException',
      ['signature-mismatch'],
    ],
    [
      'The security token included in the request is invalid.',
      'UnrecognizedClientException',
      ['invalid-security-token'],
    ],
    ['The security token included in the request is expired', 'ExpiredTokenException', ['security-token-expired']],
    [
      'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders',
      'AccessDeniedException',
      ['resource-policy-no-allow', 'endpoint-policy-deny'],
    ],
    [
      'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders with an explicit deny',
      'AccessDeniedException',
      ['resource-policy-explicit-deny', 'endpoint-policy-deny'],
    ],
    [
      'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders because no VPC endpoint policy allows the execute-api:Invoke action',
      'AccessDeniedException',
      ['endpoint-policy-deny'],
    ],
    [
      'User: arn:aws:sts::111111111111:assumed-role/web/s is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders',
      'AccessDeniedException',
      ['iam-not-granted'],
    ],
    [
      'User is not authorized to access this resource with an explicit deny',
      'AccessDeniedException',
      ['lambda-authorizer-deny'],
    ],
    [
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=Bearer x",
      'IncompleteSignatureException',
      ['authorization-header-on-missing-path'],
    ],
  ])('%s (%s) fits exactly the rows it names', (message, errorType, expected) => {
    expect(fitIds({ status: 403, errorType, message })).toEqual(expected);
  });

  test('"Forbidden" on each kind of host', () => {
    const forbidden = { status: 403, errorType: 'ForbiddenException', message: 'Forbidden' };
    expect(fitIds(forbidden, 'default')).toEqual([
      'invalid-api-key',
      'waf-blocked',
      'stage-not-found',
      'unknown-api-id',
      'private-api-via-public-dns',
      'private-dns-shadows-public-api',
      'default-endpoint-disabled',
    ]);
    expect(fitIds(forbidden, 'custom-domain')).toEqual([
      'invalid-api-key',
      'waf-blocked',
      'mtls-untrusted-certificate',
      'private-dns-shadows-public-api',
      'custom-domain-without-mapping',
      'private-domain-without-access-association',
    ]);
    expect(fitIds(forbidden, 'endpoint-specific')).toEqual([
      'invalid-api-key',
      'waf-blocked',
      'stage-not-found',
      'unknown-api-id',
    ]);
    expect(fitIds(forbidden, 'vpce')).toEqual([
      'invalid-api-key',
      'waf-blocked',
      'stage-not-found',
      'private-api-via-public-dns',
    ]);
    // HTTP APIs send no x-amzn-ErrorType: a bare "Forbidden" also fits their authorizers.
    expect(fitIds({ message: 'Forbidden' }, 'default')).toEqual(
      expect.arrayContaining(['lambda-authorizer-deny', 'jwt-scope-missing']),
    );
  });

  test('messages and error types match whatever their case, quotes, JSON wrapping and suffix', () => {
    expect(normalizeMessage('{"message":"Forbidden"}')).toBe('forbidden');
    expect(normalizeMessage('{"Message":"User: anonymous is  not"}')).toBe('user: anonymous is not');
    expect(normalizeMessage('  "missing   authentication TOKEN" ')).toBe('missing authentication token');
    expect(normalizeMessage('{not json')).toBe('not json');
    expect(normalizeErrorType('ForbiddenException:http://internal.amazon.com/coral/com.amazon.coral.service/')).toBe(
      'forbiddenexception',
    );
    const a = fitIds(
      { errorType: 'forbiddenexception:http://internal.amazon.com/', message: '{"message":"FORBIDDEN."}' },
      'default',
    );
    const b = fitIds({ errorType: 'ForbiddenException', message: 'Forbidden' }, 'default');
    expect(a).toEqual(b);
    expect(fitIds({ errorType: 'Forbidden' }, 'default')).toEqual(b);
  });

  test('a gateway response type from the access logs narrows like an error type', () => {
    expect(fitIds({ errorType: 'WAF_FILTERED' })).toEqual(['waf-blocked']);
    expect(fitIds({ errorType: 'INVALID_API_KEY' })).toEqual(['invalid-api-key']);
  });

  test('a message no row knows is left out of the match, and said so', () => {
    const fit = fitCauses({ status: 403, errorType: 'ForbiddenException', message: 'Nope, not today' }, 'default');
    expect(fit.unmatched).toEqual(['message']);
    expect(fit.causes.map((c) => c.id)).toEqual(fitIds({ errorType: 'ForbiddenException' }, 'default'));
    const r = run(['explain', '--error-type', 'TeapotException', '--message', 'Forbidden']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No row of the table knows the error type TeapotException');
  });

  test('a request signed with SigV4 is not an unsigned request', () => {
    const o = { status: 403, message: 'Missing Authentication Token' };
    expect(fitIds(o)).toContain('unsigned-request-to-iam-method');
    expect(fitIds({ ...o, requestHeaders: { authorization: 'AWS4-HMAC-SHA256 …' } })).not.toContain(
      'unsigned-request-to-iam-method',
    );
    expect(fitIds({ ...o, requestHeaders: { authorization: 'Bearer …' } })).toContain('unsigned-request-to-iam-method');
  });

  test('a status other than 403 is accepted, and said to be outside the table', () => {
    const r = run(['explain', '--status', '404', '--message', 'Not Found']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Status 404 is not a 403: the table of causes covers API Gateway's 403 responses only");
    const doc = json(['explain', '--status', '404']);
    expect(doc.responses[0].coversStatus).toBe(false);
    expect(doc.responses[0].causes).toEqual([]);
  });

  test('nothing that fits everything is said', () => {
    const r = run(['explain', '--message', 'Signature expired', '--error-type', 'ForbiddenException']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No cause of the table fits everything that was observed.');
  });
});

describe('hostnames', () => {
  test('the default execute-api host names the API and region', () => {
    expect(parseHost('A1B2C3D4E5.execute-api.eu-west-1.amazonaws.com.')).toEqual({
      name: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      kind: 'default',
      apiId: 'a1b2c3d4e5',
      region: 'eu-west-1',
      notes: [],
    });
    expect(parseHost('a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn:443')).toMatchObject({
      kind: 'default',
      region: 'cn-north-1',
    });
    expect(parseHost('a1b2c3d4e5.execute-api.us-gov-west-1.amazonaws.com').region).toBe('us-gov-west-1');
    expect(parseHost('short.execute-api.eu-west-1.amazonaws.com').notes[0]).toContain('not of the form of an API id');
  });

  test('the endpoint-specific host names the API, the endpoint and the region', () => {
    expect(parseHost(SAMPLE_HOST['endpoint-specific'])).toMatchObject({
      kind: 'endpoint-specific',
      apiId: 'a1b2c3d4e5',
      vpceId: 'vpce-0123456789abcdef0',
      region: 'eu-west-1',
    });
  });

  test("an endpoint's DNS names (regional and zonal) name the endpoint", () => {
    expect(parseHost(SAMPLE_HOST.vpce)).toMatchObject({
      kind: 'vpce',
      vpceId: 'vpce-0123456789abcdef0',
      region: 'eu-west-1',
    });
    expect(
      parseHost('vpce-0123456789abcdef0-abcdefgh-eu-west-1a.execute-api.eu-west-1.vpce.amazonaws.com'),
    ).toMatchObject({
      kind: 'vpce',
      vpceId: 'vpce-0123456789abcdef0',
    });
  });

  test('a regional custom domain target, a CloudFront name and anything else', () => {
    expect(parseHost(SAMPLE_HOST['domain-target'])).toMatchObject({
      kind: 'domain-target',
      domainTarget: 'd-abcdefghij',
    });
    expect(parseHost('d111111abcdef8.cloudfront.net')).toMatchObject({ kind: 'custom-domain' });
    expect(parseHost('d111111abcdef8.cloudfront.net').notes[0]).toContain('CloudFront');
    expect(parseHost('x.execute-api.example.org').notes[0]).toContain('no known form');
    expect(parseHost('api.example.com')).toEqual({ name: 'api.example.com', kind: 'custom-domain', notes: [] });
  });

  test('--host takes a URL, whose path is used when --path is not given', () => {
    expect(splitHost('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders?x=1')).toEqual({
      host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      path: '/prod/orders',
    });
    expect(splitHost('api.example.com/v1/orders')).toEqual({ host: 'api.example.com', path: '/v1/orders' });
    expect(splitHost('api.example.com')).toEqual({ host: 'api.example.com' });
    const doc = json(['explain', '--host', 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders']);
    expect(doc.responses[0].observed.path).toBe('/prod/orders');
    expect(json(['explain', '--host', 'https://api.example.com/a', '--path', 'b?q=1']).responses[0].observed.path).toBe(
      '/b',
    );
  });

  test('the path says the stage on execute-api names and the base path on custom domains', () => {
    expect(pathNotes('default', '/prod/orders/1')[0]).toBe(
      "Stage 'prod' (the first path segment, for a REST or WebSocket API), resource /orders/1.",
    );
    expect(pathNotes('default', '/')[0]).toContain('No stage in the path');
    expect(pathNotes('custom-domain', '/v1/orders')[0]).toContain("'v1' is the base path");
    expect(pathNotes('custom-domain', '/')[0]).toContain('only an empty base path mapping serves it');
    expect(pathNotes('default', undefined)).toEqual([]);
  });

  test('the text shows what the host says', () => {
    const r = run([
      'explain',
      '--message',
      'Forbidden',
      '--host',
      SAMPLE_HOST['endpoint-specific'],
      '--path',
      '/prod/x',
    ]);
    expect(r.stdout).toContain(
      `host: ${SAMPLE_HOST['endpoint-specific']}: the endpoint-specific name (a Route 53 alias) of private API a1b2c3d4e5 through VPC endpoint vpce-0123456789abcdef0, in eu-west-1`,
    );
    expect(r.stdout).toContain("Stage 'prod'");
    for (const kind of HOST_KINDS) {
      expect(run(['explain', '--host', SAMPLE_HOST[kind]]).stdout).toContain(`host: ${SAMPLE_HOST[kind]}: `);
    }
  });
});

describe('--har', () => {
  test('explains every distinct API Gateway 403 of the capture, one block each', () => {
    const doc = json(['explain', '--har', CAPTURE]);
    expect(doc.capture).toEqual({
      file: CAPTURE,
      entries: 8,
      apiGatewayForbidden: 5,
      otherForbidden: 1,
      unreadable: 1,
    });
    expect(doc.responses.map((r) => [r.observed.host, r.observed.path, r.count])).toEqual([
      ['a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', '/prod/orders', 2],
      ['api.example.com', '/orders', 1],
      ['a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', '/prod/admin', 1],
      ['a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', '/prod/missing', 1],
    ]);
    expect(doc.responses[0].requests).toEqual([
      'GET https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders?page=1',
    ]);
    expect(ids(doc.responses[1])).toContain('custom-domain-without-mapping');
    // The base64 body of the signed request, read.
    expect(doc.responses[2].observed.message).toMatch(
      /^User: arn:aws:sts::111111111111:assumed-role\/web\/session is not authorized/,
    );
    expect(ids(doc.responses[2])).toEqual(['resource-policy-explicit-deny', 'iam-not-granted', 'endpoint-policy-deny']);
    // The error type with its suffix, matched.
    expect(ids(doc.responses[3])).toEqual([
      'resource-path-not-found',
      'unsigned-request-to-iam-method',
      'stage-not-found',
    ]);
  });

  test('the text names the capture, and keeps no secret of the requests', () => {
    const r = run(['explain', '--har', CAPTURE]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      `${CAPTURE}: 8 entries, 4 distinct API Gateway 403 response(s); 1 other 403(s) show no sign of API Gateway; 1 entry without a URL or status skipped.`,
    );
    expect(r.stdout).toContain('seen: 2 times (request id 5e1f0c62-0000-4000-8000-000000000001)');
    expect(r.stdout).toContain('request headers: authorization: AWS4-HMAC-SHA256 …; x-amz-date: 20261202T100004Z');
    expect(r.stdout).not.toContain('Signature=0000');
    expect(r.stdout).not.toContain('AKIAEXAMPLE');
    expect(r.stdout.match(/^Response: 403 /gm)).toHaveLength(4);
  });

  test('a capture without an API Gateway 403 has nothing to explain', () => {
    const capture = captureOf([
      { request: { url: 'https://example.com/' }, response: { status: 200 } },
      { request: { url: 'not a url' }, response: { status: 403 } },
      'junk',
    ]);
    expect(capture).toEqual({ responses: [], entries: 3, otherForbidden: 0, unreadable: 2 });
  });

  test('on an endpoint DNS name, the Host or x-apigw-api-id header names the API', () => {
    const entry = (headers: Array<{ name: string; value: string }>) => ({
      request: { method: 'get', url: `https://${SAMPLE_HOST.vpce}/prod/x?X-Amz-Signature=abc`, headers },
      response: {
        status: 403,
        headers: [{ name: 'x-amzn-RequestId', value: 'r1' }],
        content: { text: '{"message":"Forbidden"}' },
      },
    });
    const named = captureOf([entry([{ name: 'x-apigw-api-id', value: 'a1b2c3d4e5' }])]).responses[0];
    expect(named.observation.requestHeaders).toEqual({
      'x-apigw-api-id': 'a1b2c3d4e5',
      authorization: 'AWS4-HMAC-SHA256 … (query)',
    });
    expect(named.requests).toEqual([`GET https://${SAMPLE_HOST.vpce}/prod/x?X-Amz-Signature=abc`]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-'));
    const write = (name: string, entries: unknown[]) => {
      fs.writeFileSync(path.join(dir, name), JSON.stringify({ log: { version: '1.2', entries } }));
      return path.join(dir, name);
    };
    const a = json(['explain', '--har', write('a.har', [entry([{ name: 'x-apigw-api-id', value: 'a1b2c3d4e5' }])])]);
    expect(a.responses[0].host).toMatchObject({ kind: 'vpce', apiId: 'a1b2c3d4e5' });
    const b = json(['explain', '--har', write('b.har', [entry([{ name: 'Host', value: SAMPLE_HOST.default }])])]);
    expect(b.responses[0].host).toMatchObject({ kind: 'vpce', apiId: 'a1b2c3d4e5' });
    const c = run(['explain', '--har', write('c.har', [entry([])])]);
    expect(c.stdout).toContain('The capture shows neither header: API Gateway cannot tell which API is meant.');
    const none = run(['explain', '--har', write('d.har', [])]);
    expect(none.stdout).toBe(
      `${path.join(dir, 'd.har')}: 0 entries, 0 distinct API Gateway 403 response(s).\n\nNothing to explain.\n`,
    );
  });

  test("a 403 is API Gateway's on an execute-api host, or with its headers on a host of no other AWS service", () => {
    const headers = new Map([['x-amzn-requestid', 'r']]);
    expect(fromApiGateway(SAMPLE_HOST.default, new Map())).toBe(true);
    expect(fromApiGateway(SAMPLE_HOST.vpce, new Map())).toBe(true);
    expect(fromApiGateway('api.example.com', headers)).toBe(true);
    expect(fromApiGateway('api.example.com', new Map([['apigw-requestid', 'r']]))).toBe(true);
    expect(fromApiGateway('api.example.com', new Map([['server', 'nginx']]))).toBe(false);
    expect(fromApiGateway('dynamodb.eu-west-1.amazonaws.com', headers)).toBe(false);
    expect(fromApiGateway('abcdefghijklmnop.lambda-url.eu-west-1.on.aws', headers)).toBe(false);
  });

  test('a path that is not valid percent-encoding is kept as sent', () => {
    const capture = captureOf([
      {
        request: { url: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/%E0%A4%A' },
        response: { status: 403, content: { text: 'Forbidden' } },
      },
    ]);
    expect(capture.responses[0].observation).toMatchObject({
      path: '/prod/%E0%A4%A',
      message: 'Forbidden',
      requestHeaders: {},
    });
    expect(capture.responses[0].requests).toEqual([
      'GET https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/%E0%A4%A',
    ]);
  });

  test('the message of a body: JSON message or Message, else its first line', () => {
    expect(messageOfBody('{"message":"Forbidden"}')).toBe('Forbidden');
    expect(messageOfBody('{"Message":"User: anonymous"}')).toBe('User: anonymous');
    expect(messageOfBody('"Forbidden"')).toBe('Forbidden');
    expect(messageOfBody('<html>\n<body>x</body>')).toBe('<html>');
    expect(messageOfBody('x'.repeat(400))).toHaveLength(301);
    expect(messageOfBody('  ')).toBeUndefined();
    expect(messageOfBody(undefined)).toBeUndefined();
  });
});

describe('--app', () => {
  test('names the finding of a failing template that explains the response, and says why the id cannot be tied', () => {
    const r = run([
      'explain',
      '--status',
      '403',
      '--error-type',
      'ForbiddenException',
      '--message',
      'Forbidden',
      '--host',
      'zz9yy8xx7w.execute-api.us-east-1.amazonaws.com',
      '--app',
      rel('failing.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[1] private-dns-shadows-public-api  <- the app');
    expect(r.stdout).toContain('    In the app: error ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]');
    expect(r.stdout).toMatch(
      new RegExp(
        `\\n {8}resource: Fn \\(Properties\\.Environment\\.Variables\\.URL\\) at ${rel('failing.json')}:\\d+:\\d+\\n`,
      ),
    );
    expect(r.stdout).toContain('App: 1 finding explains this response.');
    expect(r.stdout).toContain('The API id zz9yy8xx7w does not appear in the app: ids are assigned at deployment');
    const doc = json([
      'explain',
      '--message',
      'Forbidden',
      '--host',
      'zz9yy8xx7w.execute-api.us-east-1.amazonaws.com',
      '--app',
      rel('failing.json'),
    ]);
    expect(doc.responses[0].app).toMatchObject({
      tiedBy: 'none',
      findings: [{ ruleId: 'ApiReachability-PrivateDnsShadowsPublicApi', findingId: 'failing/Api' }],
    });
    expect(doc.responses[0].causes.find((c) => c.id === 'private-dns-shadows-public-api')!.findings).toEqual([
      'ApiReachability-PrivateDnsShadowsPublicApi[failing/Api]',
    ]);
  });

  test('a custom domain the app declares narrows to its findings', () => {
    const doc = json([
      'explain',
      '--message',
      'Forbidden',
      '--host',
      'API.example.com',
      '--app',
      APP,
      '--region',
      'eu-west-1',
    ]);
    expect(doc.responses[0].app).toMatchObject({
      tiedBy: 'domain',
      findings: [{ ruleId: 'ApiReachability-CustomDomainWithoutMapping', findingId: 'app/Domain' }],
    });
    expect(ids(doc.responses[0])[0]).toBe('custom-domain-without-mapping');
  });

  test('an API id that appears literally in the app (an imported API) narrows to its findings', () => {
    const doc = json([
      'explain',
      '--message',
      'Forbidden',
      '--host',
      SAMPLE_HOST.default,
      '--app',
      APP,
      '--region',
      'eu-west-1',
    ]);
    expect(doc.responses[0].app).toMatchObject({
      tiedBy: 'literal',
      findings: [{ ruleId: 'ApiReachability-PrivateDnsShadowsUnknownApi' }],
    });
    expect(doc.responses[0].app!.note).toBe('a1b2c3d4e5 appears in the app in app/Fn: the findings that concern it.');
  });

  test('a host the app does not know keeps every finding of the fitting rules, and says so', () => {
    const doc = json(['explain', '--message', 'Forbidden', '--host', 'other.example.com', '--app', APP]);
    expect(doc.responses[0].app!.tiedBy).toBe('none');
    expect(doc.responses[0].app!.note).toContain('The app declares no custom domain named other.example.com');
    expect(doc.responses[0].app!.findings.map((f) => f.ruleId)).toEqual([
      'ApiReachability-CustomDomainWithoutMapping',
      'ApiReachability-PrivateDnsShadowsUnknownApi',
    ]);
    const noHost = json(['explain', '--message', 'Missing Authentication Token', '--app', APP]);
    expect(noHost.responses[0].app).toMatchObject({ tiedBy: 'none', findings: [] });
    expect(noHost.responses[0].app!.note).toContain('No hostname was given');
  });

  test('a tied host without a finding of the fitting rules is said to be clean', () => {
    const r = run(['explain', '--har', CAPTURE, '--app', APP, '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('App: no finding explains this response.');
    expect(r.stdout).toContain(
      'a1b2c3d4e5 appears in the app in app/Fn, and no finding of the rules of the fitting causes',
    );
  });

  test("a custom domain's regional target name cannot be tied, and is said so", () => {
    const doc = json(['explain', '--message', 'Forbidden', '--host', SAMPLE_HOST['domain-target'], '--app', APP]);
    expect(doc.responses[0].app!.note).toContain(
      'The regional target name d-abcdefghij of a custom domain is assigned at deployment',
    );
    expect(ids(doc.responses[0])).toEqual([
      'custom-domain-without-mapping',
      'invalid-api-key',
      'waf-blocked',
      'lambda-authorizer-deny',
      'jwt-scope-missing',
    ]);
  });

  test('an endpoint id in the host is looked up too', () => {
    const doc = json([
      'explain',
      '--message',
      'Forbidden',
      '--host',
      'zz9yy8xx7w-vpce-0aaaabbbbccccdddd.execute-api.us-east-1.amazonaws.com',
      '--app',
      APP,
    ]);
    expect(doc.responses[0].app!.note).toContain(
      'The API id zz9yy8xx7w and endpoint id vpce-0aaaabbbbccccdddd do not appear in the app',
    );
  });
});

describe('what to check, filled in', () => {
  test('the placeholders of the check steps take what the response tells', () => {
    const arn = 'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/orders';
    const message = `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn}`;
    const host = SAMPLE_HOST['endpoint-specific'];
    expect(placeholderValues({ observation: { message, path: '/prod/orders' }, host: parseHost(host) })).toEqual({
      'api-id': 'a1b2c3d4e5',
      region: 'eu-west-1',
      'vpce-id': 'vpce-0123456789abcdef0',
      stage: 'prod',
      'api-resource-arn': arn,
    });
    expect(placeholderValues({ observation: { path: '/v1/x' }, host: parseHost('api.example.com') })).toEqual({
      host: 'api.example.com',
    });
    expect(
      placeholderValues({ observation: {}, host: parseHost('short.execute-api.eu-west-1.amazonaws.com') }),
    ).toEqual({ region: 'eu-west-1' });
    const doc = json(['explain', '--error-type', 'AccessDeniedException', '--message', message, '--host', host]);
    const endpoint = doc.responses[0].causes.find((c) => c.id === 'endpoint-policy-deny') as unknown as {
      check: string[];
    };
    expect(endpoint.check[0]).toContain('--vpc-endpoint-ids vpce-0123456789abcdef0 --region eu-west-1');
    expect(endpoint.check[1]).toContain(`execute-api:Invoke on ${arn}`);
    // Unknown values stay placeholders.
    const bare = json(['explain', '--error-type', 'AccessDeniedException', '--message', message]);
    expect(
      (bare.responses[0].causes.find((c) => c.id === 'endpoint-policy-deny') as unknown as { check: string[] })
        .check[0],
    ).toContain('--vpc-endpoint-ids <vpce-id> --region <region>');
  });
});

describe('output', () => {
  test('explaining loads neither aws-cdk-lib nor cdk-nag', () => {
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('ts-node/dist/bin.js'),
        '--transpile-only',
        path.join(FIXTURES, 'load-probe.ts'),
        'explain',
        '--har',
        CAPTURE,
        '--app',
        APP,
      ],
      { cwd: CWD, encoding: 'utf-8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('403 ForbiddenException');
    expect(r.stderr.trim().split('\n').pop()).toBe('LOADED []');
  });

  test('the JSON document has a stable schema, version 1, and is the same on every run', () => {
    const args = ['explain', '--har', CAPTURE, '--app', APP, '--region', 'eu-west-1', '--format', 'json'];
    const first = run(args).stdout;
    expect(run(args).stdout).toBe(first);
    const doc = JSON.parse(first) as JsonDoc;
    expect(Object.keys(doc)).toEqual(['version', 'capture', 'tableSize', 'responses']);
    expect(doc.version).toBe(1);
    expect(doc.tableSize).toBe(FORBIDDEN_CAUSES.length);
    expect(Object.keys(doc.responses[0])).toEqual([
      'observed',
      'requests',
      'count',
      'host',
      'coversStatus',
      'unmatched',
      'causes',
      'app',
    ]);
    expect(Object.keys(doc.responses[0].causes[0])).toEqual([
      'id',
      'title',
      'origin',
      'meaning',
      'check',
      'rules',
      'source',
      'findings',
    ]);
    expect(Object.keys(doc.responses[0].app!)).toEqual(['tiedBy', 'resources', 'note', 'findings']);
    expect(Object.keys(doc.responses[0].app!.findings[0])).toEqual([
      'ruleId',
      'findingId',
      'level',
      'message',
      'fix',
      'docs',
      'resource',
      'location',
      'related',
    ]);
    expect(json(['explain', '--message', 'Forbidden']).capture).toBeNull();
  });

  test('--out writes the output to a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-'));
    const out = path.join(dir, 'why.json');
    const r = run(['explain', '--message', 'Forbidden', '--format', 'json', '--out', out]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((JSON.parse(fs.readFileSync(out, 'utf-8')) as JsonDoc).version).toBe(1);
  });

  test('colour only on a TTY without NO_COLOR', () => {
    expect(run(['explain', '--message', 'Forbidden'], { isTTY: true }).stdout).toContain('\u001b[1m');
    expect(run(['explain', '--message', 'Forbidden'], { isTTY: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(
      '\u001b[',
    );
    expect(run(['explain', '--message', 'Forbidden']).stdout).not.toContain('\u001b[');
  });

  test('--help shows the usage, and the overall usage lists explain', () => {
    const r = run(['explain', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: api-reachability explain');
    expect(run(['--help']).stdout).toMatch(/^ {2}explain +explain an API Gateway 403/m);
  });
});

describe('bad input: exit 2, one line', () => {
  const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-bad-'));
  fs.writeFileSync(path.join(DIR, 'list.har'), '[1, 2]');
  test.each([
    [
      ['explain'],
      'api-reachability: explain needs what was observed: --status, --error-type, --message, --host or --path, or a capture with --har',
    ],
    [['explain', '--har', rel('explain/missing.har')], `api-reachability: ${rel('explain/missing.har')}: no such file`],
    [
      ['explain', '--har', rel('explain/broken.har')],
      `api-reachability: ${rel('explain/broken.har')}: not a HAR file: bad JSON (`,
    ],
    [
      ['explain', '--har', rel('explain/no-entries.har')],
      `api-reachability: ${rel('explain/no-entries.har')}: not a HAR file: no log.entries array`,
    ],
    [['explain', '--har', path.join(DIR, 'list.har')], 'not a HAR file: no log.entries array'],
    [['explain', '--har', DIR], 'cannot be read (EISDIR)'],
    [
      ['explain', '--har', CAPTURE, '--status', '403'],
      'api-reachability: --har reads the observations from the capture: it cannot be combined with --status',
    ],
    [
      ['explain', '--status', 'forbidden'],
      "api-reachability: --status must be an HTTP status code such as 403, not 'forbidden'",
    ],
    [
      ['explain', '--message', 'Forbidden', '--app', rel('explain/nowhere.json')],
      `api-reachability: ${rel('explain/nowhere.json')}: no such file or directory`,
    ],
    [['explain', '--message', 'Forbidden', '--app', rel('bad.json')], `api-reachability: ${rel('bad.json')}`],
    [
      ['explain', '--message', 'Forbidden', 'cdk.out'],
      "api-reachability: explain takes no inputs of its own ('cdk.out'): give the app with --app",
    ],
    [
      ['explain', '--message', 'Forbidden', '--format', 'sarif'],
      "api-reachability: --format must be text or json, not 'sarif'",
    ],
    [['explain', '--host', 'https://[bad'], "api-reachability: --host 'https://[bad' is neither a hostname nor a URL"],
    [
      ['explain', '--message', 'Forbidden', '--out', path.join(DIR, 'no', 'such', 'dir.txt')],
      'cannot be written (ENOENT)',
    ],
  ])('%j', (args, start) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(start);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// `UPDATE_DOCS=1 npx jest test/cli/explain.test.ts` rewrites the examples of docs/cli-explain.md from real runs.
describe('docs/cli-explain.md', () => {
  const doc = fs.readFileSync(path.join(CWD, 'docs', 'cli-explain.md'), 'utf-8');
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  const examples = [...doc.matchAll(/<!-- example: (\[.*?\]) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => ({
    args: JSON.parse(m[1]) as string[],
    block: m[2],
  }));

  test('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  test.each(examples.map((e) => [e.args.join(' '), e] as const))('the example of `%s` is a real run', (_name, e) => {
    const [command, ...output] = e.block.split('\n');
    expect(command).toBe(`$ api-reachability ${e.args.map(quote).join(' ')}`);
    const r = run(e.args);
    expect(r.code).toBe(0);
    if (process.env.UPDATE_DOCS === '1' && output.join('\n') !== r.stdout) {
      const file = path.join(CWD, 'docs', 'cli-explain.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace(e.block, `${command}\n${r.stdout}`));
      return;
    }
    expect(output.join('\n')).toBe(r.stdout);
  });

  test('holds the table of causes as the data has it', () => {
    expect(doc).toContain(`<!-- causes-table -->\n${causesMarkdownTable()}\n<!-- /causes-table -->`);
  });

  test('names every row of the table and every host kind', () => {
    for (const c of FORBIDDEN_CAUSES) expect([c.id, doc.includes(`\`${c.id}\``)]).toEqual([c.id, true]);
    for (const k of HOST_KINDS) expect([k, doc.includes(`\`${k}\``)]).toEqual([k, true]);
  });
});
