/**
 * Route 53 records that publish an API or a custom domain.
 *
 * Reads: AWS::Route53::RecordSet and the `RecordSets` of AWS::Route53::RecordSetGroup: their name,
 * type, alias target and resource records.
 * A record points at a custom domain when its alias target or value is that domain's
 * `RegionalDomainName` / `DistributionDomainName`; at a regional execute-api hostname when its
 * value is a literal `d-….execute-api.<region>.amazonaws.com`, or an API's default
 * `{id}.execute-api.<region>…` hostname.
 * Unknown: values that are parameters or other unresolvable intrinsics (the record has no target).
 */
import { ApiFact, DomainFact } from './apis';
import { FactGuard } from './guard';
import { ResourceNode, ResourceGraph } from '../graph/resource-graph';
import { ResRef, Value, at, isObject, list, literal, partsOf } from '../graph/values';

/** What a record's value points at. */
export interface RecordTarget {
  readonly domain?: DomainFact;
  readonly api?: ApiFact;
  /** A literal execute-api hostname (`d-….execute-api…` or `{id}.execute-api…`). */
  readonly host?: string;
  /** The region in the literal hostname, when there is one. */
  readonly hostRegion?: string;
}

/**
 * Whether a record's target is a regional custom domain's own name (`d-….execute-api…`: the domain's
 * `RegionalDomainName`, or such a literal), the name a CNAME must not point at from inside a private-DNS VPC.
 */
export function isRegionalDomainTarget(t: RecordTarget): boolean {
  return t.domain ? t.domain.endpointType === 'REGIONAL' : t.host?.startsWith('d-') === true;
}

/** One DNS record of the app. */
export interface RecordFact {
  readonly resource: ResourceNode;
  /** Property path of the record inside the resource (`Properties` or `Properties.RecordSets.0`). */
  readonly location: string;
  /** The record name, literal, lower case, without the trailing dot. */
  readonly name?: string;
  readonly type?: string;
  readonly alias: boolean;
  readonly target?: RecordTarget;
}

const EXECUTE_API_HOST = /^((d-)?[a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\.?$/;

/** Reads the Route 53 records of the app. */
export function readRecords(
  graph: ResourceGraph,
  apis: ApiFact[],
  domains: DomainFact[],
  guard = new FactGuard(),
): RecordFact[] {
  const apiByKey = new Map(apis.map((a) => [a.resource.key, a]));
  const domainByKey = new Map(domains.map((d) => [d.resource.key, d]));
  const targetOf = (v: Value | undefined): RecordTarget | undefined => {
    const parts = partsOf(v);
    if (!parts) return undefined;
    if (parts.length === 1 && parts[0] instanceof ResRef) {
      const ref = parts[0];
      const domain = domainByKey.get(ref.key);
      if (domain && (ref.attr === 'RegionalDomainName' || ref.attr === 'DistributionDomainName')) return { domain };
      return undefined;
    }
    const first = parts[0];
    if (first instanceof ResRef && apiByKey.has(first.key) && first.attr === undefined) {
      const next = parts[1];
      if (typeof next === 'string' && next.startsWith('.execute-api.')) return { api: apiByKey.get(first.key) };
    }
    if (parts.length === 1 && typeof first === 'string') {
      const m = EXECUTE_API_HOST.exec(first.toLowerCase());
      if (m) return { host: first.toLowerCase().replace(/\.$/, ''), hostRegion: m[3] };
    }
    return undefined;
  };
  const read = (resource: ResourceNode, rs: Value, location: string): RecordFact => {
    const alias = at(rs, 'AliasTarget');
    const value = isObject(alias) ? alias.DNSName : list(at(rs, 'ResourceRecords'))[0];
    return {
      resource,
      location,
      name: literal(at(rs, 'Name'))?.toLowerCase().replace(/\.$/, ''),
      type: literal(at(rs, 'Type')),
      alias: isObject(alias),
      target: targetOf(value),
    };
  };
  const sets = guard.each(
    'DNS record',
    graph.ofType('AWS::Route53::RecordSet'),
    (r) => [read(r, r.properties, 'Properties')],
    (r) => r,
  );
  const groups = guard.each(
    'DNS record',
    graph.ofType('AWS::Route53::RecordSetGroup'),
    (r) => list(r.properties.RecordSets).map((rs, i) => read(r, rs, `Properties.RecordSets.${i}`)),
    (r) => r,
  );
  return [...sets, ...groups].flat();
}
