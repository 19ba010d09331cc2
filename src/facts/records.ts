/**
 * Route 53 records: the one read of them, for the rules about records and for where a name resolves
 * (resolution.ts places each record in its private hosted zone).
 *
 * Reads: AWS::Route53::RecordSet and the `RecordSets` of AWS::Route53::RecordSetGroup: their name,
 * type, alias target and resource records, and the zone they sit in (`HostedZoneId` that is an
 * AWS::Route53::HostedZone of the app, or a `HostedZoneName` that names zones of the app).
 * A record points at a custom domain when its alias target or value is that domain's
 * `RegionalDomainName` / `DistributionDomainName`; at a regional execute-api hostname when its
 * value is a literal `d-….execute-api.<region>.amazonaws.com`, or an API's default
 * `{id}.execute-api.<region>…` hostname.
 * Unknown: values that are parameters or other unresolvable intrinsics (the record has no target). A
 * record resource that cannot be read is left out of the records and listed in `unread`: where a name
 * resolves, every private zone's answer is then unknown (resolution.ts).
 */
import { ApiFact, DomainFact } from './apis';
import { FactGuard } from './guard';
import { DnsName, dnsNameOf } from './resolution';
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
  /** The record name as DNS labels, also when made of values of the app's resources (see resolution.ts). */
  readonly dnsName: DnsName;
  /** The record type, literal, upper case. */
  readonly type?: string;
  readonly alias: boolean;
  /** The alias target's `DNSName`, or the first of `ResourceRecords`, as written. */
  readonly value?: Value;
  /** What the value points at, when it is a custom domain, an API or an execute-api hostname. */
  readonly target?: RecordTarget;
  /**
   * The hosted zones of the app that the record may sit in: the one its `HostedZoneId` refers to, else
   * every zone of the app that its `HostedZoneName` names (more than one: which is not known); none for a
   * zone made outside the app.
   */
  readonly zones: ReadonlyArray<ResourceNode>;
}

/** The records of the app, and the record resources that could not be read (their records are not known). */
export interface RecordRead {
  readonly records: RecordFact[];
  readonly unread: ReadonlyArray<ResourceNode>;
}

const EXECUTE_API_HOST = /^((d-)?[a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\.?$/;

/** Reads the Route 53 records of the app. */
export function readRecords(
  graph: ResourceGraph,
  apis: ApiFact[],
  domains: DomainFact[],
  guard = new FactGuard(),
): RecordRead {
  const zonesByName = new Map<string, ResourceNode[]>();
  for (const z of graph.ofType('AWS::Route53::HostedZone')) {
    const text = literal(graph.prop(z, 'Name'))?.toLowerCase().replace(/\.$/, '');
    if (text !== undefined) zonesByName.set(text, [...(zonesByName.get(text) ?? []), z]);
  }
  const zonesOf = (zoneId: Value | undefined, zoneName: Value | undefined): ResourceNode[] => {
    if (zoneId instanceof ResRef) {
      const z = graph.get(zoneId.key);
      return z?.type === 'AWS::Route53::HostedZone' ? [z] : [];
    }
    // A literal or parameter zone id names a zone made outside this app: none of ours.
    const name = literal(zoneName)?.toLowerCase().replace(/\.$/, '');
    return name === undefined ? [] : (zonesByName.get(name) ?? []);
  };
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
  const read = (resource: ResourceNode, rs: Value, location: string, zones: ResourceNode[]): RecordFact => {
    const alias = at(rs, 'AliasTarget');
    const value = isObject(alias) ? alias.DNSName : list(at(rs, 'ResourceRecords'))[0];
    return {
      resource,
      location,
      name: literal(at(rs, 'Name'))?.toLowerCase().replace(/\.$/, ''),
      dnsName: dnsNameOf(at(rs, 'Name')),
      type: literal(at(rs, 'Type'))?.toUpperCase(),
      alias: isObject(alias),
      value,
      target: targetOf(value),
      zones,
    };
  };
  const done = new Set<ResourceNode>();
  const sets = guard.each(
    'DNS record',
    graph.ofType('AWS::Route53::RecordSet'),
    (r) => {
      const zones = zonesOf(r.properties.HostedZoneId, r.properties.HostedZoneName);
      const out = [read(r, r.properties, 'Properties', zones)];
      done.add(r);
      return out;
    },
    (r) => r,
  );
  const groups = guard.each(
    'DNS record',
    graph.ofType('AWS::Route53::RecordSetGroup'),
    (r) => {
      const zones = zonesOf(r.properties.HostedZoneId, r.properties.HostedZoneName);
      const out = list(r.properties.RecordSets).map((rs, i) => read(r, rs, `Properties.RecordSets.${i}`, zones));
      done.add(r);
      return out;
    },
    (r) => r,
  );
  const unread = graph.ofType('AWS::Route53::RecordSet', 'AWS::Route53::RecordSetGroup').filter((r) => !done.has(r));
  return { records: [...sets, ...groups].flat(), unread };
}
