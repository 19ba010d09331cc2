/**
 * Random templates for the fuzz tests: a real template of the corpus (`../shared/corpus`, read in
 * place, never copied) or an empty one, mutated, with API Gateway, VPC-endpoint, caller and policy
 * resources injected and wired at random, written as JSON or YAML.
 *
 * A case is a recipe (what fast-check generates and shrinks) turned into files by `buildTemplateCase`.
 * The generators that reach the engine's known defects are off unless `knownDefects` is set.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { parseTemplate } from '../../src/graph/template-loader';

export const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

interface Entry {
  readonly path: string;
  readonly parses: boolean;
  readonly invalid_by_design: boolean;
}

let corpusCache: string[] | undefined;

/** The corpus templates that parse (absolute paths); empty when the folder is not there. */
export function corpusFiles(): string[] {
  if (corpusCache) return corpusCache;
  const index = path.join(CORPUS, 'index.json');
  if (!fs.existsSync(index)) return (corpusCache = []);
  const entries = JSON.parse(fs.readFileSync(index, 'utf-8')) as Entry[];
  corpusCache = entries.filter((e) => e.parses && !e.invalid_by_design).map((e) => path.join(CORPUS, e.path));
  return corpusCache;
}

/** Bounds of the generators. */
export interface TemplateFuzzOptions {
  /** Deepest nesting a mutation builds. */
  readonly maxDepth: number;
  /** Longest string a mutation writes. */
  readonly maxStringLength: number;
  /** Also generate the inputs of the engine's known defects (long run only). */
  readonly knownDefects: boolean;
  /** The share of cases (0..1) that get a known-defect input, and nesting or strings beyond CI's bounds. */
  readonly knownShare?: number;
}

export const CI_TEMPLATE_OPTIONS: TemplateFuzzOptions = { maxDepth: 50, maxStringLength: 20_000, knownDefects: false };

/** A mutation of the template tree at the node `at` leads to. */
export type Mutation =
  | { readonly kind: 'delete'; readonly at: number[] }
  | { readonly kind: 'swap'; readonly at: number[]; readonly to: number }
  | { readonly kind: 'intrinsic'; readonly at: number[]; readonly fn: number; readonly pick: number }
  | { readonly kind: 'nest'; readonly at: number[]; readonly depth: number; readonly shape: number }
  | { readonly kind: 'long'; readonly at: number[]; readonly length: number; readonly shape: number }
  | { readonly kind: 'alias'; readonly at: number[]; readonly from: number[] };

/** A resource to inject: its kind, and numbers that choose its properties and the resources it names. */
export interface Injection {
  readonly kind: number;
  readonly picks: number[];
}

/** The inputs of the known defects, each reached only when `knownDefects` is set. */
export type KnownDefect =
  | { readonly kind: 'billion-laughs'; readonly width: number; readonly levels: number }
  | { readonly kind: 'nested-cycle' }
  | { readonly kind: 'stack-output-chain'; readonly length: number }
  | { readonly kind: 'deep-template-url'; readonly depth: number }
  | { readonly kind: 'deep-globals'; readonly depth: number }
  | { readonly kind: 'proto-key' }
  | { readonly kind: 'stage-evidence-order' };

export interface TemplateRecipe {
  /** Index into the corpus, or -1 for an empty template. */
  readonly base: number;
  readonly mutations: Mutation[];
  readonly injections: Injection[];
  readonly yaml: boolean;
  /** A nested stack (a second file named by `aws:asset:path`). */
  readonly nested: boolean;
  readonly defects: KnownDefect[];
}

export interface TemplateFile {
  readonly name: string;
  readonly text: string;
}

/** The generated files: the first is the one handed to the engine (the others are its nested stacks). */
export interface TemplateCase {
  readonly recipe: TemplateRecipe;
  readonly files: TemplateFile[];
  /** The template trees, before serialization (the key-order shuffle starts from them). */
  readonly trees: unknown[];
}

const pathArb = fc.array(fc.nat(1000), { maxLength: 8 });

/** Up to `ci` mostly; up to `max` for the known-defect share of the cases. */
function bounded(o: TemplateFuzzOptions, ci: number, max: number): fc.Arbitrary<number> {
  if (max <= ci) return fc.integer({ min: 1, max });
  const share = Math.round((o.knownShare ?? 0.05) * 1000);
  return fc.oneof(
    { weight: 1000 - share, arbitrary: fc.integer({ min: 1, max: ci }) },
    { weight: share, arbitrary: fc.integer({ min: ci + 1, max }) },
  );
}

export function mutationArb(o: TemplateFuzzOptions): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: pathArb }),
    fc.record({ kind: fc.constant('swap' as const), at: pathArb, to: fc.nat(100) }),
    fc.record({ kind: fc.constant('intrinsic' as const), at: pathArb, fn: fc.nat(100), pick: fc.nat(1000) }),
    fc.record({
      kind: fc.constant('nest' as const),
      at: pathArb,
      depth: bounded(o, CI_TEMPLATE_OPTIONS.maxDepth, o.maxDepth),
      shape: fc.nat(100),
    }),
    fc.record({
      kind: fc.constant('long' as const),
      at: pathArb,
      length: bounded(o, CI_TEMPLATE_OPTIONS.maxStringLength, o.maxStringLength),
      shape: fc.nat(100),
    }),
    fc.record({ kind: fc.constant('alias' as const), at: pathArb, from: pathArb }),
  );
}

const injectionArb: fc.Arbitrary<Injection> = fc.record({
  kind: fc.nat(100),
  picks: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
});

function defectArb(): fc.Arbitrary<KnownDefect> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('billion-laughs' as const),
      width: fc.integer({ min: 5, max: 10 }),
      levels: fc.integer({ min: 6, max: 9 }),
    }),
    fc.record({ kind: fc.constant('nested-cycle' as const) }),
    fc.record({ kind: fc.constant('stack-output-chain' as const), length: fc.integer({ min: 10, max: 40 }) }),
    fc.record({ kind: fc.constant('deep-template-url' as const), depth: fc.integer({ min: 2_000, max: 20_000 }) }),
    fc.record({ kind: fc.constant('deep-globals' as const), depth: fc.integer({ min: 2_000, max: 20_000 }) }),
    fc.record({ kind: fc.constant('proto-key' as const) }),
    fc.record({ kind: fc.constant('stage-evidence-order' as const) }),
  );
}

export function templateRecipeArb(o: TemplateFuzzOptions): fc.Arbitrary<TemplateRecipe> {
  const n = corpusFiles().length;
  return fc.record({
    base:
      n > 0
        ? fc.oneof({ weight: 4, arbitrary: fc.nat(n - 1) }, { weight: 1, arbitrary: fc.constant(-1) })
        : fc.constant(-1),
    mutations: fc.array(mutationArb(o), { maxLength: 12 }),
    injections: fc.array(injectionArb, { maxLength: 14 }),
    yaml: fc.boolean(),
    nested: fc.boolean(),
    defects: o.knownDefects
      ? fc
          .noBias(fc.integer({ min: 0, max: 999 })) // unbiased: the share is a share of the cases
          .chain((draw) =>
            draw < (o.knownShare ?? 0.05) * 1000
              ? fc.array(defectArb(), { minLength: 1, maxLength: 1 })
              : fc.constant([]),
          )
      : fc.constant([]),
  });
}

// ---------------------------------------------------------------------------------------------
// The tree

type Tree = unknown;
type Obj = { [key: string]: Tree };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies a parsed tree (JSON-like values only; shared subtrees become copies). */
function clone(v: Tree): Tree {
  if (Array.isArray(v)) return v.map(clone);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) defineKey(out, k, clone(v[k]));
    return out;
  }
  return v;
}

/** Sets a key as an own property, even `__proto__`. */
function defineKey(o: Obj, k: string, v: Tree): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** The container and key that a path of numbers leads to (each number picks a child modulo their count). */
function locate(root: Obj, at: number[]): { parent: Obj | Tree[]; key: string | number } | undefined {
  let parent: Obj | Tree[] = root;
  let key: string | number | undefined;
  for (const n of at) {
    const node: Tree = key === undefined ? parent : (parent as any)[key];
    if (Array.isArray(node) && node.length > 0) {
      parent = node;
      key = n % node.length;
    } else if (isObj(node) && Object.keys(node).length > 0) {
      parent = node;
      const keys = Object.keys(node);
      key = keys[n % keys.length];
    } else {
      break;
    }
  }
  return key === undefined ? undefined : { parent, key };
}

const ODD_VALUES: Tree[] = [
  42,
  -1,
  0,
  1e308,
  true,
  false,
  null,
  '',
  'true',
  'FALSE',
  '  ',
  [],
  {},
  [1, 'a', null],
  { odd: [1, null, true] },
  'arn:aws:execute-api:*:*:*',
  '*',
  'https://abc123.execute-api.us-east-1.amazonaws.com/prod',
  'com.amazonaws.us-east-1.execute-api',
  'PRIVATE',
  { Ref: 'AWS::NoValue' },
  '${AWS::Region}',
  '${',
  '\u0000\u{1F600}',
];

const PSEUDO = ['AWS::Region', 'AWS::AccountId', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::NoValue', 'AWS::Partition'];

function randomIntrinsic(fn: number, pick: number, ids: string[]): Tree {
  const id = ids.length > 0 ? ids[pick % ids.length] : 'Missing';
  const name = pick % 7 === 0 ? 'NoSuchResource' : id;
  const forms: Tree[] = [
    { Ref: name },
    { Ref: PSEUDO[pick % PSEUDO.length] },
    { 'Fn::GetAtt': [name, ['Arn', 'RestApiId', 'RootResourceId', 'ApiEndpoint', 'DnsEntries'][pick % 5]] },
    { 'Fn::GetAtt': `${name}.Arn` },
    { 'Fn::Sub': `https://\${${name}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/prod/` },
    { 'Fn::Sub': ['https://${X}.example.com/${Y}', { X: { Ref: name }, Y: 'v1' }] },
    { 'Fn::Join': ['', ['https://', { Ref: name }, '.execute-api.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
    { 'Fn::Join': [{ Ref: name }, 'not-a-list'] },
    { 'Fn::If': ['NoSuchCondition', { Ref: name }, { Ref: 'AWS::NoValue' }] },
    { 'Fn::ImportValue': `Export${pick % 5}` },
    { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-ApiId' } },
    { 'Fn::GetStackOutput': { StackName: `Other${pick % 3}`, OutputName: 'ApiUrl' } },
    { 'Fn::Select': [pick % 4, { 'Fn::GetAZs': '' }] },
    { 'Fn::Select': ['x', [1, 2]] },
    { 'Fn::FindInMap': ['NoMap', { Ref: 'AWS::Region' }, 'Key'] },
    { 'Fn::Split': [',', { Ref: name }] },
    { 'Fn::Base64': { Ref: name } },
    { 'Fn::ToJsonString': { a: { Ref: name } } },
    { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
    { 'Fn::Length': [1, 2, 3] },
    { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
    { 'Fn::Nope': [name] },
    { Ref: name, Extra: 1 },
    { Ref: [name] },
    { 'Fn::GetAtt': [] },
    { 'Fn::Sub': '${' },
    { 'Fn::Sub': '${!Literal}${AWS::Region}${' + name + '.Arn}' },
  ];
  return forms[fn % forms.length];
}

function nested(depth: number, shape: number, leaf: Tree): Tree {
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    switch ((shape + i) % 6) {
      case 0:
        v = [v];
        break;
      case 1:
        v = { k: v };
        break;
      case 2:
        v = { 'Fn::Join': ['', [v]] };
        break;
      case 3:
        v = { 'Fn::If': ['C', v, v === leaf ? leaf : 'x'] };
        break;
      case 4:
        v = { 'Fn::Select': [0, [v]] };
        break;
      default:
        v = { 'Fn::Sub': ['${X}', { X: v }] };
    }
  }
  return v;
}

function longString(length: number, shape: number): string {
  const units = ['x', '${AWS::Region}', 'https://a.execute-api.us-east-1.amazonaws.com/', '${', '::', '*', '/'];
  const unit = units[shape % units.length];
  return unit.repeat(Math.max(1, Math.ceil(length / unit.length))).slice(0, length);
}

function setAt(loc: { parent: Obj | Tree[]; key: string | number }, v: Tree): void {
  if (Array.isArray(loc.parent)) loc.parent[loc.key as number] = v;
  else defineKey(loc.parent, loc.key as string, v);
}

function applyMutation(root: Obj, m: Mutation, ids: string[]): void {
  const loc = locate(root, m.at);
  if (!loc) return;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(loc.parent)) loc.parent.splice(loc.key as number, 1);
      else delete loc.parent[loc.key as string];
      return;
    case 'swap':
      setAt(loc, clone(ODD_VALUES[m.to % ODD_VALUES.length]));
      return;
    case 'intrinsic':
      setAt(loc, randomIntrinsic(m.fn, m.pick, ids));
      return;
    case 'nest':
      setAt(loc, nested(m.depth, m.shape, (loc.parent as any)[loc.key]));
      return;
    case 'long':
      setAt(loc, longString(m.length, m.shape));
      return;
    case 'alias': {
      // The same subtree in two places: YAML writes it once with an anchor and an alias.
      const from = locate(root, m.from);
      if (!from) return;
      const shared = (from.parent as any)[from.key];
      if (shared === undefined || containsPath(shared, loc.parent)) return;
      setAt(loc, shared);
      return;
    }
  }
}

/** True when `node` is `target` or holds it (an alias there would make a cycle). */
function containsPath(node: Tree, target: unknown): boolean {
  const seen = new Set<unknown>();
  const todo: Tree[] = [node];
  while (todo.length > 0) {
    const n = todo.pop();
    if (n === target) return true;
    if (typeof n !== 'object' || n === null || seen.has(n)) continue;
    seen.add(n);
    todo.push(...Object.values(n));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Injected resources

const REGIONS = ['us-east-1', 'eu-west-1'];

interface Pools {
  vpcs: string[];
  subnets: string[];
  apis: string[];
  httpApis: string[];
  stages: string[];
  endpoints: string[];
  roles: string[];
  domains: string[];
  params: string[];
  all: string[];
}

const pickOf = (xs: string[], n: number, fallback: string): string => (xs.length > 0 ? xs[n % xs.length] : fallback);

function policy(p: number[], pools: Pools): Tree {
  const effect = p[0] % 4 === 0 ? 'Deny' : 'Allow';
  const principals: Tree[] = [
    '*',
    { AWS: '*' },
    { AWS: 'arn:aws:iam::123456789012:root' },
    { Service: 'lambda.amazonaws.com' },
  ];
  const conditions: Tree[] = [
    undefined,
    { StringEquals: { 'aws:SourceVpce': { Ref: pickOf(pools.endpoints, p[1], 'NoEndpoint') } } },
    { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    { StringEquals: { 'aws:SourceVpc': { Ref: pickOf(pools.vpcs, p[1], 'NoVpc') } } },
    { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
    { Bool: { 'aws:SecureTransport': 'false' } },
  ];
  const statement: Obj = {
    Effect: effect,
    Principal: principals[p[2] % principals.length],
    Action: ['execute-api:Invoke', 'execute-api:*', '*', 'execute-api:ManageConnections'][p[3] % 4],
    Resource: ['execute-api:/*', '*', ['execute-api:/prod/GET/*'], { 'Fn::Sub': 'arn:aws:execute-api:*:*:*/*' }][
      p[4] % 4
    ],
  };
  const c = conditions[p[5] % conditions.length];
  if (c !== undefined) statement.Condition = c;
  if (p[6] % 5 === 0) return { Version: '2012-10-17', Statement: statement };
  return {
    Version: '2012-10-17',
    Statement: p[6] % 3 === 0 ? [statement, { ...statement, Effect: 'Allow' }] : [statement],
  };
}

function urlTo(p: number[], pools: Pools): Tree {
  const api = pickOf([...pools.apis, ...pools.httpApis], p[0], 'NoApi');
  const stage = ['prod', 'dev', 'v1', '$default', ''][p[1] % 5];
  const forms: Tree[] = [
    { 'Fn::Sub': `https://\${${api}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${stage}/` },
    { 'Fn::Join': ['', ['https://', { Ref: api }, '.execute-api.', REGIONS[p[2] % 2], '.amazonaws.com/', stage]] },
    { 'Fn::GetAtt': [api, 'ApiEndpoint'] },
    { Ref: api },
    `https://abc123defg.execute-api.${REGIONS[p[2] % 2]}.amazonaws.com/${stage}`,
    { 'Fn::Sub': `https://\${${pickOf(pools.domains, p[2], 'NoDomain')}}/${stage}` },
    { 'Fn::ImportValue': 'ApiUrl' },
    { 'Fn::Sub': `https://\${${api}}-${pickOf(pools.endpoints, p[3], 'vpce')}.execute-api.us-east-1.amazonaws.com/` },
  ];
  return forms[p[4] % forms.length];
}

/** Adds one resource (or a few that belong together) under Resources, wired to earlier ones at random. */
function inject(res: Obj, params: Obj, inj: Injection, i: number, pools: Pools, twoUrls: boolean): void {
  const p = inj.picks;
  const add = (prefix: string, type: string, props: Obj | undefined, pool?: string[], extra: Obj = {}): string => {
    const id = `Fz${prefix}${i}`;
    defineKey(res, id, props === undefined ? { Type: type, ...extra } : { Type: type, Properties: props, ...extra });
    pool?.push(id);
    pools.all.push(id);
    return id;
  };
  const dns = (): Tree => {
    switch (p[3] % 5) {
      case 0:
        return true;
      case 1:
        return false;
      case 2: {
        const name = `FzDns${i}`;
        defineKey(params, name, { Type: 'String', AllowedValues: ['true', 'false'] });
        pools.params.push(name);
        return { Ref: name };
      }
      case 3:
        return 'true';
      default:
        return undefined;
    }
  };
  switch (inj.kind % 16) {
    case 0: {
      const vpc = add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }, pools.vpcs);
      const kind = p[1] % 3; // public (IGW), private with egress (NAT), isolated
      const subnet = add(
        'Subnet',
        'AWS::EC2::Subnet',
        { VpcId: { Ref: vpc }, CidrBlock: '10.0.1.0/24' },
        pools.subnets,
      );
      const rt = add('Rt', 'AWS::EC2::RouteTable', { VpcId: { Ref: vpc } });
      add('RtAssoc', 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: { Ref: subnet }, RouteTableId: { Ref: rt } });
      if (kind === 0) {
        const igw = add('Igw', 'AWS::EC2::InternetGateway', {});
        add('Route', 'AWS::EC2::Route', {
          RouteTableId: { Ref: rt },
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: { Ref: igw },
        });
      } else if (kind === 1) {
        const nat = add('Nat', 'AWS::EC2::NatGateway', { SubnetId: { Ref: pickOf(pools.subnets, p[2], subnet) } });
        add('Route', 'AWS::EC2::Route', {
          RouteTableId: { Ref: rt },
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: { Ref: nat },
        });
      }
      return;
    }
    case 1:
    case 2: {
      const services: Tree[] = [
        { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.execute-api' },
        `com.amazonaws.${REGIONS[p[0] % 2]}.execute-api`,
        { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.execute-api']] },
        'com.amazonaws.us-east-1.sqs',
        { Ref: 'AWS::NoValue' },
      ];
      const props: Obj = {
        ServiceName: services[p[0] % services.length],
        VpcId: { Ref: pickOf(pools.vpcs, p[1], 'NoVpc') },
        SubnetIds: [{ Ref: pickOf(pools.subnets, p[2], 'NoSubnet') }],
      };
      if (p[4] % 4 !== 0) props.VpcEndpointType = ['Interface', 'Gateway', 'interface'][p[4] % 3];
      const d = dns();
      if (d !== undefined) props.PrivateDnsEnabled = d;
      if (p[5] % 3 === 0) props.PolicyDocument = policy(p.slice(1), pools);
      add('Endpoint', 'AWS::EC2::VPCEndpoint', props, pools.endpoints);
      return;
    }
    case 3:
    case 4: {
      const types = [['REGIONAL'], ['PRIVATE'], ['EDGE'], ['PRIVATE', 'REGIONAL'], 'PRIVATE'];
      const props: Obj = { Name: `api${i}`, EndpointConfiguration: { Types: types[p[0] % types.length] } };
      if (p[0] % types.length === 1 && p[1] % 2 === 0) {
        (props.EndpointConfiguration as Obj).VpcEndpointIds = [{ Ref: pickOf(pools.endpoints, p[2], 'NoEndpoint') }];
      }
      if (p[3] % 3 !== 0) props.Policy = policy(p.slice(2), pools);
      if (p[4] % 5 === 0) props.DisableExecuteApiEndpoint = [true, 'true', false][p[5] % 3];
      const api = add('Api', 'AWS::ApiGateway::RestApi', props, pools.apis);
      const method = add('Method', 'AWS::ApiGateway::Method', {
        RestApiId: { Ref: api },
        ResourceId: { 'Fn::GetAtt': [api, 'RootResourceId'] },
        HttpMethod: 'GET',
        AuthorizationType: ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'][p[6] % 4],
        ApiKeyRequired: p[7] % 3 === 0,
        Integration: { Type: 'MOCK' },
      });
      const dep = add('Deployment', 'AWS::ApiGateway::Deployment', { RestApiId: { Ref: api } }, undefined, {
        DependsOn: [method],
      });
      add(
        'Stage',
        'AWS::ApiGateway::Stage',
        {
          RestApiId: { Ref: api },
          DeploymentId: { Ref: dep },
          StageName: ['prod', 'dev', 'v1'][p[5] % 3],
        },
        pools.stages,
      );
      return;
    }
    case 5: {
      const props: Obj = { Name: `http${i}`, ProtocolType: ['HTTP', 'WEBSOCKET', 'http'][p[0] % 3] };
      if (p[1] % 4 === 0) props.DisableExecuteApiEndpoint = true;
      if (props.ProtocolType === 'WEBSOCKET') props.RouteSelectionExpression = '$request.body.action';
      const api = add('HttpApi', 'AWS::ApiGatewayV2::Api', props, pools.httpApis);
      add('HttpStage', 'AWS::ApiGatewayV2::Stage', { ApiId: { Ref: api }, StageName: ['$default', 'prod'][p[2] % 2] });
      return;
    }
    case 6:
    case 7:
    case 8: {
      // A caller: a VPC Lambda with the API's URL in its environment, and a role.
      const role = add(
        'Role',
        'AWS::IAM::Role',
        {
          AssumeRolePolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies:
            p[6] % 2 === 0
              ? [
                  {
                    PolicyName: 'invoke',
                    PolicyDocument: {
                      Statement: [
                        {
                          Effect: 'Allow',
                          Action: 'execute-api:Invoke',
                          Resource: {
                            'Fn::Sub': `arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${pickOf(pools.apis, p[0], 'NoApi')}}/*`,
                          },
                        },
                      ],
                    },
                  },
                ]
              : undefined,
        },
        pools.roles,
      );
      const env: Obj = { API_URL: urlTo(p, pools) };
      // Two URLs of one API in one caller: the evidence kept depends on key order (a known defect).
      if (twoUrls && p[5] % 3 === 0) env.OTHER_URL = urlTo([p[4], p[3], p[2], p[1], p[0]], pools);
      const props: Obj = {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: 'exports.handler = async () => {}' },
        Role: { 'Fn::GetAtt': [role, 'Arn'] },
        Environment: { Variables: env },
      };
      if (p[7] % 5 !== 0) {
        props.VpcConfig = {
          SubnetIds: [{ Ref: pickOf(pools.subnets, p[2], 'NoSubnet') }],
          SecurityGroupIds: [{ 'Fn::GetAtt': [pickOf(pools.vpcs, p[1], 'NoVpc'), 'DefaultSecurityGroup'] }],
        };
      }
      add('Caller', inj.kind % 16 === 8 ? 'AWS::Serverless::Function' : 'AWS::Lambda::Function', props);
      return;
    }
    case 9: {
      const props: Obj = {
        DomainName: `api${i}.example.com`,
        EndpointConfiguration: { Types: [['REGIONAL'], ['EDGE'], ['PRIVATE']][p[0] % 3] },
      };
      if (p[1] % 3 === 0) props.MutualTlsAuthentication = { TruststoreUri: 's3://bucket/truststore.pem' };
      if (p[0] % 3 === 2) props.Policy = policy(p.slice(2), pools);
      const domain = add('Domain', 'AWS::ApiGateway::DomainName', props, pools.domains);
      if (p[2] % 3 !== 0) {
        add('Mapping', 'AWS::ApiGateway::BasePathMapping', {
          DomainName: { Ref: domain },
          RestApiId: { Ref: pickOf(pools.apis, p[3], 'NoApi') },
          Stage: ['prod', 'dev', { Ref: pickOf(pools.stages, p[4], 'NoStage') }][p[4] % 3],
          BasePath: ['', 'v1', '(none)'][p[5] % 3],
        });
      }
      if (p[6] % 2 === 0) {
        add('Record', 'AWS::Route53::RecordSet', {
          HostedZoneName: 'example.com.',
          Name: `api${i}.example.com`,
          Type: ['CNAME', 'A'][p[7] % 2],
          ResourceRecords: p[7] % 2 === 0 ? [`abc.execute-api.us-east-1.amazonaws.com`] : undefined,
          AliasTarget:
            p[7] % 2 === 1
              ? { DNSName: { 'Fn::GetAtt': [domain, 'RegionalDomainName'] }, HostedZoneId: 'Z1UJRXOUMOOFQ8' }
              : undefined,
        });
      }
      return;
    }
    case 10:
      add('DomainV2', 'AWS::ApiGatewayV2::DomainName', { DomainName: `h${i}.example.com` }, pools.domains);
      add('ApiMapping', 'AWS::ApiGatewayV2::ApiMapping', {
        DomainName: `h${i}.example.com`,
        ApiId: { Ref: pickOf(pools.httpApis, p[0], 'NoApi') },
        Stage: '$default',
      });
      return;
    case 11:
      add('Plan', 'AWS::ApiGateway::UsagePlan', {
        ApiStages: [{ ApiId: { Ref: pickOf(pools.apis, p[0], 'NoApi') }, Stage: ['prod', 'dev'][p[1] % 2] }],
      });
      if (p[2] % 2 === 0) add('Key', 'AWS::ApiGateway::ApiKey', { Enabled: true });
      return;
    case 12:
      add('Access', 'AWS::ApiGateway::DomainNameAccessAssociation', {
        DomainNameArn: { 'Fn::GetAtt': [pickOf(pools.domains, p[0], 'NoDomain'), 'DomainNameArn'] },
        AccessAssociationSource: { Ref: pickOf(pools.endpoints, p[1], 'NoEndpoint') },
        AccessAssociationSourceType: 'VPCE',
      });
      return;
    case 13:
      add(
        'SamApi',
        'AWS::Serverless::Api',
        {
          StageName: ['prod', 'dev'][p[0] % 2],
          EndpointConfiguration: { Type: ['PRIVATE', 'REGIONAL'][p[1] % 2] },
          Auth: p[2] % 2 === 0 ? { ResourcePolicy: { CustomStatements: [policy(p, pools)] } } : undefined,
        },
        pools.apis,
      );
      return;
    case 14:
      add('ManagedPolicy', 'AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: pickOf(pools.roles, p[0], 'NoRole') }],
        PolicyDocument: policy(p, pools),
      });
      return;
    default:
      add(
        'Odd',
        ['AWS::ApiGateway::RestApi', 'AWS::EC2::VPCEndpoint', 'AWS::Lambda::Function', 'Custom::Thing'][p[0] % 4],
        undefined,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Known defects

const DEFECT_FILE = 'fz-nested.json';

/** The Resources of a tree, made a mapping again if a mutation swapped it for something else. */
function resourcesOf(root: Obj): Obj {
  if (!isObj(root.Resources)) defineKey(root, 'Resources', {});
  return root.Resources as Obj;
}

function applyDefect(root: Obj, d: KnownDefect, files: TemplateFile[]): string | undefined {
  const res = resourcesOf(root);
  switch (d.kind) {
    case 'billion-laughs':
      return 'billion-laughs'; // written at serialization
    case 'nested-cycle':
      // The parent names the child and the child names the parent.
      defineKey(res, 'FzCycle', {
        Type: 'AWS::CloudFormation::Stack',
        Metadata: { 'aws:asset:path': DEFECT_FILE },
        Properties: { TemplateURL: 'https://s3.amazonaws.com/b/child.json' },
      });
      files.push({
        name: DEFECT_FILE,
        text: JSON.stringify({
          Resources: {
            Back1: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': DEFECT_FILE }, Properties: {} },
            Back2: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': DEFECT_FILE }, Properties: {} },
          },
        }),
      });
      return undefined;
    case 'stack-output-chain': {
      // Outputs that name each other through Fn::GetStackOutput, twice per step.
      const outputs: Obj = {};
      for (let i = 0; i < d.length; i++) {
        const prev = { 'Fn::GetStackOutput': { StackName: 'main', OutputName: `O${i + 1}` } };
        defineKey(outputs, `O${i}`, { Value: { 'Fn::Join': ['', [prev, prev]] } });
      }
      defineKey(root, 'Outputs', outputs);
      defineKey(res, 'FzChainCaller', {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: { Variables: { URL: { 'Fn::GetStackOutput': { StackName: 'main', OutputName: 'O0' } } } },
        },
      });
      return undefined;
    }
    case 'deep-template-url':
      defineKey(res, 'FzDeepNested', {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { TemplateURL: nested(d.depth, 1, 'x') },
      });
      return undefined;
    case 'deep-globals':
      defineKey(root, 'Transform', 'AWS::Serverless-2016-10-31');
      defineKey(root, 'Globals', { Function: { Environment: { Variables: nested(d.depth, 1, 'x') } } });
      defineKey(res, 'FzSamFn', {
        Type: 'AWS::Serverless::Function',
        Properties: { Environment: { Variables: nested(d.depth, 1, 'y') } },
      });
      return undefined;
    case 'proto-key':
      defineKey(res, '__proto__', { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'proto' } });
      return undefined;
    case 'stage-evidence-order':
      // A caller with a wrong-stage URL beside a right one.
      defineKey(res, 'FzStageApi', { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 's' } });
      defineKey(res, 'FzStageStage', {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'FzStageApi' }, StageName: 'prod' },
      });
      defineKey(res, 'FzStageCaller', {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              A: { 'Fn::Sub': 'https://${FzStageApi}.execute-api.${AWS::Region}.amazonaws.com/dev/' },
              B: { 'Fn::Sub': 'https://${FzStageApi}.execute-api.${AWS::Region}.amazonaws.com/prod/' },
            },
          },
        },
      });
      return undefined;
  }
}

function billionLaughs(width: number, levels: number): string {
  const lines = ['Resources:', '  FzLaughs:', '    Type: AWS::Lambda::Function', '    Properties:', '      Tags:'];
  lines.push(`        l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`);
  for (let l = 1; l < levels; l++) {
    lines.push(
      `        l${l}: &l${l} [${Array(width)
        .fill(`*l${l - 1}`)
        .join(', ')}]`,
    );
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Building a case

/**
 * Writes a tree as JSON or YAML (YAML turns shared subtrees into anchors and aliases). Trees too
 * deep for the writers' recursion are written as JSON by an iterative writer (JSON is YAML too).
 */
export function serialize(tree: unknown, yaml: boolean): string {
  try {
    if (!yaml) return JSON.stringify(tree, null, 1);
    return new YAML.Document(tree, { aliasDuplicateObjects: true }).toString({ lineWidth: 0 });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return deepJson(tree);
  }
}

/** JSON text of a tree of any depth (an explicit stack instead of recursion). */
function deepJson(tree: unknown): string {
  const out: string[] = [];
  const todo: Array<unknown | { text: string }> = [tree];
  const isText = (x: unknown): x is { text: string } => typeof x === 'object' && x !== null && TEXT in x;
  while (todo.length > 0) {
    const v = todo.pop();
    if (isText(v)) {
      out.push(v.text);
    } else if (Array.isArray(v)) {
      const parts: Array<unknown | { text: string }> = [{ [TEXT]: true, text: '[' }];
      v.forEach((x, i) => parts.push(...(i > 0 ? [{ [TEXT]: true, text: ',' }] : []), x));
      parts.push({ [TEXT]: true, text: ']' });
      todo.push(...parts.reverse());
    } else if (isObj(v)) {
      const parts: Array<unknown | { text: string }> = [{ [TEXT]: true, text: '{' }];
      Object.keys(v).forEach((k, i) =>
        parts.push({ [TEXT]: true, text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, v[k]),
      );
      parts.push({ [TEXT]: true, text: '}' });
      todo.push(...parts.reverse());
    } else {
      out.push(v === undefined ? 'null' : JSON.stringify(v));
    }
  }
  return out.join('');
}

const TEXT = Symbol('text');

/** Reads a corpus template as a tree (undefined when the engine refuses it). */
function baseTree(base: number): Obj {
  const files = corpusFiles();
  if (base < 0 || base >= files.length) return { AWSTemplateFormatVersion: '2010-09-09', Resources: {} };
  try {
    const t = parseTemplate(fs.readFileSync(files[base], 'utf-8'), files[base]) as unknown;
    return clone(t) as Obj;
  } catch {
    return { AWSTemplateFormatVersion: '2010-09-09', Resources: {} };
  }
}

/** Turns a recipe into files (pure: the same recipe gives the same files). */
export function buildTemplateCase(recipe: TemplateRecipe): TemplateCase {
  const root = baseTree(recipe.base);
  if (!isObj(root.Resources)) defineKey(root, 'Resources', {});
  if (!isObj(root.Parameters)) defineKey(root, 'Parameters', {});
  const res = root.Resources as Obj;
  const pools: Pools = {
    vpcs: [],
    subnets: [],
    apis: [],
    httpApis: [],
    stages: [],
    endpoints: [],
    roles: [],
    domains: [],
    params: [],
    all: [],
  };
  const twoUrls = recipe.defects.some((d) => d.kind === 'stage-evidence-order');
  recipe.injections.forEach((inj, i) => inject(res, root.Parameters as Obj, inj, i, pools, twoUrls));
  const ids = Object.keys(res);
  for (const m of recipe.mutations) applyMutation(root, m, ids);
  const files: TemplateFile[] = [];
  const trees: unknown[] = [];
  if (recipe.nested) {
    const child: Obj = {
      Resources: {
        FzChildApi: {
          Type: 'AWS::ApiGateway::RestApi',
          Properties: { EndpointConfiguration: { Types: ['REGIONAL'] } },
        },
        FzChildCaller: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            VpcConfig: { SubnetIds: [{ Ref: 'SubnetParam' }] },
            Environment: {
              Variables: { URL: { 'Fn::Sub': 'https://${FzChildApi}.execute-api.${AWS::Region}.amazonaws.com/prod/' } },
            },
          },
        },
      },
      Parameters: { SubnetParam: { Type: 'String' } },
    };
    defineKey(resourcesOf(root), 'FzNestedStack', {
      Type: 'AWS::CloudFormation::Stack',
      Metadata: { 'aws:asset:path': 'fz-child.json' },
      Properties: {
        TemplateURL: 'https://s3.amazonaws.com/b/child.json',
        Parameters: { SubnetParam: { Ref: pickOf(pools.subnets, 0, 'AWS::NoValue') } },
      },
    });
    files.push({ name: 'fz-child.json', text: JSON.stringify(child) });
    trees.push(child);
  }
  let special: string | undefined;
  for (const d of recipe.defects) special = applyDefect(root, d, files) ?? special;
  const name = recipe.yaml ? 'main.yaml' : 'main.json';
  let text = serialize(root, recipe.yaml);
  const laughs = recipe.defects.find((d) => d.kind === 'billion-laughs');
  if (special === 'billion-laughs' && laughs && laughs.kind === 'billion-laughs') {
    text = billionLaughs(laughs.width, laughs.levels);
  }
  return { recipe, files: [{ name, text }, ...files], trees: [root, ...trees] };
}

/** A copy of the tree with the keys of every mapping in an order drawn from `seed`. */
export function shuffleKeys(tree: unknown, seed: number): unknown {
  let s = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  const next = () => {
    s = (s * 48271) % 2147483647; // Park-Miller: a fixed sequence per seed
    return s;
  };
  const seen = new Map<unknown, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v); // shared subtrees stay shared (YAML aliases)
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    const out: Obj = {};
    seen.set(v, out);
    for (const k of keys) defineKey(out, k, walk((v as Obj)[k]));
    return out;
  };
  return walk(tree);
}
