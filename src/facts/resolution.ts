/**
 * Where a name resolves, inside a VPC: the one DNS fact that every rule about hostnames asks.
 *
 * Reads: the execute-api endpoints (endpoints.ts); AWS::Route53::HostedZone with `VPCs` (private
 * hosted zones) and the records in them, as records.ts reads them (the app's one read of its
 * Route 53 records: a record sits in the zone its `HostedZoneId` or `HostedZoneName` names, when that
 * is one zone of the app); AWS::Route53Profiles::Profile,
 * ProfileAssociation (`ProfileId`, `ResourceId` = the VPC) and ProfileResourceAssociation
 * (`ProfileId`, `ResourceArn` = a private hosted zone, an interface endpoint or a Resolver rule);
 * AWS::Route53Resolver::ResolverRule (`DomainName`, `RuleType`) and ResolverRuleAssociation
 * (`ResolverRuleId`, `VPCId`).
 *
 * How a VPC's resolver answers. Every Resolver rule and every private hosted zone associated with the
 * VPC (directly or through a Route 53 Profile) whose domain covers the name competes, and so does the
 * private DNS of an interface endpoint, which Route 53 runs as a private zone for
 * `execute-api.<region>.amazonaws.com` (its region: `ServiceRegion`, else the one in `ServiceName`).
 * The most specific domain wins; a Resolver rule wins over a zone of the same name. A zone answers
 * from its records: an alias or CNAME to an endpoint's DNS name leads to that endpoint; a CNAME to
 * another name is resolved in turn; a zone that covers the name but holds no record for it answers
 * that it does not exist (split-horizon DNS). A FORWARD rule sends the question outside the app; a
 * SYSTEM rule sends it back to the zones. No competitor at all: public DNS.
 * See: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html
 * and https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-domain-name-matches.html
 *
 * Decisions. The region of an environment-agnostic stack (`AWS::Region`) matches any region, as
 * everywhere in the facts. A resource of the app gets an id that no literal of the same app can
 * name, so a zone for a literal API id never covers an API of the app. A zone of the app shows all
 * its records.
 * Unknown (the answer is 'unknown', and rules that need a proof stay silent): a zone, rule, Profile
 * or association whose name, type or target the app cannot show (a parameter, an import, an ARN of
 * something outside the app); a conditional one; a record whose name or target is not literal and
 * not a resource of the app; a competitor whose domain may be more specific than the one that wins.
 */
import { ApiFact, DomainFact } from './apis';
import { EndpointIndex, ExecuteApiEndpoint } from './endpoints';
import type { RecordFact, RecordRead } from './records';
import { VpcIndex, VpcRef } from './vpcs';
import { ResourceGraph, ResourceNode, displayName } from '../graph/resource-graph';
import { Concat, Opaque, ResRef, Value, describe, isObject, list, literal, partsOf, sourceRef } from '../graph/values';

/**
 * A DNS name as labels, the right-most last (`['api', 'example', 'com']`), lower case, no trailing
 * dot; `'unknown'` when not even the number of its labels is known. A label is literal text, or one
 * of the marks below.
 */
export type DnsName = ReadonlyArray<string> | 'unknown';

/** A label that is the region of an environment-agnostic stack: it matches any region. */
const ANY_REGION = '\u0002';
/** A label that is partly unknown text: it may stand for any number of labels. */
const UNKNOWN_LABEL = '\u0003';
/** Prefix of a label that is the value of a resource of the app (`Ref`, or `Fn::GetAtt` with its attribute). */
const RESOURCE = '\u0001r:';
/** Prefix of a label that is an unknown value (a parameter, an import): it may stand for any number of labels. */
const OPAQUE = '\u0001o:';

/** An execute-api endpoint that a name resolves to. */
export interface ResolvedEndpoint {
  /** The endpoint, when it is one of the app. */
  readonly endpoint?: ExecuteApiEndpoint;
  /** How messages name it: its construct path, or its DNS name when it is outside the app. */
  readonly name: string;
}

/** A Route 53 Profile that brings a zone, an endpoint's private DNS or a rule to a VPC. */
export interface ProfileLink {
  readonly profile: ResourceNode;
  /** The `ProfileAssociation` of the Profile with the VPC. */
  readonly association: ResourceNode;
}

/** A private hosted zone of the app. */
export interface PrivateZone {
  readonly resource: ResourceNode;
  readonly name: DnsName;
  /** The zone's name as written, for messages. */
  readonly label: string;
}

/** One step of the way a VPC answers a name: who answers, and through what. */
export type ResolutionStep =
  | {
      /** The private DNS of an execute-api endpoint (its own, or one a Profile brings). */
      readonly kind: 'private-dns';
      readonly endpoint: ExecuteApiEndpoint;
      readonly profile?: ProfileLink;
    }
  | {
      /** A private hosted zone, and the record that answers (none: the name does not exist there). */
      readonly kind: 'zone';
      readonly zone: PrivateZone;
      readonly record?: RecordFact;
      readonly profile?: ProfileLink;
    }
  | {
      /** A Resolver rule that forwards the name to resolvers outside the app. */
      readonly kind: 'resolver-rule';
      readonly rule: ResourceNode;
      /** The rule's domain name, as written. */
      readonly domain: string;
      /** The `ResolverRuleAssociation`, or the Profile, that applies it to the VPC. */
      readonly association: ResourceNode;
      readonly profile?: ProfileLink;
    };

/**
 * Where a name resolves inside a VPC. `steps` says why, in order (a CNAME in a zone, then who
 * answers its target); the last step decides.
 */
export type Resolution =
  | {
      /** An execute-api endpoint: requests to the name go through it. */
      readonly kind: 'endpoint';
      readonly endpoint: ResolvedEndpoint;
      readonly steps: ReadonlyArray<ResolutionStep>;
    }
  | {
      /** Nothing private answers: public DNS does. */
      readonly kind: 'public';
      readonly steps: ReadonlyArray<ResolutionStep>;
    }
  | {
      /** A private hosted zone covers the name and holds no record for it: the name does not resolve. */
      readonly kind: 'nxdomain';
      readonly steps: ReadonlyArray<ResolutionStep>;
    }
  | {
      /** A record of a private zone answers with something that is not an execute-api endpoint. */
      readonly kind: 'elsewhere';
      readonly steps: ReadonlyArray<ResolutionStep>;
    }
  | {
      /** A Resolver FORWARD rule sends the name to resolvers outside the app: probably a shared endpoint, never proven. */
      readonly kind: 'forwarded';
      readonly steps: ReadonlyArray<ResolutionStep>;
    }
  | { readonly kind: 'unknown' };

/**
 * Whether a resolution goes through a private hosted zone named exactly `name`: a zone made for that
 * one API (`{id}.execute-api.<region>.amazonaws.com`), as the hub-and-spoke pattern for private APIs
 * makes one per API it shares.
 */
export function leadsThroughZoneOf(r: Resolution, name: DnsName): boolean {
  return r.kind !== 'unknown' && r.steps.some((s) => s.kind === 'zone' && matches(s.zone.name, name, true) === true);
}

/** The default hostname of an API of the app: `{id}.execute-api.<region>.amazonaws.com`. */
export function apiHostname(api: ApiFact): DnsName {
  return executeApiName(`${RESOURCE}${api.resource.key}`, api.region);
}

/**
 * The default hostname of an API by its literal id; with no region, the region of an
 * environment-agnostic stack (which matches any).
 */
export function defaultHostname(apiId: string, region?: string): DnsName {
  return executeApiName(apiId.toLowerCase(), region);
}

/** The regional hostname of a custom domain of the app: `d-….execute-api.<region>.amazonaws.com`. */
export function regionalDomainHostname(domain: DomainFact): DnsName {
  return executeApiName(`${RESOURCE}${domain.resource.key}.RegionalDomainName`, domain.region);
}

/** A custom domain's own name; unknown when it is not literal. */
export function domainHostname(domain: DomainFact): DnsName {
  return domain.name ? literalName(domain.name) : 'unknown';
}

/** A literal hostname (`abc123.execute-api.eu-west-1.amazonaws.com`, `api.example.com`). */
export function literalName(host: string): DnsName {
  const text = host.toLowerCase().replace(/\.$/, '');
  return text === '' ? [] : text.split('.');
}

/** The text of a name, for messages: literal labels as they are, the others as `{…}`. */
export function nameText(name: DnsName): string {
  if (name === 'unknown') return '(unknown name)';
  return name
    .map((l) => (l === ANY_REGION ? '{region}' : l.startsWith('\u0001') || l === UNKNOWN_LABEL ? '{…}' : l))
    .join('.');
}

function executeApiName(first: string, region: string | undefined): DnsName {
  return [first, 'execute-api', region ?? ANY_REGION, ...suffixOf(region)];
}

function suffixOf(region: string | undefined): string[] {
  return region?.startsWith('cn-') ? ['amazonaws', 'com', 'cn'] : ['amazonaws', 'com'];
}

/** A DNS name made of a value: literal parts, resources of the app, unknown values. */
export function dnsNameOf(v: Value | undefined): DnsName {
  const parts = partsOf(v);
  if (!parts) return 'unknown';
  const holes: string[] = [];
  let text = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      text += p.toLowerCase();
    } else if (p instanceof Opaque && p.kind === 'pseudo' && p.id === 'AWS::URLSuffix') {
      text += 'amazonaws.com';
    } else {
      holes.push(labelOf(p));
      text += `\u0000${holes.length - 1}\u0000`;
    }
  }
  text = text.replace(/\.$/, '');
  if (text === '') return [];
  const labels = text.split('.').map((l) => {
    if (!l.includes('\u0000')) return l;
    const only = /^\u0000(\d+)\u0000$/.exec(l);
    return only ? holes[Number(only[1])] : UNKNOWN_LABEL;
  });
  // One value for the whole name: how many labels it has is not known.
  if (labels.length === 1 && (labels[0].startsWith('\u0001') || labels[0] === UNKNOWN_LABEL)) return 'unknown';
  return labels;
}

function labelOf(p: ResRef | Opaque): string {
  if (p instanceof ResRef) return `${RESOURCE}${p.key}${p.attr ? `.${p.attr}` : ''}`;
  if (p.kind === 'pseudo' && p.id === 'AWS::Region') return ANY_REGION;
  return `${OPAQUE}${p.kind}:${p.id}`;
}

type Tri = boolean | 'unknown';

/** Whether a label may stand for any number of labels. */
function spans(l: string): boolean {
  return l === UNKNOWN_LABEL || l.startsWith(OPAQUE);
}

function labelMatch(a: string, b: string): Tri {
  if (a === b || a === ANY_REGION || b === ANY_REGION) return true;
  return false; // two literals, two resources, or a resource and a literal (see the header)
}

/**
 * Whether `suffix` is `name` (exact) or a parent domain of it. Compared from the right, so that a
 * literal difference is found before an unknown label ends the comparison.
 */
function matches(suffix: DnsName, name: DnsName, exact: boolean): Tri {
  if (suffix === 'unknown' || name === 'unknown') return 'unknown';
  let i = suffix.length - 1;
  let j = name.length - 1;
  while (i >= 0 && j >= 0) {
    const a = suffix[i];
    const b = name[j];
    if (spans(a) || spans(b)) return 'unknown';
    if (!labelMatch(a, b)) return false;
    i--;
    j--;
  }
  if (i >= 0) return false;
  return exact && j >= 0 ? false : true;
}

/** Something that competes to answer names in a VPC. */
interface Competitor {
  readonly domain: DnsName;
  readonly kind: 'rule' | 'zone';
  /** True when it may not apply at all (conditional): it can only make the answer unknown. */
  readonly maybe: boolean;
  /** Stable order among competitors. */
  readonly order: string;
  answer(name: DnsName, vpc: VpcRef, depth: number): Resolution;
}

const UNKNOWN: Resolution = { kind: 'unknown' };
const MAX_DEPTH = 4;
const VPCE_HOST = /^(vpce-[a-z0-9]+(-[a-z0-9]+)*)\.([a-z0-9-]+)\.([a-z0-9-]+)\.vpce\.amazonaws\.com(\.cn)?$/;
const REGIONAL_DOMAIN_TYPES = new Set(['AWS::ApiGateway::DomainName', 'AWS::ApiGatewayV2::DomainName']);

/** How each VPC of the app answers names: built once, each VPC's competitors gathered on first use. */
export class ResolutionIndex {
  private readonly zones = new Map<string, PrivateZone & { records: RecordFact[]; maybeRecords: RecordFact[] }>();
  /** The private zone each record sits in, where the app names one zone. */
  private readonly zoneByRecord = new Map<RecordFact, PrivateZone>();
  /** True when some record resource could not be read: it may sit in any zone. */
  private readonly recordsUnread: boolean;
  /** Competitors by VPC id; those whose VPC cannot be told apply to every VPC. */
  private readonly byVpc = new Map<string, Competitor[]>();
  private readonly everyVpc: Competitor[] = [];
  private readonly endpointByKey: Map<string, ExecuteApiEndpoint>;

  /**
   * @param records the app's Route 53 records (records.ts), placed in the private zones they sit in
   */
  constructor(
    private readonly graph: ResourceGraph,
    vpcs: VpcIndex,
    endpoints: EndpointIndex,
    records: RecordRead,
  ) {
    this.endpointByKey = new Map(endpoints.all.map((e) => [e.resource.key, e]));
    this.recordsUnread = records.unread.length > 0;
    this.readZones(vpcs, records.records);
    for (const e of endpoints.all) {
      if (e.privateDns === false || !e.vpc) continue;
      this.add(e.vpc, this.privateDns(e, e.resource.conditional));
    }
    this.readResolverRules(vpcs);
    this.readProfiles(vpcs);
    for (const competitors of [...this.byVpc.values(), this.everyVpc]) competitors.sort(byOrder);
  }

  /** Where `name` resolves inside `vpc`. */
  public resolve(vpc: VpcRef, name: DnsName): Resolution {
    return this.resolveAt(vpc, name, 0, false);
  }

  /**
   * The private hosted zone of the app that a record sits in; undefined for a record of a public zone,
   * of a zone made outside the app, or of a `HostedZoneName` that more than one zone of the app has.
   */
  public privateZoneOf(record: RecordFact): PrivateZone | undefined {
    return this.zoneByRecord.get(record);
  }

  private resolveAt(vpc: VpcRef, name: DnsName, depth: number, zonesOnly: boolean): Resolution {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const competitors = [...(this.byVpc.get(vpc.id) ?? []), ...this.everyVpc];
    const sure: Array<{ c: Competitor; length: number }> = [];
    const maybe: number[] = [];
    for (const c of competitors) {
      if (zonesOnly && c.kind === 'rule') continue;
      const covers = matches(c.domain, name, false);
      if (covers === false) continue;
      const length = c.domain === 'unknown' ? Infinity : c.domain.length;
      if (covers === true && !c.maybe) sure.push({ c, length });
      else maybe.push(length);
    }
    if (sure.length === 0) return maybe.length > 0 ? UNKNOWN : { kind: 'public', steps: [] };
    const best = Math.max(...sure.map((s) => s.length));
    // A competitor that may be as specific as the winner may be the one that answers.
    if (maybe.some((l) => l >= best)) return UNKNOWN;
    const winners = sure.filter((s) => s.length === best).map((s) => s.c);
    const rule = winners.find((w) => w.kind === 'rule');
    if (rule) return rule.answer(name, vpc, depth);
    const answers = winners.map((w) => w.answer(name, vpc, depth));
    // Route 53 refuses two zones of one name in one VPC; should the app show two, they must agree.
    return answers.every((a) => sameAnswer(a, answers[0])) ? answers[0] : UNKNOWN;
  }

  private add(vpc: VpcRef | undefined, c: Competitor): void {
    if (!vpc) {
      this.everyVpc.push(c);
      return;
    }
    const competitors = this.byVpc.get(vpc.id);
    if (competitors) competitors.push(c);
    else this.byVpc.set(vpc.id, [c]);
  }

  /** The private DNS of an endpoint: a zone for `execute-api.<region>` whose every name is the endpoint. */
  private privateDns(e: ExecuteApiEndpoint, maybe: boolean, profile?: ProfileLink): Competitor {
    const region = e.regionUncertain ? UNKNOWN_LABEL : (e.region ?? ANY_REGION);
    const known = e.privateDns === true;
    return {
      domain: ['execute-api', region, ...suffixOf(e.region)],
      kind: 'zone',
      maybe: maybe || !known,
      order: `1|${e.resource.key}|${profile?.association.key ?? ''}`,
      answer: () => ({
        kind: 'endpoint',
        endpoint: { endpoint: e, name: displayName(e.resource) },
        steps: [{ kind: 'private-dns', endpoint: e, profile }],
      }),
    };
  }

  private zoneCompetitor(zone: PrivateZone, maybe: boolean, order: string, profile?: ProfileLink): Competitor {
    return {
      domain: zone.name,
      kind: 'zone',
      maybe,
      order: `2|${zone.resource.key}|${order}`,
      answer: (name, vpc, depth) => this.answerInZone(zone.resource.key, name, vpc, depth, profile),
    };
  }

  private answerInZone(key: string, name: DnsName, vpc: VpcRef, depth: number, profile?: ProfileLink): Resolution {
    const zone = this.zones.get(key)!;
    if (this.recordsUnread) return UNKNOWN; // a record that could not be read may be the one that answers
    const recordsFor = (records: RecordFact[], exact: boolean) => {
      const out: { sure: RecordFact[]; maybe: boolean } = { sure: [], maybe: false };
      for (const r of records) {
        if (r.type !== undefined && !ADDRESS_TYPES.has(r.type)) continue;
        const wildcard = r.dnsName !== 'unknown' && r.dnsName[0] === '*';
        if (wildcard === exact) continue;
        const m = wildcard ? matchesUnder(r.dnsName as string[], name) : matches(r.dnsName, name, true);
        if (m === true && r.type !== undefined) out.sure.push(r);
        else if (m !== false) out.maybe = true;
      }
      return out;
    };
    const step = (record?: RecordFact): ResolutionStep => ({ kind: 'zone', zone, record, profile });
    // An exact record first; a wildcard only answers names that have none.
    for (const exact of [true, false]) {
      const found = recordsFor(zone.records, exact);
      const elsewhere = recordsFor(zone.maybeRecords, exact);
      if (found.maybe || elsewhere.maybe || elsewhere.sure.length > 0) return UNKNOWN;
      if (found.sure.length > 0) {
        const record = [...found.sure].sort((a, b) => typeRank(a) - typeRank(b))[0];
        return this.answerOfRecord(record, step(record), vpc, depth);
      }
    }
    return { kind: 'nxdomain', steps: [step()] };
  }

  /** What a record answers: an endpoint, another name to resolve, or something else. */
  private answerOfRecord(r: RecordFact, step: ResolutionStep, vpc: VpcRef, depth: number): Resolution {
    const v = r.value;
    const src = sourceRef(v);
    if (src) {
      const node = this.graph.get(src.key);
      if (node?.type === 'AWS::EC2::VPCEndpoint' && src.attr === 'DnsEntries') {
        const e = this.endpointByKey.get(src.key);
        return e
          ? { kind: 'endpoint', endpoint: { endpoint: e, name: displayName(e.resource) }, steps: [step] }
          : { kind: 'elsewhere', steps: [step] }; // an endpoint of another service
      }
    }
    const text = literal(v)?.toLowerCase().replace(/\.$/, '');
    const vpce = text === undefined ? null : VPCE_HOST.exec(text);
    if (vpce) {
      return vpce[3] === 'execute-api'
        ? { kind: 'endpoint', endpoint: { name: text! }, steps: [step] }
        : { kind: 'elsewhere', steps: [step] };
    }
    // An alias is answered by Route 53 itself with the target's addresses: no zone of the VPC sees the target.
    if (r.alias) return text !== undefined || src ? { kind: 'elsewhere', steps: [step] } : UNKNOWN;
    if (r.type !== 'CNAME') return { kind: 'elsewhere', steps: [step] };
    const target = this.cnameTarget(v);
    if (target === 'unknown') return UNKNOWN;
    const next = this.resolveAt(vpc, target, depth + 1, false);
    return next.kind === 'unknown' ? next : { ...next, steps: [step, ...next.steps] };
  }

  /** The name a CNAME points at; a regional custom domain's attribute is its `d-….execute-api` name. */
  private cnameTarget(v: Value | undefined): DnsName {
    if (v instanceof ResRef && v.attr === 'RegionalDomainName') {
      const node = this.graph.get(v.key);
      if (node && REGIONAL_DOMAIN_TYPES.has(node.type)) {
        return executeApiName(`${RESOURCE}${node.key}.RegionalDomainName`, node.stack.region);
      }
    }
    return dnsNameOf(v);
  }

  private readZones(vpcs: VpcIndex, records: ReadonlyArray<RecordFact>): void {
    for (const z of this.graph.ofType('AWS::Route53::HostedZone')) {
      const vpcList = list(this.graph.prop(z, 'VPCs'));
      if (vpcList.length === 0) continue; // a public zone: the VPC's resolver does not read it
      const nameValue = this.graph.prop(z, 'Name');
      const zone = {
        resource: z,
        name: dnsNameOf(nameValue),
        label: nameLabel(nameValue),
        records: [] as RecordFact[],
        maybeRecords: [] as RecordFact[],
      };
      this.zones.set(z.key, zone);
      for (const assoc of vpcList) {
        const vpc = vpcs.vpcOf(isObject(assoc) ? assoc.VPCId : undefined);
        this.add(vpc, this.zoneCompetitor(zone, z.conditional || !vpc, ''));
      }
    }
    // A record whose `HostedZoneName` more than one zone of the app has (public ones too) may sit in any of them.
    for (const record of records) {
      const one = record.zones.length === 1;
      for (const z of record.zones) {
        const zone = this.zones.get(z.key);
        if (!zone) continue; // a public zone
        (one && !record.resource.conditional ? zone.records : zone.maybeRecords).push(record);
        if (one) this.zoneByRecord.set(record, zone);
      }
    }
  }

  /** A Resolver rule as a competitor; `how` is what applies it to the VPC. */
  private ruleCompetitor(rule: ResourceNode | undefined, how: ResourceNode, maybe: boolean, profile?: ProfileLink) {
    const domainValue = rule ? this.graph.prop(rule, 'DomainName') : undefined;
    const type = rule ? literal(this.graph.prop(rule, 'RuleType'))?.toUpperCase() : undefined;
    const c: Competitor = {
      domain: rule ? dnsNameOf(domainValue) : 'unknown',
      kind: 'rule',
      maybe: maybe || !rule || (type !== 'FORWARD' && type !== 'SYSTEM' && type !== 'RECURSIVE'),
      order: `0|${rule?.key ?? ''}|${how.key}`,
      answer: (name, vpc, depth) => {
        // A system rule has Resolver answer the name itself: from the zones, else public DNS.
        if (type !== 'FORWARD') return this.resolveAt(vpc, name, depth, true);
        return {
          kind: 'forwarded',
          steps: [{ kind: 'resolver-rule', rule: rule!, domain: nameLabel(domainValue), association: how, profile }],
        };
      },
    };
    return c;
  }

  private readResolverRules(vpcs: VpcIndex): void {
    for (const a of this.graph.ofType('AWS::Route53Resolver::ResolverRuleAssociation')) {
      const ref = this.graph.prop(a, 'ResolverRuleId');
      const rule = ref instanceof ResRef ? this.graph.get(ref.key) : undefined;
      const known = rule?.type === 'AWS::Route53Resolver::ResolverRule' ? rule : undefined;
      const vpc = vpcs.vpcOf(this.graph.prop(a, 'VPCId'));
      this.add(vpc, this.ruleCompetitor(known, a, a.conditional || !!known?.conditional || !vpc));
    }
  }

  private readProfiles(vpcs: VpcIndex): void {
    const carried = new Map<string, ResourceNode[]>();
    for (const ra of this.graph.ofType('AWS::Route53Profiles::ProfileResourceAssociation')) {
      const p = this.graph.prop(ra, 'ProfileId');
      if (!(p instanceof ResRef)) continue; // a Profile outside the app: its VPC associations are not here either
      carried.set(p.key, [...(carried.get(p.key) ?? []), ra]);
    }
    for (const a of this.graph.ofType('AWS::Route53Profiles::ProfileAssociation')) {
      const vpc = vpcs.vpcOf(this.graph.prop(a, 'ResourceId'));
      const ref = this.graph.prop(a, 'ProfileId');
      const profile = ref instanceof ResRef ? this.graph.get(ref.key) : undefined;
      const maybe = a.conditional || !vpc || !!profile?.conditional;
      if (profile?.type !== 'AWS::Route53Profiles::Profile') {
        // A Profile shared from elsewhere may carry anything.
        this.add(vpc, unknownCompetitor('unknown', `3|${a.key}`));
        continue;
      }
      const link: ProfileLink = { profile, association: a };
      for (const ra of carried.get(profile.key) ?? []) {
        const c = this.carriedCompetitor(ra, maybe || ra.conditional, link);
        if (c) this.add(vpc, c);
      }
    }
  }

  /** What a ProfileResourceAssociation brings to the VPCs of its Profile. */
  private carriedCompetitor(ra: ResourceNode, maybe: boolean, link: ProfileLink): Competitor | undefined {
    const arn = this.graph.prop(ra, 'ResourceArn');
    const ref = (partsOf(arn) ?? []).find((p): p is ResRef => p instanceof ResRef);
    const node = ref && this.graph.get(ref.key);
    if (node) {
      switch (node.type) {
        case 'AWS::Route53::HostedZone': {
          const zone = this.zones.get(node.key);
          // A public zone carried by a Profile answers nothing inside the VPC.
          return zone && this.zoneCompetitor(zone, maybe || node.conditional, ra.key, link);
        }
        case 'AWS::EC2::VPCEndpoint': {
          const e = this.endpointByKey.get(node.key);
          if (!e || e.privateDns === false) return undefined; // another service, or no private DNS to share
          return this.privateDns(e, maybe || node.conditional, link);
        }
        case 'AWS::Route53Resolver::ResolverRule':
          return this.ruleCompetitor(node, link.association, maybe || node.conditional, link);
        default:
          return undefined; // a DNS Firewall rule group, …: it answers no name with an address
      }
    }
    // An ARN of something outside the app: what it is decides what it may answer.
    const text = partsOf(arn)
      ?.filter((p) => typeof p === 'string')
      .join('');
    if (text?.includes(':firewall-rule-group/')) return undefined;
    if (text?.includes(':vpc-endpoint/')) {
      return unknownCompetitor(['execute-api', UNKNOWN_LABEL, 'amazonaws', 'com'], `3|${ra.key}`);
    }
    return unknownCompetitor('unknown', `3|${ra.key}`);
  }
}

function byOrder(a: Competitor, b: Competitor): number {
  return a.order < b.order ? -1 : a.order > b.order ? 1 : 0;
}

/** A competitor whose answer the app cannot show. */
function unknownCompetitor(domain: DnsName, order: string): Competitor {
  return { domain, kind: 'zone', maybe: true, order, answer: () => UNKNOWN };
}

const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

function typeRank(r: RecordFact): number {
  return r.type === 'CNAME' ? 0 : r.type === 'A' ? 1 : 2;
}

/** Whether a wildcard record (`*.rest`) covers the name: one or more labels under `rest`. */
function matchesUnder(wildcard: string[], name: DnsName): Tri {
  if (name === 'unknown') return 'unknown';
  const rest = wildcard.slice(1);
  if (name.length <= rest.length && !rest.some(spans)) return false;
  return matches(rest, name, false);
}

function sameAnswer(a: Resolution, b: Resolution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'endpoint' && b.kind === 'endpoint') return a.endpoint.name === b.endpoint.name;
  return true;
}

/** How messages name a zone's or rule's domain: the literal, or the value's description. */
function nameLabel(v: Value | undefined): string {
  const text = literal(v);
  if (text !== undefined) return text.toLowerCase().replace(/\.$/, '');
  if (!(v instanceof Concat)) return describe(v);
  // `{InternalApi}.execute-api.{region}.amazonaws.com`: a resource by its logical id, a pseudo parameter by what it stands for.
  return v.parts
    .map((p) => {
      if (typeof p === 'string') return p.toLowerCase();
      if (p instanceof ResRef) return `{${p.key.slice(p.key.lastIndexOf('|') + 1)}${p.attr ? `.${p.attr}` : ''}}`;
      if (p instanceof Opaque && p.kind === 'pseudo') {
        return p.id === 'AWS::URLSuffix' ? 'amazonaws.com' : p.id === 'AWS::Region' ? '{region}' : `{${p.id}}`;
      }
      return p instanceof Opaque ? `{${p.id}}` : '{…}';
    })
    .join('')
    .replace(/\.$/, '');
}
