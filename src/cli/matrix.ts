/**
 * The reachability matrix: every caller → API (or custom domain) link the facts hold, the way its
 * request takes (the caller's VPC, how its hostname resolves, the egress it needs, the custom domain
 * and mapping, the API and stage, the policies), and a verdict: reaches, fails (the findings that
 * say why) or unknown (what the app does not show).
 *
 * Built from the facts and the findings only: the steps are read from the facts (endpoints, egress,
 * domains, records, API details), the policies are asked of the facts' own evaluator, and a
 * finding is tied to a link by the resources it names. Nothing here parses templates or intrinsics.
 * A verdict is "reaches" only when every step is known and no finding stops the call: a rule stays
 * silent on what it cannot know, so silence alone is not a pass.
 */
import {
  ApiFact,
  CallLink,
  Caller,
  DomainFact,
  routeFor,
  routingModeName,
  DomainMapping,
  ExecuteApiEndpoint,
  Facts,
  FactUnavailable,
  PathSegment,
  RecordFact,
  Request,
  Resolution,
  apiHostname,
  coversApi,
  domainHostname,
  evaluate,
  literalName,
  principalOf,
  throughEndpoint,
} from '../facts';
import { Finding, FindingResource } from '../finding';
import { displayName, ResourceNode } from '../graph/resource-graph';
import { ResRef } from '../graph/values';
import { findingLabel } from '../integrations/wording';
import { RULES } from '../rules';
import { apiLabel, callerLabel, domainLabel, resolutionLabel } from '../rules/labels';

/** Whether a link's request gets through. */
export type Verdict = 'reaches' | 'fails' | 'unknown';

/**
 * The kinds of node of the matrix's diagram: `external` is a name the app does not define the target
 * of (an API outside the app, a DNS record whose target is not a domain or API of the app).
 */
export type NodeType = 'vpc' | 'endpoint' | 'caller' | 'domain' | 'api' | 'external' | 'unknown';

/** A resource as the matrix names it. */
export interface MatrixResource {
  readonly stack: string;
  readonly logicalId: string;
  /** The construct path, when the template carries one. */
  readonly constructPath?: string;
}

/** One node: a VPC, an execute-api endpoint, a caller, a custom domain, an API, an API outside the app. */
export interface MatrixNode {
  /** Unique in the matrix and safe as a Mermaid id (`caller1`, `api2` …), given in a sorted order. */
  readonly id: string;
  readonly type: NodeType;
  /** How the reports name it (`Lambda function Svc/OrderSync`). */
  readonly label: string;
  /** The resource, for nodes that are resources of the app. */
  readonly resource?: MatrixResource;
  /** The id of the VPC node it sits in (callers and endpoints). */
  readonly vpc?: string;
  /** For an endpoint: private DNS on (true), off (false) or unknown. */
  readonly privateDns?: boolean | 'unknown';
}

/** One step of the way a request takes. `value` is the step's answer, `text` says it for people. */
export interface MatrixStep {
  /**
   * - vpc: `vpc` (in a VPC the facts know), `none` (runs outside any VPC), `unknown`;
   * - dns: `endpoint` (the name resolves to an execute-api endpoint: the VPC's own, or one a Route 53 Profile or a
   *   private hosted zone leads to), `public` (public DNS), `nxdomain` (a private hosted zone covers the name and has
   *   no record of it), `unknown`;
   * - egress: `not-needed` (the request stays in the VPC), `internet` (outside a VPC), `nat`,
   *   `internet-gateway`, `none`, `unknown`;
   * - domain: `mapped` (a mapping of the domain selects the API), `no-api` (no API of the app is mapped), `unknown`;
   * - api: `public`, `private`, `outside-app`, `unknown`;
   * - policies: `allow`, `deny` (the facts' evaluator denies it; see the findings), `unknown`.
   */
  readonly value: string;
  readonly text: string;
  /** False when the app does not show this step's answer: the link's verdict is then unknown at best. */
  readonly known: boolean;
  /** The node this step passes through, when there is one. */
  readonly node?: string;
}

/** The way a request takes: present steps in order vpc → dns → egress → domain → api → policies. */
export interface MatrixPath {
  readonly vpc: MatrixStep;
  readonly dns: MatrixStep;
  readonly egress: MatrixStep;
  /** Only for calls through a custom domain. */
  readonly domain?: MatrixStep;
  /** Absent when the call's target is not known. */
  readonly api?: MatrixStep;
  readonly policies: MatrixStep;
}

/** A finding as a link shows it. */
export interface LinkFinding {
  /** `RuleId[findingId]`: what acknowledges it. */
  readonly label: string;
  readonly rule: string;
  readonly ruleName: string;
  readonly level: Finding['level'];
  readonly message: string;
}

/** One caller → target link. */
export interface MatrixLink {
  /** The caller's node id. */
  readonly caller: string;
  /** The target's node id (an API, a domain without a known API, an API outside the app, or the unknown target). */
  readonly target: string;
  /** The hostname the call uses; undefined when the evidence tells none (an API id, an IAM grant, no call found). */
  readonly hostname?: string;
  /** How the call was found: `default-host`, `endpoint-host`, `bare-id`, `domain`, `iam`, or `none`. */
  readonly via: CallLink['via'] | 'none';
  /** Where the evidence is; undefined for a caller with no call found. */
  readonly evidence?: {
    readonly kind: CallLink['evidence'];
    readonly resource: MatrixResource;
    readonly property: string;
  };
  /** The URL path after the hostname (`/prod/pay`), `{?}` for unknown parts; undefined when not known. */
  readonly urlPath?: string;
  readonly path: MatrixPath;
  readonly verdict: Verdict;
  /** The findings that stop this call. */
  readonly findings: LinkFinding[];
  /** Findings about the target that do not by themselves stop this call (exposures, warnings about other callers' way). */
  readonly notes: LinkFinding[];
  /** Why the verdict is unknown (empty unless it is). */
  readonly unknown: string[];
  /** True when the caller carries a CloudFormation Condition: the rules do not check it. */
  readonly conditional: boolean;
}

/** The matrix: nodes for the diagram, links with their verdict, and what could not be tied to a link. */
export interface ReachabilityMatrix {
  readonly nodes: MatrixNode[];
  readonly links: MatrixLink[];
  /** Findings that name no link of the matrix (a domain nobody calls, a record …), by label. */
  readonly unlinked: LinkFinding[];
  /** Fact families the matrix could not read (its steps are then unknown). */
  readonly problems: string[];
}

/** Rules whose findings are exposures ("the opposite failure"): they never stop a call. */
const EXPOSURES: ReadonlySet<string> = new Set(RULES.filter((r) => r.troubleshooting.startsWith('—')).map((r) => r.id));

/** A fact family, or undefined (and one problem) when it could not be derived. */
function read<T>(problems: Set<string>, get: () => T): T | undefined {
  try {
    return get();
  } catch (e) {
    if (e instanceof FactUnavailable) {
      problems.add(`without the ${e.family} facts, the steps that need them are unknown`);
      return undefined;
    }
    throw e;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resourceOf(r: ResourceNode): MatrixResource {
  return { stack: r.stack.key, logicalId: r.logicalId, ...(r.path ? { constructPath: r.path } : {}) };
}

function keyOfFinding(r: FindingResource): string {
  return `${r.stack}|${r.logicalId}`;
}

function linkFinding(f: Finding): LinkFinding {
  return { label: findingLabel(f), rule: f.rule, ruleName: f.ruleName, level: f.level, message: f.message };
}

/** The nodes of the diagram, numbered per type in a sorted order. */
class Nodes {
  private readonly byKey = new Map<string, MatrixNode & { sort: string }>();

  public add(
    key: string,
    type: NodeType,
    label: string,
    extra: Omit<MatrixNode, 'id' | 'type' | 'label'> = {},
  ): string {
    if (!this.byKey.has(key)) this.byKey.set(key, { id: key, type, label, sort: `${label}\u0000${key}`, ...extra });
    return key;
  }

  /** The nodes with their final ids, and a map from the provisional keys to them. */
  public finish(): { nodes: MatrixNode[]; ids: Map<string, string> } {
    const order: NodeType[] = ['vpc', 'endpoint', 'caller', 'domain', 'api', 'external', 'unknown'];
    const all = [...this.byKey.values()].sort(
      (a, b) => order.indexOf(a.type) - order.indexOf(b.type) || compare(a.sort, b.sort),
    );
    const ids = new Map<string, string>();
    const count = new Map<NodeType, number>();
    for (const n of all) {
      const i = (count.get(n.type) ?? 0) + 1;
      count.set(n.type, i);
      ids.set(n.id, n.type === 'unknown' ? 'unknown' : `${n.type}${i}`);
    }
    const nodes = all.map(({ sort: _sort, ...n }) => ({
      ...n,
      id: ids.get(n.id)!,
      ...(n.vpc ? { vpc: ids.get(n.vpc)! } : {}),
    }));
    return { nodes, ids };
  }
}

/** The URL path as text: literal segments, stage names for stages of the API, `{?}` for the rest. */
function urlPathText(segments: PathSegment[] | undefined, stageNames: ReadonlyMap<string, string>): string | undefined {
  if (!segments) return undefined;
  return `/${segments
    .map((s) => (typeof s === 'string' ? s : s instanceof ResRef ? (stageNames.get(s.key) ?? '{?}') : '{?}'))
    .join('/')}`;
}

/** The default hostname of an API of the app: its id is only known once deployed. */
function defaultHost(api: ApiFact): string {
  return `{${displayName(api.resource)} id}.execute-api.${api.region ?? '{region}'}.amazonaws.com`;
}

/**
 * Builds the matrix of an app from its facts and the findings of the rules on it.
 *
 * @param facts the app's facts (deriveFacts)
 * @param findings the findings of the rules on the same app
 * @returns the matrix, sorted: its content does not depend on the order of stacks, resources or keys
 */
export function buildMatrix(facts: Facts, findings: ReadonlyArray<Finding>): ReachabilityMatrix {
  const problems = new Set<string>();
  const callers = read(problems, () => facts.callers) ?? [];
  const calls = read(problems, () => facts.calls) ?? [];
  const endpoints = read(problems, () => facts.endpoints);
  const resolution = read(problems, () => facts.resolution);
  const egress = read(problems, () => facts.egress);
  const apis = read(problems, () => facts.apis) ?? [];
  const domains = read(problems, () => facts.domains) ?? [];
  const records = read(problems, () => facts.records) ?? [];
  const details = read(problems, () => facts.apiDetails);
  const roles = read(problems, () => facts.roles);

  const nodes = new Nodes();
  const vpcNode = (c: { vpc?: Caller['vpc'] }) =>
    c.vpc ? nodes.add(`vpc:${c.vpc.id}`, 'vpc', `VPC ${c.vpc.name}`) : undefined;
  const endpointNode = (e: ExecuteApiEndpoint) =>
    nodes.add(`res:${e.resource.key}`, 'endpoint', `execute-api endpoint ${displayName(e.resource)}`, {
      resource: resourceOf(e.resource),
      vpc: vpcNode(e),
      privateDns: e.resource.conditional && e.privateDns === true ? 'unknown' : e.privateDns,
    });
  const callerNode = (c: Caller) =>
    nodes.add(`res:${c.resource.key}`, 'caller', callerLabel(c), { resource: resourceOf(c.resource), vpc: vpcNode(c) });
  const apiNode = (a: ApiFact) =>
    nodes.add(`res:${a.resource.key}`, 'api', apiLabel(a), { resource: resourceOf(a.resource) });
  const domainNode = (d: DomainFact) =>
    nodes.add(`res:${d.resource.key}`, 'domain', domainLabel(d), { resource: resourceOf(d.resource) });
  for (const e of endpoints?.all ?? []) endpointNode(e);
  for (const a of apis) apiNode(a);
  for (const d of domains) domainNode(d);

  const callerKeys = new Set(callers.map((c) => c.resource.key));
  const namesCaller = (f: Finding) => [f.resource, ...f.relatedResources].some((r) => callerKeys.has(keyOfFinding(r)));

  const calling = new Set(calls.map((l) => l.caller));
  // A call through a domain is a link to each API the domain maps: keep the one its URL's base path selects.
  const selected = new Map(calls.map((l) => [l, mappingChoice(l)]));
  const drafts: Array<{ link: CallLink | undefined; caller: Caller }> = [
    ...calls.filter((l) => selected.get(l)!.kind !== 'other').map((l) => ({ link: l, caller: l.caller })),
    ...callers.filter((c) => !calling.has(c)).map((c) => ({ link: undefined, caller: c })),
  ];
  const tied = new Set<Finding>();
  const ctx: Context = {
    nodes,
    endpoints,
    resolution,
    egress,
    records,
    details,
    roles,
    callerNode,
    apiNode,
    domainNode,
    endpointNode,
  };
  const built = drafts.map(({ link, caller }) => new LinkBuilder(caller, link, ctx, link && selected.get(link)));

  // Tie each finding to links: a finding that names a caller ties to that caller's links to a target it
  // names; one that names no caller is about its target, and ties to every link to it.
  const linksByCaller = new Map<string, LinkBuilder[]>();
  const linksByTarget = new Map<string, LinkBuilder[]>();
  const index = (m: Map<string, LinkBuilder[]>, key: string, b: LinkBuilder) => {
    const list = m.get(key);
    if (list) list.push(b);
    else m.set(key, [b]);
  };
  for (const b of built) {
    index(linksByCaller, b.caller.resource.key, b);
    for (const k of b.targetKeys) index(linksByTarget, k, b);
  }
  for (const f of findings) {
    const named = new Set([f.resource, ...f.relatedResources].map(keyOfFinding));
    if (namesCaller(f)) {
      for (const key of named) {
        const candidates = (linksByCaller.get(key) ?? []).filter((b) => b.aimsAt(named, f.findingId));
        // One finding stands for every report of its pair (caller, other end): the rule kept the one with the
        // smallest location. The links at that location, and the others reached the same way, share it.
        const atLocation = candidates.filter((b) => b.link?.location === f.location);
        const vias = new Set(atLocation.map((b) => b.link?.via));
        const chosen = atLocation.length > 0 ? candidates.filter((b) => vias.has(b.link?.via)) : candidates;
        for (const b of chosen) {
          b.addFinding(f, EXPOSURES.has(f.rule) ? 'note' : 'blocking');
          tied.add(f);
        }
      }
    } else {
      for (const b of new Set([...named].flatMap((k) => linksByTarget.get(k) ?? []))) {
        // About the target as a whole: an error stops every call to it; a warning (probable, or an exposure) is a note.
        b.addFinding(f, f.level === 'error' && !EXPOSURES.has(f.rule) ? 'blocking' : 'note');
        tied.add(f);
      }
    }
  }
  const { nodes: finalNodes, ids } = nodes.finish();
  const links = built
    .map((b) => b.finish(ids))
    .sort(
      (a, b) =>
        compare(a.sortKey, b.sortKey) ||
        compare(a.link.hostname ?? '', b.link.hostname ?? '') ||
        compare(a.link.urlPath ?? '', b.link.urlPath ?? ''),
    )
    .map((x) => x.link);
  const unlinked = findings.filter((f) => !tied.has(f)).map(linkFinding);
  return { nodes: finalNodes, links, unlinked, problems: [...problems].sort() };
}

interface Context {
  readonly nodes: Nodes;
  readonly endpoints?: Facts['endpoints'];
  readonly resolution?: Facts['resolution'];
  readonly egress?: Facts['egress'];
  readonly records: RecordFact[];
  readonly details?: Facts['apiDetails'];
  readonly roles?: Facts['roles'];
  readonly callerNode: (c: Caller) => string;
  readonly apiNode: (a: ApiFact) => string;
  readonly domainNode: (d: DomainFact) => string;
  readonly endpointNode: (e: ExecuteApiEndpoint) => string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Builds one link: its steps from the facts, then its findings, then its verdict. */
class LinkBuilder {
  private readonly blocking: Finding[] = [];
  private readonly notes: Finding[] = [];
  /** The resources the call aims at: its API, custom domain and DNS record. */
  public readonly targetKeys = new Set<string>();
  private readonly steps: Mutable<MatrixPath>;
  private readonly targetNode: string;
  private readonly hostname?: string;
  private readonly callerKey: string;
  /** The execute-api endpoint the call goes through, when its name resolves to one. */
  private throughEndpoint?: ExecuteApiEndpoint;
  /** The name of the execute-api endpoint outside the app the name resolves to, when it is one. */
  private endpointOutsideApp?: string;
  private readonly extraUnknown: string[] = [];
  /** The parts of the policy step that are not known. */
  private readonly policyUnknown: string[] = [];

  constructor(
    public readonly caller: Caller,
    public readonly link: CallLink | undefined,
    private readonly ctx: Context,
    private readonly mapping?: MappingChoice,
  ) {
    const l = link;
    this.callerKey = ctx.callerNode(caller);
    if (l?.api) this.targetKeys.add(l.api.resource.key);
    if (l?.domain) this.targetKeys.add(l.domain.resource.key);
    if (l?.record) this.targetKeys.add(l.record.resource.key);
    this.targetNode = !l
      ? ctx.nodes.add('unknown', 'unknown', 'target unknown')
      : l.api
        ? ctx.apiNode(l.api)
        : l.domain
          ? ctx.domainNode(l.domain)
          : l.external
            ? ctx.nodes.add(`external:${l.external.host}`, 'external', `API outside the app (${l.external.host})`)
            : l.record
              ? ctx.nodes.add(
                  `res:${l.record.resource.key}|${l.record.location}`,
                  'external',
                  `DNS record ${displayName(l.record.resource)}${l.record.name ? ` (${l.record.name})` : ''}`,
                  { resource: resourceOf(l.record.resource) },
                )
              : ctx.nodes.add('unknown', 'unknown', 'target unknown');
    this.hostname = hostnameOf(l);
    const vpc = this.vpcStep();
    const dns = this.dnsStep();
    this.steps = { vpc, dns, egress: this.egressStep(dns), policies: { value: 'unknown', text: '', known: false } };
    if (l?.domain) this.steps.domain = this.domainStep(l.domain, l.api);
    if (l) this.steps.api = this.apiStep(l);
    this.steps.policies = this.policyStep(dns);
    this.crossCheck();
  }

  /** Ways the facts show cannot work, though no rule says so (rules stay silent, e.g. on a conditional caller). */
  private crossCheck(): void {
    const { dns, egress, api } = this.steps;
    const target = api?.value ?? (this.link?.domain?.endpointType === 'PRIVATE' ? 'private' : 'public');
    if (target === 'public' && dns.value === 'endpoint') {
      this.note('a public API is reached through an execute-api endpoint');
    }
    if (target === 'private' && dns.value === 'public' && this.link?.via !== 'domain') {
      this.note("a private API's default hostname resolves to public addresses");
    }
    if (dns.value === 'nxdomain') this.note("the name does not resolve in the caller's VPC");
    if (target === 'public' && dns.value === 'public' && egress.value === 'none') {
      this.note('the call needs the internet, and the caller has no route to it');
    }
  }

  /** Whether the link's target is among these resources (or is this hostname, for an API outside the app). */
  public aimsAt(resources: ReadonlySet<string>, findingId: string): boolean {
    if (this.link?.external && findingId === this.link.external.host) return true;
    return [...this.targetKeys].some((k) => resources.has(k));
  }

  public addFinding(f: Finding, as: 'blocking' | 'note'): void {
    const list = as === 'blocking' ? this.blocking : this.notes;
    if (!list.includes(f)) list.push(f);
  }

  public finish(ids: ReadonlyMap<string, string>): { link: MatrixLink; sortKey: string } {
    const l = this.link;
    const id = (k: string | undefined) => (k === undefined ? undefined : ids.get(k));
    const step = (s: MatrixStep | undefined): MatrixStep | undefined =>
      s === undefined ? undefined : { ...s, ...(s.node ? { node: id(s.node)! } : {}) };
    const path: MatrixPath = {
      vpc: step(this.steps.vpc)!,
      dns: step(this.steps.dns)!,
      egress: step(this.steps.egress)!,
      ...(this.steps.domain ? { domain: step(this.steps.domain) } : {}),
      ...(this.steps.api ? { api: step(this.steps.api) } : {}),
      policies: step(this.steps.policies)!,
    };
    const unknown = l
      ? [
          ...[
            path.vpc,
            // An unknown VPC already says why its DNS is not known; an unknown mapping why its API is not.
            path.vpc.known || path.dns.value !== 'unknown' || this.hostname === undefined ? path.dns : undefined,
            path.egress,
            path.domain,
            path.domain && !path.domain.known && !l.api ? undefined : path.api,
          ]
            .filter((s): s is MatrixStep => s !== undefined && !s.known)
            .map((s) => s.text),
          // The policies of a target that is itself not known add nothing to why.
          ...(path.api && !path.api.known
            ? []
            : path.policies.known
              ? []
              : this.policyUnknown.length > 0
                ? this.policyUnknown
                : [path.policies.text]),
          ...this.extraUnknown,
        ]
      : [
          'no call found: no URL, API id, custom domain or execute-api grant of an API in its configuration, hints or role',
        ];
    const byLabel = (a: LinkFinding, b: LinkFinding) => compare(a.label, b.label);
    const blocking = this.blocking.map(linkFinding).sort(byLabel);
    const verdict: Verdict = blocking.length > 0 ? 'fails' : unknown.length > 0 ? 'unknown' : 'reaches';
    const stageNames = this.stageNames();
    const link: MatrixLink = {
      caller: id(this.callerKey)!,
      target: id(this.targetNode)!,
      ...(this.hostname ? { hostname: this.hostname } : {}),
      via: l?.via ?? 'none',
      ...(l ? { evidence: { kind: l.evidence, resource: resourceOf(l.holder), property: l.evidenceLocation } } : {}),
      ...(l?.path ? { urlPath: urlPathText(l.path, stageNames) } : {}),
      path,
      verdict,
      findings: blocking,
      notes: this.notes.map(linkFinding).sort(byLabel),
      unknown: verdict === 'unknown' ? [...new Set(unknown)] : [],
      conditional: this.caller.resource.conditional,
    };
    const sortKey = [
      callerLabel(this.caller),
      this.caller.resource.key,
      l?.api ? apiLabel(l.api) : l?.domain ? domainLabel(l.domain) : (l?.external?.host ?? '\uffff'),
      l?.via ?? '',
      l?.holder.key ?? '',
      l?.location ?? '',
    ].join('\u0000');
    return { link, sortKey };
  }

  private stageNames(): Map<string, string> {
    const d = this.link?.api ? this.ctx.details?.get(this.link.api.resource.key) : undefined;
    const out = new Map<string, string>();
    for (const s of d?.stages ?? []) if (s.name !== undefined) out.set(s.resource.key, s.name);
    return out;
  }

  private vpcStep(): MatrixStep {
    const c = this.caller;
    if (!c.inVpc) return { value: 'none', text: 'runs outside any VPC', known: true };
    if (!c.vpc) {
      return { value: 'unknown', text: 'its VPC cannot be told from its subnets and security groups', known: false };
    }
    return { value: 'vpc', text: `VPC ${c.vpc.name}`, known: true, node: `vpc:${c.vpc.id}` };
  }

  /** The region of the name the call resolves. */
  private region(): string | undefined {
    const l = this.link;
    return l?.api?.region ?? l?.external?.region ?? l?.domain?.region ?? this.caller.resource.stack.region;
  }

  private dnsStep(): MatrixStep {
    const l = this.link;
    const c = this.caller;
    if (!l) return { value: 'unknown', text: 'the hostname is not known', known: false };
    if (!this.hostname) {
      const why =
        l.via === 'iam'
          ? "only its role's grant names the API: the hostname it calls is not known"
          : 'only the API id is configured: the hostname it builds from it is not known';
      return { value: 'unknown', text: why, known: false };
    }
    if (l.via === 'domain') return this.domainDns(l);
    // A default or endpoint-specific execute-api hostname.
    if (!c.inVpc) return { value: 'public', text: 'public DNS', known: true };
    if (!c.vpc) return { value: 'unknown', text: 'the VPC it resolves names in is not known', known: false };
    if (!this.ctx.endpoints) return { value: 'unknown', text: 'the execute-api endpoints are not known', known: false };
    const region = this.region();
    if (l.via === 'endpoint-host') {
      // `{api-id}-{vpce-id}.execute-api…` is a public name of the endpoint it names.
      const here = this.ctx.endpoints.of(c.vpc, region);
      if (here.length === 1) {
        this.throughEndpoint = here[0];
        return {
          value: 'endpoint',
          text: `endpoint-specific hostname → execute-api endpoint ${displayName(here[0].resource)}`,
          known: true,
          node: this.ctx.endpointNode(here[0]),
        };
      }
      return {
        value: 'unknown',
        text: `endpoint-specific hostname: which execute-api endpoint of VPC ${c.vpc.name} it names is not known`,
        known: false,
      };
    }
    if (!this.ctx.resolution) {
      return { value: 'unknown', text: 'how names resolve in the VPC is not known', known: false };
    }
    const name = l.api ? apiHostname(l.api) : literalName(this.hostname);
    const step = this.resolvedStep(this.ctx.resolution.resolve(c.vpc, name));
    if (step.value === 'public' && !c.vpc.inApp && this.ctx.endpoints.of(c.vpc, region).length === 0) {
      return {
        value: 'unknown',
        text: `VPC ${c.vpc.name} is imported: it may have execute-api endpoints with private DNS that the app does not show`,
        known: false,
      };
    }
    return step;
  }

  /** The DNS step of a name as the resolution fact resolves it in the caller's VPC. */
  private resolvedStep(r: Resolution): MatrixStep {
    const vpc = this.caller.vpc!.name;
    switch (r.kind) {
      case 'endpoint':
        this.throughEndpoint = r.endpoint.endpoint;
        this.endpointOutsideApp = r.endpoint.endpoint ? undefined : r.endpoint.name;
        return {
          value: 'endpoint',
          text:
            r.steps.length === 1 && r.steps[0].kind === 'private-dns' && !r.steps[0].profile
              ? `private DNS of execute-api endpoint ${r.endpoint.name} → the endpoint`
              : `execute-api endpoint ${r.endpoint.name}, ${resolutionLabel(r)}`,
          known: true,
          node: r.endpoint.endpoint ? this.ctx.endpointNode(r.endpoint.endpoint) : undefined,
        };
      case 'public':
        return r.steps.length === 0
          ? { value: 'public', text: `public DNS (nothing in VPC ${vpc} answers the name privately)`, known: true }
          : { value: 'public', text: `public DNS, ${resolutionLabel(r)}`, known: true };
      case 'nxdomain':
        return { value: 'nxdomain', text: `the name does not resolve, ${resolutionLabel(r)}`, known: true };
      case 'elsewhere':
        return { value: 'unknown', text: `not an execute-api endpoint, ${resolutionLabel(r)}`, known: false };
      case 'forwarded':
        return {
          value: 'unknown',
          text: `forwarded outside the app, ${resolutionLabel(r)}: probably a shared execute-api endpoint`,
          known: false,
        };
      default:
        return {
          value: 'unknown',
          text: `how VPC ${vpc} resolves the name is not known (an endpoint's private DNS, a zone, a Profile or a condition the app does not show)`,
          known: false,
        };
    }
  }

  private domainDns(l: CallLink): MatrixStep {
    const d = l.domain;
    if (d?.endpointType === 'PRIVATE') {
      const c = this.caller;
      if (!c.inVpc) {
        return { value: 'public', text: 'public DNS (a private custom domain answers only inside VPCs)', known: true };
      }
      if (!c.vpc || !this.ctx.resolution) {
        return { value: 'unknown', text: 'how names resolve in the VPC is not known', known: false };
      }
      return this.resolvedStep(this.ctx.resolution.resolve(c.vpc, domainHostname(d)));
    }
    const published = this.recordsOf(l);
    const name = l.record?.name ?? d?.name ?? displayName((l.record ?? d)!.resource);
    if (published.length === 0) {
      return { value: 'unknown', text: `no Route 53 record of the app publishes ${name}`, known: false };
    }
    const kinds = [...new Set(published.map((r) => `${r.type ?? '?'}${r.alias ? ' alias' : ''}`))].sort();
    return {
      value: 'public',
      text: `public DNS: Route 53 ${kinds.join(', ')} record${published.length > 1 ? 's' : ''} ${[
        ...new Set(published.map((r) => displayName(r.resource))),
      ]
        .sort()
        .join(', ')}`,
      known: true,
    };
  }

  /** The records of the app that publish the name a call through a domain uses. */
  private recordsOf(l: CallLink): RecordFact[] {
    if (l.record && !l.domain) return [l.record];
    const name = l.record?.name ?? l.domain?.name;
    return this.ctx.records.filter(
      (r) => r === l.record || (l.domain && r.target?.domain === l.domain) || (name && r.name === name),
    );
  }

  private egressStep(dns: MatrixStep): MatrixStep {
    const c = this.caller;
    if (dns.value === 'endpoint') {
      const ep = this.throughEndpoint;
      if (ep?.vpc && c.vpc && ep.vpc.id !== c.vpc.id) {
        // A Route 53 Profile or a shared zone leads the name to an endpoint of another VPC: the request goes there,
        // over whatever joins the two VPCs (peering, a transit gateway), which the app may not show.
        return {
          value: 'not-needed',
          text: `not needed to the internet: the request goes to the endpoint in VPC ${ep.vpc.name}, which VPC ${c.vpc.name} must reach (peering or a transit gateway)`,
          known: true,
        };
      }
      return { value: 'not-needed', text: 'not needed: the endpoint is in the VPC', known: true };
    }
    if (!c.inVpc) return { value: 'internet', text: 'the internet (outside a VPC)', known: true };
    if (!this.ctx.egress) return { value: 'unknown', text: 'the routes of its subnets are not known', known: false };
    const e = this.ctx.egress;
    const answer = e.ofCaller(c);
    if (answer === 'no') {
      return {
        value: 'none',
        text: `none: no route to the internet from its subnets (${this.subnets()})`,
        known: true,
      };
    }
    if (answer === 'unknown') {
      return {
        value: 'unknown',
        text: `whether its subnets (${this.subnets()}) route to the internet is not known`,
        known: false,
      };
    }
    const routes = new Set(c.subnets.map((s) => e.of(s)));
    return routes.has('nat')
      ? { value: 'nat', text: 'NAT gateway', known: true }
      : { value: 'internet-gateway', text: 'internet gateway (public IP)', known: true };
  }

  private subnets(): string {
    const names = [...new Set(this.caller.subnets.map((s) => this.ctx.egress!.subnetName(s)))].sort();
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  }

  private domainStep(d: DomainFact, api: ApiFact | undefined): MatrixStep {
    const type = d.endpointType ?? 'endpoint type unknown';
    const name = d.name ?? displayName(d.resource);
    const node = this.ctx.domainNode(d);
    if (!api) {
      const why =
        d.mappingResources.length > 0 || d.mappingsUncertain
          ? `custom domain ${name} (${type}) maps an API the app does not define, or one that cannot be told`
          : d.ignoredRoutes.length > 0
            ? `custom domain ${name} (${type}) has no route that its routing mode ${routingModeName(d)} uses`
            : `custom domain ${name} (${type}) has no mapping`;
      return {
        value: d.mappingResources.length > 0 || d.mappingsUncertain ? 'unknown' : 'no-api',
        text: why,
        known: false,
        node,
      };
    }
    const show = (m: DomainMapping) =>
      `${m.kind === 'routing-rule' ? 'routing rule ' : ''}/${m.basePath ?? '{?}'} → stage ${m.stage ?? '{?}'}`;
    const choice = this.mapping;
    if (choice?.kind === 'this') {
      return {
        value: 'mapped',
        text: `custom domain ${name} (${type}), ${choice.mapping.kind === 'mapping' ? 'mapping ' : ''}${show(choice.mapping)}`,
        known: d.endpointType !== undefined,
        node,
      };
    }
    const maps = [...new Set(d.mappings.filter((m) => m.api === api).map(show))].sort();
    const word = d.routingMode === 'mappings-only' ? 'mapping' : 'route';
    const why =
      choice?.kind === 'none'
        ? `no ${word} of the domain matches the path ${choice.path}`
        : `which ${word} the URL path selects is not known`;
    return {
      value: 'unknown',
      text: `custom domain ${name} (${type}), ${word}s of this API ${maps.join(', ')}: ${why}`,
      known: false,
      node,
    };
  }

  private apiStep(l: CallLink): MatrixStep {
    if (l.api) {
      const a = l.api;
      const vis = a.isPublic === true ? 'public' : a.isPublic === false ? 'private' : 'unknown';
      const path = urlPathText(l.path, this.stageNames());
      const text = `${apiLabel(a)}, ${vis === 'unknown' ? 'endpoint type not known' : vis}${path ? `, path ${path}` : ''}`;
      return { value: vis, text, known: vis !== 'unknown', node: this.ctx.apiNode(a) };
    }
    if (l.external) {
      return {
        value: 'outside-app',
        text: `an API the app does not define (${l.external.host}): its type and policies are not known`,
        known: false,
      };
    }
    return { value: 'unknown', text: 'the API behind this name is not known', known: false };
  }

  /** A reason the verdict is unknown when no finding stops the call. */
  private note(text: string): void {
    this.extraUnknown.push(`${text}, though no rule reports it`);
  }

  private policyStep(dns: MatrixStep): MatrixStep {
    const l = this.link;
    const api = l?.api;
    if (!api) return { value: 'unknown', text: 'the policies of the target are not known', known: false };
    const d = this.ctx.details?.get(api.resource.key);
    if (!d) return { value: 'unknown', text: 'the API’s policies and methods are not known', known: false };
    const parts: string[] = [];
    const decisions: Decision[] = [];
    /** One part of the step; a decision of 'unknown' makes it one of the reasons the verdict is unknown. */
    const add = (text: string, decision?: Decision) => {
      parts.push(text);
      if (decision) decisions.push(decision);
      if (decision === 'unknown') this.policyUnknown.push(text);
    };
    const principal = principalOf(this.caller, d.allMethodsUnsigned);
    const endpoint = dns.value === 'endpoint' ? this.throughEndpoint : undefined;
    // Through an endpoint the request carries its endpoint and VPC; over the internet it carries neither.
    // The source VPC is the endpoint's (a Profile or a zone may lead to another VPC's endpoint).
    const context: Request['context'] = endpoint
      ? throughEndpoint(endpoint, endpoint.vpc ?? this.caller.vpc)
      : dns.value === 'endpoint'
        ? throughEndpoint(undefined, undefined)
        : new Map([
            ['aws:sourcevpce', undefined],
            ['aws:sourcevpc', undefined],
          ]);
    const ask = (policy: Parameters<typeof evaluate>[0]) =>
      evaluate(policy, { action: 'execute-api:Invoke', resource: coversApi(api), principal, context });
    if (d.policy === undefined) {
      // A private API that no resource policy allows is called by no one (PrivateApiWithoutResourcePolicy).
      add('resource policy: none', api.isPublic === false ? 'implicit-deny' : undefined);
    } else if (d.policy === 'unknown') {
      add('resource policy: not known (not literal, or in a body the app does not show)', 'unknown');
    } else {
      const r = ask(d.policy);
      add(`resource policy: ${describeDecision(r)}`, r);
    }
    if (dns.value === 'endpoint' && this.endpointOutsideApp) {
      add(`endpoint policy: not known (execute-api endpoint ${this.endpointOutsideApp} is outside the app)`, 'unknown');
    }
    if (endpoint) {
      if (endpoint.policy === undefined) {
        add('endpoint policy: none (full access)');
      } else if (endpoint.policy === 'unknown') {
        add('endpoint policy: not known (not literal)', 'unknown');
      } else {
        const r = ask(endpoint.policy);
        add(`endpoint policy: ${describeDecision(r)}`, r);
      }
    }
    const iam = d.methods.filter((m) => m.authorization === 'AWS_IAM');
    if (!d.methodsKnown || d.methods.some((m) => m.authorization === 'unknown')) {
      add("authorization: not known (the API's methods are not all known)", 'unknown');
    } else if (iam.length === 0) {
      add('IAM: not used');
    } else {
      const all = iam.length === d.methods.length;
      const role = this.caller.roles.length === 1 ? this.ctx.roles?.roleOf(this.caller.roles[0]) : undefined;
      if (!role || !this.ctx.roles) {
        add(`IAM (${all ? 'all' : 'some'} methods): the caller's role is not one role of the app`, 'unknown');
      } else {
        const r = evaluate(this.ctx.roles.identityPolicy(role.key), {
          action: 'execute-api:Invoke',
          resource: coversApi(api),
          principal: { kind: 'aws', identity: this.caller.roles[0] },
          context: new Map(),
        });
        // In the API's own account a resource policy that names the role may allow it on its own; which
        // methods a caller of some IAM methods calls is not known.
        const decision: Decision =
          r === 'allow' || r === 'unknown' ? r : !all || d.policy !== undefined ? 'unknown' : r;
        add(`IAM (${all ? 'all' : 'some'} methods), role ${displayName(role)}: ${describeDecision(r)}`, decision);
      }
    }
    const value =
      decisions.includes('explicit-deny') || decisions.includes('implicit-deny')
        ? 'deny'
        : decisions.includes('unknown')
          ? 'unknown'
          : 'allow';
    if (value === 'deny') this.note('the policies deny this call');
    return { value, text: parts.join('; '), known: value !== 'unknown' };
  }
}

/** Which mapping of its domain a call's URL selects: this link's API, another API's, none, or unknown. */
type MappingChoice =
  | { readonly kind: 'this'; readonly mapping: DomainMapping }
  | { readonly kind: 'other' }
  | { readonly kind: 'none'; readonly path: string }
  | { readonly kind: 'unknown' };

/** Which route of its domain a call's URL selects, as the facts choose it (routeFor), seen from the link's API. */
function mappingChoice(l: CallLink): MappingChoice {
  if (l.via !== 'domain' || !l.domain || !l.api) return { kind: 'unknown' };
  const r = routeFor(l.domain, l.path);
  if (r.kind !== 'route') return r;
  return r.api === l.api ? { kind: 'this', mapping: r.route } : { kind: 'other' };
}

type Decision = ReturnType<typeof evaluate>;

function describeDecision(d: Decision): string {
  switch (d) {
    case 'allow':
      return 'allows';
    case 'explicit-deny':
      return 'denies (explicit deny)';
    case 'implicit-deny':
      return 'does not allow (implicit deny)';
    default:
      return 'decision for this call not known (it depends on values the app does not show)';
  }
}

/** The hostname a call uses, as far as the evidence shows it. */
function hostnameOf(l: CallLink | undefined): string | undefined {
  if (!l) return undefined;
  if (l.external) return l.external.host;
  switch (l.via) {
    case 'default-host':
      return l.api ? defaultHost(l.api) : undefined;
    case 'endpoint-host':
      return l.api
        ? `{${displayName(l.api.resource)} id}-{vpce id}.execute-api.${l.api.region ?? '{region}'}.amazonaws.com`
        : undefined;
    case 'domain':
      return l.record?.name ?? l.domain?.name ?? `{${displayName((l.record ?? l.domain)!.resource)}}`;
    default:
      return undefined;
  }
}
