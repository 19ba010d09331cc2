/**
 * `api-reachability report`: the reachability matrix on the bundled example (broken and fixed), on
 * templates with a passing, an unknown and a target-less link, its Mermaid diagram, its JSON schema,
 * `--out`, bad input, and determinism. docs/cli-report.md shows a real run on the bundled example:
 * `UPDATE_DOCS=1 npx jest test/cli/report-command.test.ts` rewrites its generated blocks.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildBroken } from '../../examples/payments/broken';
import { buildFixed } from '../../examples/payments/fixed';
import { readInputs, resolveInputs } from '../../src/cli/inputs';
import { main } from '../../src/cli/main';
import { buildMatrix } from '../../src/cli/matrix';
import { matrixMarkdown, mermaidText } from '../../src/cli/matrix-format';
import { analyzeGraph, READ } from '../../src/engine';
import { Facts, FactUnavailable, deriveFacts } from '../../src/facts';
import { ResourceGraph } from '../../src/graph/resource-graph';

const CWD = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'report');
const DOC = path.join(CWD, 'docs', 'cli-report.md');
const rel = (f: string) => path.relative(CWD, path.join(FIXTURES, f));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env: {},
    cwd: CWD,
  });
  return { code, stdout, stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'api-reachability-report-'));
}

/** Synthesizes an example app as `cdk synth` does (construct paths in the templates) into a fresh cdk.out. */
function synth(build: (app: App) => void): string {
  const out = path.join(tempDir(), 'cdk.out');
  const app = new App({ outdir: out, context: { 'aws:cdk:enable-path-metadata': true } });
  build(app);
  app.synth();
  return out;
}

interface JsonLink {
  caller: string;
  target: string;
  hostname: string | null;
  urlPath: string | null;
  via: string;
  verdict: string;
  findings: Array<{ label: string; ruleId: string; level: string; message: string }>;
  notes: unknown[];
  unknown: string[];
  path: { [step: string]: { value: string; known: boolean; text: string; node: string | null } | null };
}

interface JsonDoc {
  version: number;
  tool: { name: string; version: string };
  summary: { links: number; reaches: number; fails: number; unknown: number; withoutCall: number };
  nodes: Array<{ id: string; type: string; label: string; vpc: string | null; resource: unknown }>;
  links: JsonLink[];
  unlinkedFindings: Array<{ label: string }>;
  problems: string[];
}

function json(args: string[]): JsonDoc {
  const r = run(['report', '--format', 'json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDoc;
}

const labelOf = (doc: JsonDoc, id: string) => doc.nodes.find((n) => n.id === id)?.label;

let broken: string;
let fixed: string;
beforeAll(() => {
  broken = synth(buildBroken);
  fixed = synth(buildFixed);
}, 120_000);

describe('report on the bundled example', () => {
  test('broken: every link to a public API fails, each with the finding that says why; the private API is reached', () => {
    const doc = json([broken]);
    expect(doc.summary).toEqual({ links: 5, reaches: 1, fails: 4, unknown: 0, withoutCall: 0 });
    const rows = doc.links.map((l) => [
      labelOf(doc, l.caller),
      labelOf(doc, l.target),
      l.verdict,
      l.findings.map((f) => f.label),
    ]);
    expect(rows).toEqual([
      [
        'ECS service Svc/Worker/Service',
        'HTTP API Svc/OrdersApi',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[Svc/OrdersApi/Resource]'],
      ],
      ['Lambda function Svc/Ledger', 'REST API Svc/InternalApi (PRIVATE)', 'reaches', []],
      [
        'Lambda function Svc/Ledger',
        'REST API Svc/PaymentsApi (REGIONAL)',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[Svc/PaymentsApi/Resource]'],
      ],
      [
        'Lambda function Svc/OrderSync',
        'HTTP API Svc/OrdersApi',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[Svc/OrdersApi/Resource]'],
      ],
      [
        'Lambda function Svc/OrderSync',
        'REST API Svc/PaymentsApi (REGIONAL)',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[Svc/PaymentsApi/Resource]'],
      ],
    ]);
    for (const l of doc.links) {
      expect(l.path.dns).toMatchObject({ value: 'endpoint', known: true });
      expect(labelOf(doc, l.path.dns!.node!)).toBe('execute-api endpoint Net/Vpc/ExecuteApi');
      expect(l.hostname).toMatch(/^\{Svc\/(Orders|Payments|Internal)Api id\}\.execute-api\.eu-west-1\.amazonaws\.com$/);
    }
    expect(doc.links.filter((l) => l.verdict === 'fails').map((l) => l.path.egress!.value)).toEqual([
      'not-needed',
      'not-needed',
      'not-needed',
      'not-needed',
    ]);
    // The spoke VPC has no endpoint of its own: the Route 53 Profile carries the hub's to it.
    expect(doc.links[2].path.dns!.text).toContain('Route 53 Profile Net/SharedDns');
    expect(doc.links[4].urlPath).toBe('/prod');
  });

  test('broken: the same findings as check reports', () => {
    const checked = JSON.parse(run(['check', '--format', 'json', broken]).stdout) as {
      findings: Array<{ ruleId: string; findingId: string }>;
    };
    const inReport = json([broken]).links.flatMap((l) => l.findings.map((f) => f.label));
    expect([...new Set(inReport)].sort()).toEqual(
      [...new Set(checked.findings.map((f) => `${f.ruleId}[${f.findingId}]`))].sort(),
    );
  });

  test('fixed: every link reaches, through the custom domain and the mapping its base path selects', () => {
    const doc = json([fixed]);
    expect(doc.summary).toEqual({ links: 5, reaches: 5, fails: 0, unknown: 0, withoutCall: 0 });
    const viaDomain = doc.links.filter((l) => l.hostname === 'api.example.com');
    const rows = viaDomain.map((l) => [labelOf(doc, l.caller), labelOf(doc, l.target), l.urlPath, l.path.domain!.text]);
    expect(rows).toEqual([
      [
        'ECS service Svc/Worker/Service',
        'HTTP API Svc/OrdersApi',
        '/orders',
        'custom domain api.example.com (REGIONAL), mapping /orders → stage $default',
      ],
      [
        'Lambda function Svc/OrderSync',
        'HTTP API Svc/OrdersApi',
        '/orders',
        'custom domain api.example.com (REGIONAL), mapping /orders → stage $default',
      ],
      [
        'Lambda function Svc/OrderSync',
        'REST API Svc/PaymentsApi (REGIONAL)',
        '/payments',
        'custom domain api.example.com (REGIONAL), mapping /payments → stage prod',
      ],
    ]);
    for (const l of viaDomain) {
      expect(l.path.dns).toMatchObject({ value: 'public', known: true });
      expect(l.path.egress).toMatchObject({ value: 'nat', known: true });
      expect(l.path.policies).toMatchObject({ value: 'allow', known: true });
      expect(l.findings).toEqual([]);
    }
  });

  test("fixed: the spoke Lambda reaches the private API through the hub's zone for it, and the public API on public DNS", () => {
    const doc = json([fixed]);
    const spoke = doc.links.filter((l) => labelOf(doc, l.caller) === 'Lambda function Svc/Ledger');
    expect(spoke.map((l) => [labelOf(doc, l.target), l.verdict, l.path.dns!.value])).toEqual([
      ['REST API Svc/InternalApi (PRIVATE)', 'reaches', 'endpoint'],
      ['REST API Svc/PaymentsApi (REGIONAL)', 'reaches', 'public'],
    ]);
    expect(spoke[0].path.dns!.text).toContain('private hosted zone Svc/HubAccess/ApiZone');
    expect(labelOf(doc, spoke[0].path.dns!.node!)).toBe('execute-api endpoint Net/Vpc/ExecuteApi');
    expect(spoke[0].path.policies).toMatchObject({ value: 'allow', known: true });
  });

  test('broken, Markdown: the hops into failing APIs are red and labelled by rule', () => {
    const md = run(['report', broken]).stdout;
    expect(md).toContain('5 links from callers to APIs and custom domains: 1 reaches, 4 fail, 0 unknown.');
    // The way in is drawn plain; the hop into the API, where the call fails, is red and names the rule.
    expect(md).toMatch(/\n {2}caller\d+ --> endpoint1\n/);
    expect(md).toMatch(/endpoint1 -->\|"PrivateDnsShadowsPublicApi"\| api\d+/);
    expect(md).toContain('  linkStyle 1 stroke:#d62728,stroke-width:2px,color:#d62728\n  linkStyle 4 stroke:#d62728');
    expect(md).toContain(
      '| Verdict | **fails**: `ApiReachability-PrivateDnsShadowsPublicApi[Svc/PaymentsApi/Resource]` |',
    );
  });
});

describe('report on templates', () => {
  test('a passing link, an unknown link, a caller without a target, and a finding on no link', () => {
    const doc = json(['--region', 'eu-west-1', rel('mixed.yaml')]);
    expect(doc.summary).toEqual({ links: 3, reaches: 1, fails: 0, unknown: 2, withoutCall: 1 });
    const byCaller = new Map(doc.links.map((l) => [labelOf(doc, l.caller), l]));

    const passing = byCaller.get('Lambda function mixed/Public')!;
    expect(passing.verdict).toBe('reaches');
    expect(passing.unknown).toEqual([]);
    expect(passing.path.vpc!.value).toBe('none');
    expect(passing.path.dns!.value).toBe('public');
    expect(passing.path.egress!.value).toBe('internet');
    expect(passing.urlPath).toBe('/prod');

    const unknown = byCaller.get('Lambda function mixed/Imported')!;
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.path.dns).toMatchObject({ value: 'unknown', known: false });
    expect(unknown.unknown).toEqual([
      'VPC param:mixed#VpcId is imported: it may have execute-api endpoints with private DNS that the app does not show',
      'whether its subnets (param:mixed#SubnetId) route to the internet is not known',
    ]);

    const idle = byCaller.get('Lambda function mixed/Idle')!;
    expect(idle).toMatchObject({ target: 'unknown', hostname: null, via: 'none', verdict: 'unknown' });
    expect(idle.unknown[0]).toMatch(/^no call found/);

    expect(doc.unlinkedFindings.map((f) => f.label)).toEqual([
      'ApiReachability-CustomDomainWithoutMapping[mixed/Orphan]',
    ]);
    const md = run(['report', '--region', 'eu-west-1', rel('mixed.yaml')]).stdout;
    expect(md).toContain(
      '3 links from callers to APIs and custom domains: 1 reaches, 0 fail, 2 unknown (of which 1 caller with no call found).',
    );
    // Its row says all there is: no section of its own.
    expect(md).toMatch(
      /\n\| 1 \| Lambda function mixed\/Idle \| target unknown \| _not known_ \| _unknown_: no call found/,
    );
    expect(md).not.toContain('### 1. Lambda function mixed/Idle');
    expect(md).toContain('### 2. Lambda function mixed/Imported');
  });

  test('shared DNS: a Route 53 Profile carries a hub endpoint; a zone per private API aliases the hub endpoint', () => {
    const templates = path.join(CWD, 'test', 'fixtures', 'templates');
    const doc = json([
      path.relative(CWD, path.join(templates, 'fails', 'route53-profile-shadows-public-api.yaml')),
      path.relative(CWD, path.join(templates, 'passes', 'hub-and-spoke-private-api-zone.yaml')),
    ]);
    const rows = doc.links.map((l) => [labelOf(doc, l.caller), l.verdict, l.path.dns?.value, l.path.dns?.text]);
    const byTarget = new Map(doc.links.map((l) => [labelOf(doc, l.target), l]));
    // The spoke has no endpoint: the Profile brings the hub's private DNS, and with it the 403.
    const shadowed = byTarget.get('REST API route53-profile-shadows-public-api/Api (REGIONAL)')!;
    expect(shadowed.verdict).toBe('fails');
    expect(shadowed.path.dns?.value).toBe('endpoint');
    expect(shadowed.path.dns?.text).toContain('Route 53 Profile route53-profile-shadows-public-api/SharedDns');
    expect(labelOf(doc, shadowed.path.dns!.node!)).toBe(
      'execute-api endpoint route53-profile-shadows-public-api/HubEndpoint',
    );
    expect(shadowed.findings.map((f) => f.label)).toEqual([
      'ApiReachability-PrivateDnsShadowsPublicApi[route53-profile-shadows-public-api/Api]',
    ]);
    // The zone made for the private API leads to the hub endpoint, whose policies allow the call.
    const zoned = byTarget.get('REST API hub-and-spoke-private-api-zone/InternalApi (PRIVATE)')!;
    expect(zoned.verdict).toBe('reaches');
    expect(zoned.path.dns?.text).toContain(
      'private hosted zone hub-and-spoke-private-api-zone/InternalZone ({InternalApi}.execute-api.{region}.amazonaws.com)',
    );
    expect(zoned.path.egress?.value).toBe('not-needed');
    // A public API's name stays public in that spoke.
    expect(rows.filter((r) => r[2] === 'public').length).toBeGreaterThan(0);
  });

  test('private APIs through an execute-api endpoint: policies allow, leave the call unknown, or a finding stops it', () => {
    const doc = json(['--region', 'eu-west-1', rel('private.yaml')]);
    expect(doc.summary).toEqual({ links: 9, reaches: 3, fails: 3, unknown: 3, withoutCall: 0 });
    const rows = doc.links.map((l) => [
      labelOf(doc, l.caller),
      labelOf(doc, l.target),
      l.via,
      l.verdict,
      l.findings.map((f) => f.label),
      l.unknown,
    ]);
    expect(rows).toEqual([
      ['Lambda function private/Fn', 'REST API private/AnyApi (PRIVATE)', 'default-host', 'reaches', [], []],
      [
        'Lambda function private/Fn',
        'REST API private/BareApi (PRIVATE)',
        'default-host',
        'fails',
        ['ApiReachability-PrivateApiWithoutResourcePolicy[private/BareApi]'],
        [],
      ],
      [
        'Lambda function private/Fn',
        'REST API private/LiteralApi (PRIVATE)',
        'default-host',
        'unknown',
        [],
        ['resource policy: decision for this call not known (it depends on values the app does not show)'],
      ],
      ['Lambda function private/Fn', 'REST API private/OpenApi (PRIVATE)', 'default-host', 'reaches', [], []],
      ['Lambda function private/Fn', 'REST API private/OpenApi (PRIVATE)', 'endpoint-host', 'reaches', [], []],
      [
        'Lambda function private/Guarded',
        'HTTP API private/PublicApi',
        'default-host',
        'unknown',
        [],
        ['a public API is reached through an execute-api endpoint, though no rule reports it'],
      ],
      [
        'Lambda function private/Offline',
        'HTTP API private/OtherApi',
        'bare-id',
        'fails',
        ['ApiReachability-PublicApiCallerWithoutEgress[private/OtherApi]'],
        [],
      ],
      [
        'Lambda function private/Offline',
        'HTTP API private/PublicApi',
        'default-host',
        'fails',
        ['ApiReachability-PublicApiCallerWithoutEgress[private/PublicApi]'],
        [],
      ],
      [
        'Lambda function private/Offline',
        'API outside the app (abc123def4.execute-api.eu-west-1.amazonaws.com)',
        'default-host',
        'unknown',
        [],
        [
          'an API the app does not define (abc123def4.execute-api.eu-west-1.amazonaws.com): its type and policies are not known',
        ],
      ],
    ]);
    const [any, , , open, openByHost, guarded, byId] = doc.links;
    // An exposure is a note: it does not stop the call.
    expect(any.notes).toEqual([
      expect.objectContaining({ label: 'ApiReachability-PrivateApiPolicyAllowsAnyEndpoint[private/AnyApi]' }),
    ]);
    expect(open.path.policies).toMatchObject({ value: 'allow', known: true });
    expect(open.path.policies!.text).toBe(
      'resource policy: allows; endpoint policy: none (full access); IAM: not used',
    );
    expect(openByHost.hostname).toBe('{private/OpenApi id}-{vpce id}.execute-api.eu-west-1.amazonaws.com');
    expect(labelOf(doc, openByHost.path.dns!.node!)).toBe('execute-api endpoint private/Endpoint');
    expect(guarded).toMatchObject({ conditional: true });
    expect(byId).toMatchObject({ hostname: null, path: { dns: { value: 'unknown', known: false } } });
    expect(doc.links[7].path.egress).toMatchObject({ value: 'none', known: true });
  });

  test('one finding for several calls of one API stops the calls made the same way, not the one through a domain', () => {
    const doc = json(['--region', 'eu-west-1', rel('twice.yaml')]);
    expect(doc.links.map((l) => [l.hostname, l.urlPath, l.verdict, l.findings.map((f) => f.label)])).toEqual([
      [
        '{twice/Api id}.execute-api.eu-west-1.amazonaws.com',
        '/prod/a',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[twice/Api]'],
      ],
      [
        '{twice/Api id}.execute-api.eu-west-1.amazonaws.com',
        '/prod/b',
        'fails',
        ['ApiReachability-PrivateDnsShadowsPublicApi[twice/Api]'],
      ],
      ['api.example.com', '/c', 'reaches', []],
    ]);
    expect(doc.links[2].path.dns!.text).toBe('public DNS: Route 53 A alias record twice/Record');
    expect(doc.links[2].path.domain!.text).toBe('custom domain api.example.com (REGIONAL), mapping / → stage prod');
  });

  test('IAM authorization, an endpoint whose private DNS is a parameter, a domain without record or matching mapping', () => {
    const doc = json(['--region', 'eu-west-1', rel('iam.yaml')]);
    const rows = doc.links.map((l) => [
      labelOf(doc, l.caller),
      l.verdict,
      l.findings.map((f) => f.label),
      l.unknown,
      l.path.policies!.text,
    ]);
    expect(rows).toEqual([
      [
        'Lambda function iam/Granted',
        'reaches',
        [],
        [],
        'resource policy: none; IAM (all methods), role iam/GrantedRole: allows',
      ],
      [
        'Lambda function iam/InVpc',
        'unknown',
        [],
        [
          "how VPC iam/Vpc resolves the name is not known (an endpoint's private DNS, a zone, a Profile or a condition the app does not show)",
          'whether its subnets (iam/Subnet) route to the internet is not known',
        ],
        'resource policy: none; IAM (all methods), role iam/GrantedRole: allows',
      ],
      [
        'Lambda function iam/Lost',
        'unknown',
        [],
        [
          'no Route 53 record of the app publishes nomap.example.com',
          'custom domain nomap.example.com (REGIONAL), mappings of this API /v1 → stage prod: no mapping of the domain matches the path /v2/x',
        ],
        'resource policy: none; IAM (all methods), role iam/GrantedRole: allows',
      ],
      [
        'Lambda function iam/Ungranted',
        'fails',
        ['ApiReachability-IamAuthCallerNotGranted[iam/IamApi]'],
        [],
        'resource policy: none; IAM (all methods), role iam/BareRole: does not allow (implicit deny)',
      ],
    ]);
    const endpoint = doc.nodes.find((n) => n.type === 'endpoint') as unknown as { privateDns: unknown };
    expect(endpoint.privateDns).toBe('unknown');
  });

  test('a fact family that cannot be derived makes the steps that need it unknown, named once', () => {
    const stacks = readInputs(resolveInputs([path.join(FIXTURES, 'twice.yaml')]), 'eu-west-1');
    const graph = ResourceGraph.fromStacks(stacks, READ);
    const facts = deriveFacts(graph);
    const findings = analyzeGraph(graph).findings;
    const without = Object.create(facts, {
      egress: {
        get: () => {
          throw new FactUnavailable('egress');
        },
      },
    }) as Facts;
    const m = buildMatrix(without, findings);
    expect(m.problems).toEqual(['without the egress facts, the steps that need them are unknown']);
    const viaDomain = m.links.find((l) => l.via === 'domain')!;
    expect(viaDomain).toMatchObject({ verdict: 'unknown', unknown: ['the routes of its subnets are not known'] });
    // The shadowed calls stay failing: their findings do not need the egress facts.
    expect(m.links.filter((l) => l.verdict === 'fails')).toHaveLength(2);
    expect(matrixMarkdown(m)).toContain(
      '\n## What could not be read\n\n- without the egress facts, the steps that need them are unknown\n',
    );
    expect(() =>
      buildMatrix(
        Object.create(facts, {
          calls: {
            get: () => {
              throw new Error('boom');
            },
          },
        }) as Facts,
        [],
      ),
    ).toThrow('boom');
  });

  test('near misses: a record to a name outside the app, a domain that maps an API of another app, a private API over public DNS outside a VPC, a VPC not known', () => {
    const doc = json(['--region', 'eu-west-1', rel('edges.yaml')]);
    const rows = doc.links.map((l) => [labelOf(doc, l.caller), labelOf(doc, l.target), l.verdict, l.unknown]);
    expect(rows).toEqual([
      [
        'Lambda function edges/Aliased',
        'DNS record edges/Other (other.example.com)',
        'unknown',
        ['the API behind this name is not known'],
      ],
      [
        'Lambda function edges/Imported',
        'custom domain edges/ImpDomain (imp.example.com)',
        'unknown',
        ['custom domain imp.example.com (REGIONAL) maps an API the app does not define, or one that cannot be told'],
      ],
      [
        'Lambda function edges/Outside',
        'REST API edges/PrivApi (PRIVATE)',
        'unknown',
        ["a private API's default hostname resolves to public addresses, though no rule reports it"],
      ],
      [
        'Lambda function edges/Placed',
        'REST API edges/PrivApi (PRIVATE)',
        'unknown',
        [
          'its VPC cannot be told from its subnets and security groups',
          'whether its subnets (subnet-0123456789abcdef0) route to the internet is not known',
        ],
      ],
    ]);
    expect(doc.links[0].path.dns).toMatchObject({
      value: 'public',
      known: true,
      text: 'public DNS: Route 53 CNAME record edges/Other',
    });
    expect(doc.nodes.find((n) => n.id === doc.links[0].target)!.type).toBe('external');
    expect(doc.links[1].path.api).toMatchObject({ value: 'unknown', known: false });
    expect(doc.links[1].path.dns).toMatchObject({ value: 'public', known: true });
  });

  test('the JSON document has the documented fields', () => {
    const doc = json(['--region', 'eu-west-1', rel('mixed.yaml')]);
    expect(Object.keys(doc).sort()).toEqual(
      ['links', 'nodes', 'problems', 'summary', 'tool', 'unlinkedFindings', 'version'].sort(),
    );
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: 'api-reachability', version: expect.any(String) });
    for (const n of doc.nodes) {
      expect(Object.keys(n).sort()).toEqual(
        ['id', 'label', 'resource', 'type', 'vpc', ...(n.type === 'endpoint' ? ['privateDns'] : [])].sort(),
      );
    }
    for (const l of doc.links) {
      expect(Object.keys(l).sort()).toEqual(
        [
          'caller',
          'conditional',
          'evidence',
          'findings',
          'hostname',
          'notes',
          'path',
          'target',
          'unknown',
          'urlPath',
          'verdict',
          'via',
        ].sort(),
      );
      expect(Object.keys(l.path)).toEqual(['vpc', 'dns', 'egress', 'domain', 'api', 'policies']);
      expect(['reaches', 'fails', 'unknown']).toContain(l.verdict);
      const ids = new Set(doc.nodes.map((n) => n.id));
      expect(ids.has(l.caller) && ids.has(l.target)).toBe(true);
    }
  });
});

describe('report: the route a call through a custom domain takes (routeFor)', () => {
  const rest = (name: string) => ({
    Type: 'AWS::ApiGateway::RestApi',
    Properties: { Name: name, EndpointConfiguration: { Types: ['REGIONAL'] } },
  });
  const mapping = (api: string, basePath: string) => ({
    Type: 'AWS::ApiGateway::BasePathMapping',
    Properties: { DomainName: { Ref: 'Domain' }, RestApiId: { Ref: api }, BasePath: basePath, Stage: 'prod' },
  });
  const resources = (conditions: unknown[]) => ({
    Orders: rest('orders'),
    Billing: rest('billing'),
    Domain: {
      Type: 'AWS::ApiGateway::DomainName',
      Properties: {
        DomainName: 'api.example.com',
        RegionalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/c',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RoutingMode: 'ROUTING_RULE_THEN_BASE_PATH_MAPPING',
      },
    },
    OrdersMapping: mapping('Orders', 'orders'),
    BillingMapping: mapping('Billing', 'billing'),
    Rule: {
      Type: 'AWS::ApiGatewayV2::RoutingRule',
      Properties: {
        DomainNameArn: { 'Fn::GetAtt': ['Domain', 'DomainNameArn'] },
        Priority: 10,
        Conditions: conditions,
        Actions: [{ InvokeApi: { ApiId: { Ref: 'Billing' }, Stage: 'live', StripBasePath: true } }],
      },
    },
    Caller: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: 'exports.handler = async () => {}' },
        Role: 'arn:aws:iam::123456789012:role/r',
        Environment: { Variables: { API_URL: 'https://api.example.com/orders/list' } },
      },
    },
  });
  const domainSteps = (conditions: unknown[]) => {
    const graph = ResourceGraph.fromStacks(
      [{ key: 'S', region: 'eu-west-1', template: { Resources: resources(conditions) } }],
      READ,
    );
    const m = buildMatrix(deriveFacts(graph), analyzeGraph(graph).findings);
    const label = (id: string) => m.nodes.find((n) => n.id === id)!.label;
    return m.links.filter((l) => l.via === 'domain').map((l) => [label(l.target), l.path.domain!.text]);
  };

  test('a routing rule of higher priority overrides the mapping of the same base path: the link goes to its API', () => {
    expect(domainSteps([{ MatchBasePaths: { AnyOf: ['orders'] } }])).toEqual([
      ['REST API S/Billing (REGIONAL)', 'custom domain api.example.com (REGIONAL), routing rule /orders → stage live'],
    ]);
  });

  test('a routing rule that also matches headers: which API the call reaches is not known, both links stay', () => {
    const steps = domainSteps([
      { MatchBasePaths: { AnyOf: ['orders'] } },
      { MatchHeaders: { AnyOf: [{ Header: 'x-version', ValueGlob: 'beta' }] } },
    ]);
    expect(steps.map((s) => s[0]).sort()).toEqual(['REST API S/Billing (REGIONAL)', 'REST API S/Orders (REGIONAL)']);
    for (const [, text] of steps) expect(text).toContain('which route the URL path selects is not known');
  });
});

describe('Mermaid', () => {
  /** The flowchart of a Markdown report. */
  const flowchart = (md: string) => /```mermaid\n([\s\S]*?)\n```/.exec(md)![1];

  test('node ids are safe, every edge joins declared nodes, labels are quoted and escaped', () => {
    for (const input of [
      [broken],
      [fixed],
      ...['mixed.yaml', 'private.yaml', 'twice.yaml', 'iam.yaml', 'edges.yaml'].map((f) => [
        '--region',
        'eu-west-1',
        rel(f),
      ]),
    ]) {
      const chart = flowchart(run(['report', ...input]).stdout);
      const lines = chart.split('\n');
      expect(lines[0]).toBe('flowchart LR');
      const declared = new Set<string>();
      let depth = 0;
      for (const line of lines.slice(1)) {
        const t = line.trim();
        if (t === 'end') {
          depth--;
          continue;
        }
        const sub = /^subgraph ([a-z]+\d*)\["[^"]*"\]$/.exec(t);
        if (sub) {
          depth++;
          declared.add(sub[1]);
          continue;
        }
        const edge = /^([a-z]+\d*) (-->|-\.->)(\|"[^"]*"\|)? ([a-z]+\d*)$/.exec(t);
        if (edge) {
          expect(declared.has(edge[1]) && declared.has(edge[4])).toBe(true);
          continue;
        }
        if (/^linkStyle \d+ stroke:#d62728,stroke-width:2px,color:#d62728$/.test(t)) continue;
        const node = /^([a-z]+\d*)(\[|\{\{|\(\[|\(|\[\/)"([^"]*)"(\]|\}\}|\]\)|\)|\/\])$/.exec(t);
        expect(node).not.toBeNull();
        declared.add(node![1]);
      }
      expect(depth).toBe(0);
    }
    // The API's name has quotes and brackets, which never reach the chart raw.
    expect(mermaidText('say "hi" [x] {y} <z> #1 | `q`')).toBe(
      'say #34;hi#34; #91;x#93; #123;y#125; #60;z#62; #35;1 #124; #96;q#96;',
    );
  });

  test('a link whose verdict is unknown is a dotted edge', () => {
    const chart = flowchart(run(['report', '--region', 'eu-west-1', rel('mixed.yaml')]).stdout);
    expect(chart).toMatch(/caller\d+ -\.->\|"unknown"\| unknown/);
    expect(chart).toContain('unknown[/"target unknown"/]');
  });
});

describe('options and input', () => {
  test('--out writes the report to the file, and nothing to stdout', () => {
    const file = path.join(tempDir(), 'matrix.md');
    const r = run(['report', '--out', file, broken]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(file, 'utf8')).toBe(run(['report', broken]).stdout);
    const short = path.join(tempDir(), 'matrix.json');
    expect(run(['report', '--format=json', '-o', short, broken]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(short, 'utf8')).version).toBe(1);
  });

  test.each([
    ['a missing file', ['report', 'missing.yaml'], 'api-reachability: missing.yaml: no such file or directory\n'],
    ['no input', ['report'], 'api-reachability: report needs a cdk.out directory, a template file or a folder\n'],
    [
      'an unknown format',
      ['report', '--format', 'html', 'x.yaml'],
      "api-reachability: --format must be md or json, not 'html'\n",
    ],
  ])('fails with exit 2 and one line on %s', (_, args, stderr) => {
    expect(run(args)).toEqual({ code: 2, stdout: '', stderr });
  });

  test('fails with exit 2 and one line on a bad template', () => {
    const r = run(['report', path.relative(CWD, path.join(__dirname, 'fixtures', 'bad.json'))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^api-reachability: test\/cli\/fixtures\/bad\.json: /);
  });

  test('fails with exit 2 when the file of --out cannot be written', () => {
    const r = run(['report', '--out', path.join(tempDir(), 'no', 'such', 'dir.md'), broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be written \(ENOENT\)\n$/);
  });

  test('a JSON file in a walked folder that is no template is skipped with a note, and the report is written', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(FIXTURES, 'twice.yaml'), path.join(dir, 'twice.yaml'));
    fs.writeFileSync(path.join(dir, 'settings.json'), '{"name": "x"}');
    const r = run(['report', '--format', 'json', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^api-reachability: skipped 1 JSON or YAML file\(s\) .*settings\.json\)\n$/);
    expect(JSON.parse(r.stdout).summary.links).toBe(3);
  });

  test('the usage names the command and its options', () => {
    const r = run(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: api-reachability report /);
    expect(r.stdout).toContain('--format <md|json>');
    expect(run(['--help']).stdout).toMatch(/\n {2}report {5}the reachability matrix/);
  });
});

test('reporting on templates loads neither aws-cdk-lib nor cdk-nag', () => {
  const probe = path.join(__dirname, 'fixtures', 'load-probe.ts');
  const r = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', probe, 'report', rel('twice.yaml')],
    {
      cwd: CWD,
      encoding: 'utf-8',
    },
  );
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('# API reachability');
  expect(r.stderr.trim().split('\n').pop()).toBe('LOADED []');
}, 60_000);

describe('determinism', () => {
  test('the order of the inputs and of the keys in a template do not change the report', () => {
    const dir = tempDir();
    const text = fs.readFileSync(path.join(FIXTURES, 'mixed.yaml'), 'utf8');
    // The same template with its resources in reverse order.
    const [head, body] = text.split('\nResources:\n');
    const blocks = body.split(/\n(?=  [A-Za-z]+:\n)/);
    fs.writeFileSync(path.join(dir, 'mixed.yaml'), `${head}\nResources:\n${[...blocks].reverse().join('\n')}\n`);
    const reversed = path.join(dir, 'mixed.yaml');
    for (const format of ['md', 'json']) {
      const a = run(['report', '--format', format, '--region', 'eu-west-1', rel('mixed.yaml')]).stdout;
      expect(run(['report', '--format', format, '--region', 'eu-west-1', reversed]).stdout).toBe(a);
      const both = run(['report', '--format', format, broken, fixed]).stdout;
      expect(run(['report', '--format', format, fixed, broken]).stdout).toBe(both);
    }
  });
});

/** The generated blocks of docs/cli-report.md, from a real run on the bundled example. */
function docBlocks(): { [name: string]: string } {
  const md = run(['report', broken]).stdout;
  const chart = /```mermaid\n[\s\S]*?\n```/.exec(md)![0];
  const doc = json([fixed]);
  const excerpt = {
    version: doc.version,
    summary: doc.summary,
    nodes: doc.nodes.slice(0, 2),
    links: doc.links.slice(-1),
  };
  return {
    'broken-markdown': `\`\`\`\`markdown\n${md}\`\`\`\``,
    'broken-diagram': chart,
    'fixed-json': `\`\`\`json\n${JSON.stringify(excerpt, null, 2)}\n\`\`\``,
  };
}

function withBlocks(text: string, blocks: { [name: string]: string }): string {
  let out = text;
  for (const [name, content] of Object.entries(blocks)) {
    const begin = new RegExp(`<!-- report-output:${name}:begin[^>]*-->`).exec(out);
    const end = out.indexOf(`<!-- report-output:${name}:end -->`);
    if (!begin || end < begin.index) throw new Error(`docs/cli-report.md has no report-output:${name} block`);
    out = `${out.slice(0, begin.index + begin[0].length)}\n\n${content}\n\n${out.slice(end)}`;
  }
  return out;
}

test('docs/cli-report.md shows what report prints for the bundled example', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const expected = withBlocks(text, docBlocks());
  if (process.env.UPDATE_DOCS === '1' && expected !== text) fs.writeFileSync(DOC, expected);
  else expect(text).toBe(expected);
});
