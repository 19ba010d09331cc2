/**
 * APIs, custom domain names and their mappings.
 *
 * Reads: AWS::ApiGateway::RestApi (`EndpointConfiguration.Types`; absent = EDGE; see
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-restapi.html),
 * AWS::ApiGatewayV2::Api (HTTP and WebSocket: always public), AWS::ApiGateway::DomainName (v1, REGIONAL or EDGE),
 * AWS::ApiGatewayV2::DomainName (always regional), AWS::ApiGateway::DomainNameV2 (PRIVATE),
 * AWS::ApiGateway::BasePathMapping, AWS::ApiGateway::BasePathMappingV2, AWS::ApiGatewayV2::ApiMapping,
 * AWS::ApiGatewayV2::RoutingRule and the domains' `RoutingMode` (which of mappings and routing rules a domain
 * uses: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-routing-mode.html).
 * SAM's APIs are read as what the transform makes of them (graph/sam.ts: a RestApi, an
 * ApiGatewayV2 Api, their stages, domains and mappings), never here.
 * Unknown: an endpoint type that is a parameter or `Fn::If` (`isPublic` undefined); mappings and
 * routing rules whose API or domain is not a resource or literal of the app; a routing mode that is not
 * a literal (then both kinds of route count).
 */
import { FactGuard } from './guard';
import { IpAddressType, apiIpAddressType, domainIpAddressType } from './ip-address-type';
import { Policy, parsePolicy } from './policies';
import { ResourceNode, ResourceGraph } from '../graph/resource-graph';
import { ResRef, Value, at, bool, isObject, list, literal } from '../graph/values';
import { HINTS_METADATA_KEY, HintsMetadata } from '../hints-metadata';

/** The kind of an API. */
export type ApiKind = 'REST' | 'HTTP' | 'WEBSOCKET';

/** An API defined in the app. */
export interface ApiFact {
  readonly resource: ResourceNode;
  readonly kind: ApiKind;
  /** EDGE, REGIONAL or PRIVATE for REST APIs; REGIONAL for HTTP and WebSocket; undefined when unknown. */
  readonly endpointType?: 'EDGE' | 'REGIONAL' | 'PRIVATE';
  /** True for public APIs, false for private ones, undefined when unknown. */
  readonly isPublic?: boolean;
  readonly region?: string;
  /** Which IP address families its default endpoint accepts (`IpAddressType`; see ip-address-type.ts). */
  readonly ipAddressType: IpAddressType | 'unknown';
}

/** A custom domain name defined in the app. */
export interface DomainFact {
  readonly resource: ResourceNode;
  /** The domain name when it is a literal (lower case, no trailing dot). */
  readonly name?: string;
  readonly version: 'v1' | 'v2' | 'private';
  /** REGIONAL, EDGE or PRIVATE; undefined when unknown. */
  readonly endpointType?: 'REGIONAL' | 'EDGE' | 'PRIVATE';
  readonly region?: string;
  /** The APIs mapped on it (by base path mapping, API mapping or routing rule that its routing mode uses). */
  readonly apis: ApiFact[];
  /**
   * The routes that its routing mode uses, with their base path and stage when literal: mappings, and
   * routing rules (one entry per base path a rule matches).
   */
  readonly mappings: DomainMapping[];
  /**
   * Its `RoutingMode`: which routes API Gateway uses (`API_MAPPING_ONLY`, the default, is
   * `BASE_PATH_MAPPING_ONLY` on `AWS::ApiGateway::*` resources); undefined when not a literal.
   */
  readonly routingMode?: RoutingMode;
  /** Mappings and routing rules that name this domain but that its routing mode ignores. */
  readonly ignoredRoutes: ResourceNode[];
  /** Which IP address families the domain accepts (`IpAddressType`; see ip-address-type.ts). */
  readonly ipAddressType: IpAddressType | 'unknown';
  /** Whether the domain requires mutual TLS (`MutualTlsAuthentication`). */
  readonly mtls: boolean;
  /** A private domain's resource policy (`AWS::ApiGateway::DomainNameV2` `Policy`). */
  readonly policy?: Policy;
  /**
   * Endpoint ids given access by `AWS::ApiGateway::DomainNameAccessAssociation`s of the app, then those the
   * domain's metadata says are associated outside the app (`externalAccessAssociations`, see
   * hints-metadata.ts: a consumer account's), as written (an id, or a reference: which endpoint it is, is
   * not proven).
   */
  readonly accessAssociations: Value[];
  /** True when some access association of the app names a domain that cannot be known: it may be this one. */
  readonly accessAssociationsUncertain: boolean;
  /**
   * Every mapping or routing rule resource that names this domain and that its routing mode uses, also
   * those whose API is not known.
   */
  readonly mappingResources: ResourceNode[];
  /** True when some mapping or routing rule of the app names a domain that cannot be known: it may be this one. */
  readonly mappingsUncertain: boolean;
}

/**
 * Which routes a custom domain uses: mappings only (the default), routing rules first and then mappings,
 * or routing rules only.
 */
export type RoutingMode = 'mappings-only' | 'rules-then-mappings' | 'rules-only';

/** A route of a domain to an API stage: a base path mapping, an API mapping, or a routing rule. */
export interface DomainMapping {
  readonly resource: ResourceNode;
  readonly api: ApiFact;
  /**
   * The base path ('' for the root); undefined when it is not literal. A routing rule has one entry per
   * base path it matches, and '' when it matches any path.
   */
  readonly basePath?: string;
  /** The stage name, when literal or a Stage resource of the app; undefined otherwise. */
  readonly stage?: string;
  /** 'routing-rule' for an `AWS::ApiGatewayV2::RoutingRule`; 'mapping' otherwise. */
  readonly kind: 'mapping' | 'routing-rule';
  /** A routing rule's `Priority` (lower first); undefined for mappings, or when not literal. */
  readonly priority?: number;
  /** True for a routing rule with header conditions (or conditions the app cannot read): it serves only some requests. */
  readonly headers: boolean;
  /**
   * Whether the API receives the path without the base path: always for mappings; for a routing rule,
   * its `StripBasePath` (default false); undefined when not known.
   */
  readonly stripBasePath?: boolean;
}

/**
 * Whether every route of a domain that its routing mode uses is known: each mapping or routing rule
 * that names it leads to an API of the app, and no route of the app may name it unseen.
 */
export function routesAllKnown(d: DomainFact): boolean {
  return !d.mappingsUncertain && new Set(d.mappings.map((m) => m.resource)).size === d.mappingResources.length;
}

/** The name of a domain's routing mode (or of another mode for it), as its resource type spells it. */
export function routingModeName(d: DomainFact, mode: RoutingMode | undefined = d.routingMode): string {
  const v1 = d.resource.type.startsWith('AWS::ApiGateway::');
  switch (mode) {
    case 'rules-only':
      return 'ROUTING_RULE_ONLY';
    case 'rules-then-mappings':
      return v1 ? 'ROUTING_RULE_THEN_BASE_PATH_MAPPING' : 'ROUTING_RULE_THEN_API_MAPPING';
    case 'mappings-only':
      return v1 ? 'BASE_PATH_MAPPING_ONLY' : 'API_MAPPING_ONLY';
    default:
      return 'unknown';
  }
}

function routingModeOf(v: Value | undefined): RoutingMode | undefined {
  if (v === undefined) return 'mappings-only';
  switch (literal(v)?.toUpperCase()) {
    case 'BASE_PATH_MAPPING_ONLY':
    case 'API_MAPPING_ONLY':
      return 'mappings-only';
    case 'ROUTING_RULE_THEN_BASE_PATH_MAPPING':
    case 'ROUTING_RULE_THEN_API_MAPPING':
      return 'rules-then-mappings';
    case 'ROUTING_RULE_ONLY':
      return 'rules-only';
    default:
      return undefined; // a parameter, Fn::If, or a value API Gateway would reject: unknown
  }
}

/** Whether a domain with this routing mode (undefined: unknown) may use its mappings. */
function usesMappings(mode: RoutingMode | undefined): boolean {
  return mode !== 'rules-only';
}

/** Whether a domain with this routing mode (undefined: unknown) may use its routing rules. */
function usesRules(mode: RoutingMode | undefined): boolean {
  return mode !== 'mappings-only';
}

/** The domain name in a domain's ARN (`arn:<partition>:apigateway:<region>:<account?>:/domainnames/<name>[+<id>]`). */
function nameInArn(arn: string): string | undefined {
  const m = /^arn:[\w-]+:apigateway:[^:]*:[^:]*:\/domainnames\/([^/+]+)(?:\+[^/]*)?$/i.exec(arn);
  return m ? m[1] : undefined;
}

const API_TYPES = ['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api'];

/** Reads the APIs of the app. */
export function readApis(graph: ResourceGraph, guard = new FactGuard()): ApiFact[] {
  return guard.each(
    'API',
    graph.ofType(...API_TYPES),
    (r): ApiFact => {
      const region = r.stack.region;
      switch (r.type) {
        case 'AWS::ApiGateway::RestApi': {
          const type = restEndpointType(r.properties);
          const ipAddressType = apiIpAddressType({ resource: r, endpointType: type });
          return {
            resource: r,
            kind: 'REST',
            endpointType: type,
            isPublic: type && type !== 'PRIVATE',
            region,
            ipAddressType,
          };
        }
        default: {
          const protocol = literal(r.properties.ProtocolType);
          const kind: ApiKind = protocol === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP';
          const ipAddressType = apiIpAddressType({ resource: r, endpointType: 'REGIONAL' });
          return { resource: r, kind, endpointType: 'REGIONAL', isPublic: true, region, ipAddressType };
        }
      }
    },
    (r) => r,
  );
}

function restEndpointType(props: { [k: string]: Value }): ApiFact['endpointType'] {
  const cfg = props.EndpointConfiguration;
  if (cfg !== undefined) {
    if (!isObject(cfg)) return undefined; // a Fn::If or a parameter: the type is unknown, not EDGE
    const types = cfg.Types;
    if (types === undefined) return 'EDGE';
    const all = list(types);
    return all.length === 1 ? endpointTypeOf(all[0]) : undefined;
  }
  // An API imported from OpenAPI may take its type from the `endpointConfigurationTypes` parameter.
  const param = at(props.Parameters, 'endpointConfigurationTypes');
  if (param !== undefined) return endpointTypeOf(param);
  return 'EDGE';
}

function endpointTypeOf(v: Value | undefined): ApiFact['endpointType'] {
  const s = literal(v)?.toUpperCase();
  return s === 'EDGE' || s === 'REGIONAL' || s === 'PRIVATE' ? s : undefined;
}

/** Which APIs some custom domain maps, whether the app defines that domain or imports it. */
export interface MappedApis {
  /** Resource keys of the APIs that a base path or API mapping of the app names (SAM's `Domain` makes one). */
  readonly keys: ReadonlySet<string>;
  /** True when a mapping names its API by a value the app cannot tie to one of its APIs. */
  readonly uncertain: boolean;
}

/**
 * Whether some custom domain (of the app or imported) may map this API:
 * a mapping names it, or a mapping names an API that cannot be told.
 */
export function mayBeMapped(mapped: MappedApis, apiKey: string): boolean {
  return mapped.uncertain || mapped.keys.has(apiKey);
}

/** Reads the custom domain names of the app and what they map, and which APIs any domain maps. */
export function readDomains(graph: ResourceGraph, apis: ApiFact[]): { domains: DomainFact[]; mappedApis: MappedApis } {
  const apiByKey = new Map(apis.map((a) => [a.resource.key, a]));
  type Mutable = DomainFact & {
    apis: ApiFact[];
    mappings: DomainMapping[];
    ignoredRoutes: ResourceNode[];
    accessAssociations: Value[];
    accessAssociationsUncertain: boolean;
    mappingResources: ResourceNode[];
    mappingsUncertain: boolean;
  };
  const domains: Mutable[] = [];
  const byKey = new Map<string, Mutable>();
  const byName = new Map<string, Mutable>();
  for (const r of graph.ofType(
    'AWS::ApiGateway::DomainName',
    'AWS::ApiGatewayV2::DomainName',
    'AWS::ApiGateway::DomainNameV2',
  )) {
    const name = literal(r.properties.DomainName)?.toLowerCase().replace(/\.$/, '');
    let version: DomainFact['version'] = 'v1';
    let endpointType: DomainFact['endpointType'];
    if (r.type === 'AWS::ApiGatewayV2::DomainName') {
      version = 'v2';
      endpointType = 'REGIONAL';
    } else if (r.type === 'AWS::ApiGateway::DomainNameV2') {
      version = 'private';
      endpointType = 'PRIVATE';
    } else {
      const cfg = r.properties.EndpointConfiguration;
      const types = isObject(cfg) ? cfg.Types : undefined;
      const t =
        cfg === undefined || (isObject(cfg) && types === undefined)
          ? 'EDGE'
          : types !== undefined && list(types).length === 1
            ? literal(list(types)[0])?.toUpperCase()
            : undefined; // a Fn::If or a parameter: unknown, not EDGE
      endpointType = t === 'EDGE' || t === 'REGIONAL' ? t : undefined;
    }
    const d = {
      resource: r,
      name,
      version,
      endpointType,
      region: r.stack.region,
      apis: [] as ApiFact[],
      mappings: [] as DomainMapping[],
      routingMode: routingModeOf(r.properties.RoutingMode),
      ipAddressType: domainIpAddressType({ resource: r, version }),
      ignoredRoutes: [] as ResourceNode[],
      mtls: r.properties.MutualTlsAuthentication !== undefined,
      policy: parsePolicy(r.properties.Policy),
      accessAssociations: [] as Value[],
      accessAssociationsUncertain: false,
      mappingResources: [] as ResourceNode[],
      mappingsUncertain: false,
    };
    domains.push(d);
    byKey.set(r.key, d);
    if (name) byName.set(name, d);
  }
  const domainOf = (v: Value | undefined) => {
    if (v instanceof ResRef) return byKey.get(v.key);
    const text = literal(v);
    const s = (text && nameInArn(text))?.toLowerCase() ?? text?.toLowerCase().replace(/\.$/, '');
    return s ? byName.get(s) : undefined;
  };
  let uncertain = false;
  const mappedKeys = new Set<string>();
  let mappedUncertain = false;
  /** A route of a domain: a mapping, or a routing rule's action (with its base paths, one entry each). */
  const route = (
    m: ResourceNode,
    domain: Value | undefined,
    api: Value | undefined,
    stage: Value | undefined,
    how: Omit<DomainMapping, 'resource' | 'api' | 'stage' | 'basePath'>,
    basePaths: ReadonlyArray<string | undefined>,
  ) => {
    const d = domainOf(domain);
    if (!d && !(domain instanceof ResRef) && literal(domain) === undefined) uncertain = true;
    // A route that the domain's routing mode ignores leads nowhere (and does not make the API mapped).
    if (d && !(how.kind === 'mapping' ? usesMappings(d.routingMode) : usesRules(d.routingMode))) {
      if (!d.ignoredRoutes.includes(m)) d.ignoredRoutes.push(m);
      return;
    }
    if (d && !d.mappingResources.includes(m)) d.mappingResources.push(m);
    const a = api instanceof ResRef ? apiByKey.get(api.key) : undefined;
    if (a) mappedKeys.add(a.resource.key);
    else mappedUncertain = true; // it may map any API of the app
    if (!d || !a) return;
    if (!d.apis.includes(a)) d.apis.push(a);
    for (const basePath of basePaths) {
      d.mappings.push({ resource: m, api: a, basePath, stage: stageName(graph, stage), ...how });
    }
  };
  const map = (
    m: ResourceNode,
    domain: Value | undefined,
    api: Value | undefined,
    basePath: Value | undefined,
    stage: Value | undefined,
  ) => {
    const path = basePath === undefined ? '' : literal(basePath)?.replace(/^\/|\/$/g, '');
    const how = { kind: 'mapping' as const, headers: false, stripBasePath: true };
    route(m, domain, api, stage, how, [path === '(none)' ? '' : path]);
  };
  for (const m of graph.ofType('AWS::ApiGateway::BasePathMapping')) {
    map(m, m.properties.DomainName, m.properties.RestApiId, m.properties.BasePath, m.properties.Stage);
  }
  for (const m of graph.ofType('AWS::ApiGatewayV2::ApiMapping')) {
    map(m, m.properties.DomainName, m.properties.ApiId, m.properties.ApiMappingKey, m.properties.Stage);
  }
  for (const m of graph.ofType('AWS::ApiGateway::BasePathMappingV2')) {
    map(m, m.properties.DomainNameArn, m.properties.RestApiId, m.properties.BasePath, m.properties.Stage);
  }
  for (const r of graph.ofType('AWS::ApiGatewayV2::RoutingRule')) {
    const { basePaths, headers } = ruleConditions(r.properties.Conditions);
    const priority = Number(literal(r.properties.Priority));
    const actions = Array.isArray(r.properties.Actions) ? r.properties.Actions : [undefined];
    for (const action of actions) {
      const invoke = at(action, 'InvokeApi');
      const strip = bool(at(invoke, 'StripBasePath'));
      route(
        r,
        r.properties.DomainNameArn,
        at(invoke, 'ApiId'),
        at(invoke, 'Stage'),
        {
          kind: 'routing-rule',
          priority: Number.isFinite(priority) ? priority : undefined,
          headers,
          stripBasePath: strip === 'unknown' ? undefined : (strip ?? false),
        },
        basePaths,
      );
    }
  }
  let associationsUncertain = false;
  for (const a of graph.ofType('AWS::ApiGateway::DomainNameAccessAssociation')) {
    const d = a.properties.DomainNameArn instanceof ResRef ? byKey.get(a.properties.DomainNameArn.key) : undefined;
    if (d && a.properties.AccessAssociationSource !== undefined) {
      d.accessAssociations.push(a.properties.AccessAssociationSource);
    } else if (!(a.properties.DomainNameArn instanceof ResRef) || a.properties.AccessAssociationSource === undefined) {
      associationsUncertain = true; // an ARN the app cannot tie to one of its domains: it may be any of them
    }
  }
  for (const d of domains) {
    // Written by PrivateCustomDomain when the association is the consumer account's to make.
    const external = (d.resource.metadata[HINTS_METADATA_KEY] as HintsMetadata | undefined)?.externalAccessAssociations;
    if (Array.isArray(external)) {
      for (const id of external as unknown[]) {
        d.accessAssociations.push(typeof id === 'string' ? id : JSON.stringify(id));
      }
    }
    d.mappingsUncertain = uncertain;
    d.accessAssociationsUncertain = associationsUncertain;
  }
  return { domains, mappedApis: { keys: mappedKeys, uncertain: mappedUncertain } };
}

/**
 * What a routing rule's conditions select: the base paths of its `MatchBasePaths` (one entry for any
 * path when it has none; an undefined entry when not literal), and whether it also matches headers.
 * Conditions the app cannot read count as headers (the rule may not serve a request).
 */
function ruleConditions(v: Value | undefined): { basePaths: Array<string | undefined>; headers: boolean } {
  if (v !== undefined && !Array.isArray(v)) return { basePaths: [undefined], headers: true };
  let basePaths: Array<string | undefined> = [''];
  let headers = false;
  for (const c of list(v)) {
    if (!isObject(c)) return { basePaths: [undefined], headers: true };
    if (c.MatchHeaders !== undefined) headers = true;
    if (c.MatchBasePaths === undefined) continue;
    const anyOf = at(c.MatchBasePaths, 'AnyOf');
    basePaths = Array.isArray(anyOf) ? anyOf.map((p) => literal(p)?.replace(/^\/|\/$/g, '')) : [undefined];
  }
  return { basePaths, headers };
}

/** A stage value as a name: a literal, or the `StageName` of a Stage resource of the app. */
export function stageName(graph: ResourceGraph, v: Value | undefined): string | undefined {
  if (v instanceof ResRef && v.attr === undefined) {
    const r = graph.get(v.key);
    return r?.type === 'AWS::ApiGateway::Stage' || r?.type === 'AWS::ApiGatewayV2::Stage'
      ? literal(r.properties.StageName)
      : undefined;
  }
  return literal(v);
}
