/**
 * Which IP address families can reach an API or a custom domain name, and which ones an API's
 * resource policy admits by source address.
 *
 * Reads: AWS::ApiGateway::RestApi `EndpointConfiguration.IpAddressType`, AWS::ApiGatewayV2::Api
 * `IpAddressType`, AWS::ApiGateway::DomainName `EndpointConfiguration.IpAddressType`,
 * AWS::ApiGatewayV2::DomainName `DomainNameConfigurations[].IpAddressType`,
 * AWS::ApiGateway::DomainNameV2 `EndpointConfiguration.IpAddressType`; in a parsed resource policy,
 * the `IpAddress` / `NotIpAddress` conditions (with `IfExists`) on `aws:SourceIp`.
 * Defaults: `ipv4` for regional and edge-optimized APIs, HTTP and WebSocket APIs and public custom
 * domain names; `dualstack` for private APIs and private custom domain names, which support nothing
 * else. An OpenAPI definition cannot set the type (SAM's `EndpointConfiguration.IpAddressType` and
 * `Domain.IpAddressType` are written to the properties above by graph/sam.ts).
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-ip-address-type.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-restapi-endpointconfiguration.html
 * Unknown: an `IpAddressType` or `EndpointConfiguration` that is a parameter, `Fn::If` or any value
 * other than `ipv4` / `dualstack`; a REST API whose endpoint type is unknown and whose type is not
 * set (the default depends on it). In a policy: a statement that cannot be read, an action or a
 * source address that is not literal, or a condition on `aws:SourceIp` with a set prefix.
 */
import type { ApiFact, DomainFact } from './apis';
import { Policy, PolicyStatement, actionCovered } from './policies';
import { Value, at, isObject, list, literal } from '../graph/values';

/** The IP address families that can invoke an API or a custom domain name. */
export type IpAddressType = 'ipv4' | 'dualstack';

/** The IP address type of an API's default endpoint. */
export function apiIpAddressType(api: Pick<ApiFact, 'resource' | 'endpointType'>): IpAddressType | 'unknown' {
  const props = api.resource.properties;
  if (api.resource.type === 'AWS::ApiGatewayV2::Api') return typeOf(props.IpAddressType, 'ipv4');
  const cfg = props.EndpointConfiguration;
  if (cfg !== undefined && !isObject(cfg)) return 'unknown';
  const fallback = api.endpointType === 'PRIVATE' ? 'dualstack' : api.endpointType === undefined ? 'unknown' : 'ipv4';
  return typeOf(at(cfg, 'IpAddressType'), fallback);
}

/** The IP address type of a custom domain name (for a v2 domain, dual-stack when one of its configurations is). */
export function domainIpAddressType(domain: Pick<DomainFact, 'resource' | 'version'>): IpAddressType | 'unknown' {
  const r = domain.resource;
  if (r.type === 'AWS::ApiGatewayV2::DomainName') {
    const configs = r.properties.DomainNameConfigurations;
    if (configs !== undefined && !Array.isArray(configs)) return 'unknown';
    const types = list(configs).map((c) => (isObject(c) ? typeOf(c.IpAddressType, 'ipv4') : 'unknown'));
    if (types.includes('dualstack')) return 'dualstack';
    return types.includes('unknown') ? 'unknown' : 'ipv4';
  }
  const cfg = r.properties.EndpointConfiguration;
  if (cfg !== undefined && !isObject(cfg)) return 'unknown';
  return typeOf(at(cfg, 'IpAddressType'), domain.version === 'private' ? 'dualstack' : 'ipv4');
}

function typeOf(v: Value | undefined, fallback: IpAddressType | 'unknown'): IpAddressType | 'unknown' {
  if (v === undefined) return fallback;
  const s = literal(v)?.toLowerCase();
  return s === 'ipv4' || s === 'dualstack' ? s : 'unknown';
}

/**
 * A resource policy that admits callers only from IPv4 source addresses, so that a client that
 * connects over IPv6 (whose `aws:SourceIp` is its IPv6 address) is never allowed:
 * - `allow`: every Allow statement on `execute-api:Invoke` needs `aws:SourceIp` in IPv4 ranges
 *   (`IpAddress`), whatever else it asks; the request is implicitly denied;
 * - `deny`: a Deny statement on `execute-api:Invoke` for everyone, with no other condition, denies
 *   every `aws:SourceIp` outside IPv4 ranges (`NotIpAddress`); the request is explicitly denied.
 */
export interface Ipv4OnlyPolicy {
  readonly kind: 'allow' | 'deny';
  /** The statements that keep IPv6 clients out. */
  readonly statements: PolicyStatement[];
  /** Their IPv4 ranges, without repeats, in the order written. */
  readonly ranges: string[];
}

/**
 * Whether a policy admits callers only from IPv4 source addresses; undefined when it may admit an
 * IPv6 client (a statement without such a condition, an IPv6 range) or when that cannot be known.
 * A Deny outside IPv4 ranges is preferred to the Allow form when a policy has both.
 */
export function ipv4OnlyPolicy(policy: Policy): Ipv4OnlyPolicy | undefined {
  if (policy === 'unknown') return undefined;
  const invoke: PolicyStatement[] = [];
  for (const s of policy) {
    if (s.unreadable) return undefined;
    const covers = actionCovered(s, 'execute-api:Invoke');
    if (covers === 'unknown') return undefined;
    if (covers) invoke.push(s);
  }
  for (const s of invoke) {
    if (s.effect !== 'Deny' || s.notPrincipal || !s.principal?.anyone || s.conditions.length !== 1) continue;
    const ranges = sourceIpRanges(s, 'NotIpAddress');
    if (ranges && ranges !== 'unknown') return { kind: 'deny', statements: [s], ranges };
  }
  const allows = invoke.filter((s) => s.effect === 'Allow');
  if (allows.length === 0) return undefined;
  const ranges: string[] = [];
  for (const s of allows) {
    const r = sourceIpRanges(s, 'IpAddress');
    if (r === undefined || r === 'unknown') return undefined;
    for (const x of r) if (!ranges.includes(x)) ranges.push(x);
  }
  return { kind: 'allow', statements: allows, ranges };
}

/**
 * The ranges of a statement's `<operator>` condition on `aws:SourceIp` when they are all IPv4;
 * undefined when it has no such condition or one of them is IPv6; 'unknown' when a value cannot be read.
 */
function sourceIpRanges(s: PolicyStatement, operator: 'IpAddress' | 'NotIpAddress'): string[] | 'unknown' | undefined {
  const conditions = s.conditions.filter((c) => c.operator === operator && c.key === 'aws:sourceip');
  if (conditions.length === 0) return undefined;
  const ranges: string[] = [];
  for (const c of conditions) {
    // aws:SourceIp is single-valued and always in a request to a public endpoint, so `IfExists` changes
    // nothing; a set prefix is unusual enough to leave unknown.
    if (c.set !== undefined || c.values.length === 0) return 'unknown';
    for (const v of c.values) {
      const text = literal(v)?.trim();
      if (text === undefined) return 'unknown';
      const family = ipFamily(text);
      if (family === 'unknown') return 'unknown';
      if (family === 'ipv6') return undefined;
      if (!ranges.includes(text)) ranges.push(text);
    }
  }
  return ranges;
}

/** The family of an address or CIDR range: an IPv6 one has a colon (`::ffff:192.0.2.0/120` included). */
export function ipFamily(text: string): 'ipv4' | 'ipv6' | 'unknown' {
  if (text.includes(':')) return 'ipv6';
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length > 0) return 'unknown';
  if (prefix !== undefined && !isNumberIn(prefix, 32)) return 'unknown';
  const octets = address.split('.');
  return octets.length === 4 && octets.every((o) => isNumberIn(o, 255)) ? 'ipv4' : 'unknown';
}

function isNumberIn(text: string, max: number): boolean {
  if (text.length === 0 || text.length > 3) return false;
  for (const ch of text) if (ch < '0' || ch > '9') return false;
  return Number(text) <= max;
}
