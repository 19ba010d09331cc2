/**
 * Caller → API links, with their evidence.
 *
 * Evidence, strongest first: a user's explicit hint (`ApiReachability.of(caller).declareCall(api)`
 * / `.declareExternalCall(url)`, read from the caller's `Metadata`); a URL or id of the API in the
 * caller's configuration (see callers.ts); an IAM policy of the caller's role that allows
 * `execute-api:Invoke` on the API's ARN.
 * Precedence: a configuration that names a URL of the API decides the hostname (default URL →
 * default hostname; custom domain → through that domain). A bare API id (a `Ref` with no hostname
 * around it) counts only where no URL of that API is configured; an IAM grant only where nothing
 * else names the API. A grant on a wildcard resource names no particular API: not evidence.
 * Unknown: URLs whose hostname is not literal and not made from a resource of the app.
 * Not a call of unknown type: the default hostname of an API outside the app that an execute-api
 * endpoint of the app records as private (`privateApis` in its metadata, written by
 * `PrivateApiAccess.urlFor`): the app says what it is, so no link is made for it.
 */
import { ApiFact, DomainFact } from './apis';
import { Caller } from './callers';
import { hintStrings } from './hints';
import { RecordFact } from './records';
import { RoleIndex, actionMatches } from './roles';
import { ResourceGraph, ResourceNode } from '../graph/resource-graph';
import { Opaque, ResRef, Value, literal, partsOf } from '../graph/values';
import { HINTS_METADATA_KEY } from '../hints-metadata';

export { HINTS_METADATA_KEY } from '../hints-metadata';
export type { HintsMetadata } from '../hints-metadata';

/** How a caller reaches an API. */
export type Via = 'default-host' | 'endpoint-host' | 'bare-id' | 'domain' | 'iam';

/** One call from a caller to an API, a custom domain, or an execute-api hostname outside the app. */
export interface CallLink {
  readonly caller: Caller;
  /** The API, when it is defined in the app (also for calls through a domain that maps it). */
  readonly api?: ApiFact;
  /** The custom domain the call goes through. */
  readonly domain?: DomainFact;
  /** The DNS record whose name the call uses. */
  readonly record?: RecordFact;
  /** A literal default execute-api hostname of an API the app does not define. */
  readonly external?: { readonly host: string; readonly apiId: string; readonly region: string };
  readonly via: Via;
  /**
   * The path of the URL after the hostname, as segments (a literal, or a resource such as a Stage);
   * undefined when the evidence has no URL or the path cannot be told.
   */
  readonly path?: PathSegment[];
  readonly evidence: 'hint' | 'config' | 'iam';
  /** Where the evidence is: the resource and property path. */
  readonly holder: ResourceNode;
  /** The property path of the evidence in the holder's template (`Properties.ContainerDefinitions.0.Environment.2.Value`). */
  readonly evidenceLocation: string;
  /** The name of the variable at `evidenceLocation`, when the path reaches it by index. */
  readonly evidenceName?: string;
  /**
   * The property path in the caller's own template that findings on the caller name: `evidenceLocation`
   * when the caller holds the evidence, else the caller's property that leads to the holder (an ECS
   * service's `Properties.TaskDefinition`, a function's `Properties.Role` for a grant of its role).
   */
  readonly location: string;
}

const DEFAULT_HOST = /^([a-z0-9]+)(-vpce-[a-z0-9]+)?\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

interface Hit {
  path?: PathSegment[];
  api?: ApiFact;
  domain?: DomainFact;
  record?: RecordFact;
  external?: CallLink['external'];
  via: Via;
}

/** Finds what every caller calls. */
export class CallIndex {
  private readonly apiByKey: Map<string, ApiFact>;
  private readonly apiByPath: Map<string, ApiFact>;
  private readonly domainByKey: Map<string, DomainFact>;
  private readonly hostTargets = new Map<string, { domain?: DomainFact; record?: RecordFact }>();
  private readonly recordByKey = new Map<string, RecordFact>();

  constructor(
    apis: ApiFact[],
    domains: DomainFact[],
    records: RecordFact[],
    private readonly roles: RoleIndex,
    /** Ids of private APIs outside the app, as the app's execute-api endpoints record them. */
    private readonly privateApiIds: ReadonlySet<string> = new Set(),
    /** The SSM parameters and secrets of the app, whose values a caller's configuration may name. */
    private readonly stored?: StoredValues,
  ) {
    this.apiByKey = new Map(apis.map((a) => [a.resource.key, a]));
    this.apiByPath = new Map(apis.filter((a) => a.resource.path).map((a) => [a.resource.path!, a]));
    this.domainByKey = new Map(domains.map((d) => [d.resource.key, d]));
    for (const d of domains) if (d.name) this.hostTargets.set(d.name, { domain: d });
    for (const r of records) {
      const domain = r.target?.domain ?? (r.name ? this.hostTargets.get(r.name)?.domain : undefined);
      if (r.name) this.hostTargets.set(r.name, { domain, record: r });
      if (r.location === 'Properties') this.recordByKey.set(r.resource.key, r);
    }
  }

  /** The calls of one caller, after precedence. */
  public linksOf(caller: Caller): CallLink[] {
    const links: CallLink[] = [];
    const add = (
      hits: Hit[],
      evidence: CallLink['evidence'],
      holder: ResourceNode,
      evidenceLocation: string,
      evidenceName?: string,
    ) => {
      // A path of the caller's own template: what the doors point at when they name the caller.
      const location =
        holder === caller.resource
          ? evidenceLocation
          : evidence === 'iam'
            ? (caller.rolesAt ?? 'Properties')
            : (caller.via.get(holder.key) ?? 'Properties');
      const named = evidenceName !== undefined ? { evidenceName } : {};
      for (const h of hits) links.push({ caller, ...h, evidence, holder, evidenceLocation, ...named, location });
    };
    // The caller's own hints, then those of what it runs (a task definition's reach every service that runs it).
    for (const holder of caller.hintHolders) {
      for (const path of hintStrings(holder, 'calls')) {
        const api = this.apiByPath.get(path);
        if (api) add([{ api, via: 'default-host' }], 'hint', holder, `Metadata.${HINTS_METADATA_KEY}.calls`);
      }
      for (const url of hintStrings(holder, 'externalCalls')) {
        add(this.scan(url), 'hint', holder, `Metadata.${HINTS_METADATA_KEY}.externalCalls`);
      }
    }
    for (const c of caller.config) add(this.scan(c.value), 'config', c.holder, c.location, c.name);
    for (const roleValue of caller.roles) {
      const key = this.roles.roleKeyOf(roleValue);
      if (!key) continue;
      for (const s of this.roles.statementsOf(key)) {
        if (s.effect !== 'Allow' || !s.actions.some((a) => actionMatches(a, 'execute-api:Invoke'))) continue;
        for (const res of s.resources) {
          for (const api of this.apisNamedIn(res)) {
            add([{ api, via: 'iam' }], 'iam', s.holder, s.location);
          }
        }
      }
    }
    return precedence(links);
  }

  /**
   * What a configuration value (a URL, an id, user data) names. An SSM parameter or secret of the
   * app that the value names (by reference, by a literal name or ARN, or by a dynamic reference
   * `{{resolve:ssm:…}}` / `{{resolve:secretsmanager:…}}`) is read in its place, one step deep.
   */
  private scan(v: Value, indirect = true): Hit[] {
    const parts = partsOf(v) ?? (Array.isArray(v) ? v.flatMap((x) => partsOf(x) ?? []) : []);
    const hits: Hit[] = [];
    if (indirect && this.stored) {
      const whole = literal(v);
      const named = whole !== undefined ? this.stored.named(whole.trim()) : undefined;
      if (named !== undefined) hits.push(...this.scan(named, false));
    }
    parts.forEach((p, i) => {
      const stored = indirect && p instanceof ResRef ? this.stored?.ofRef(p) : undefined;
      if (stored !== undefined) {
        hits.push(...this.scan(stored, false));
      } else if (p instanceof ResRef) {
        const found = this.scanRef(p, parts[i + 1], parts[i + 2]);
        const path =
          found.length > 0
            ? pathAfter(
                parts,
                i + 1,
                0,
                p.attr === 'ApiEndpoint' || found[0].via === 'domain' ? NO_HOST : DEFAULT_HOST_REST,
              )
            : undefined;
        hits.push(...found.map((h) => ({ ...h, path })));
      } else if (typeof p === 'string') {
        for (const { hits: found, end } of this.scanText(p)) {
          const path = pathAfter(parts, i, end, NO_HOST);
          hits.push(...found.map((h) => ({ ...h, path })));
        }
        if (indirect && this.stored && p.includes('{{resolve:')) {
          for (const value of this.stored.dynamic(p)) hits.push(...this.scan(value, false));
        }
      }
    });
    return hits;
  }

  private scanRef(p: ResRef, next: Value | undefined, afterNext: Value | undefined): Hit[] {
    const api = this.apiByKey.get(p.key);
    if (api) {
      if (p.attr === 'ApiEndpoint') return [{ api, via: 'default-host' }];
      if (p.attr !== undefined) return [];
      const n = typeof next === 'string' ? next : '';
      if (n.startsWith('.execute-api.')) return [{ api, via: 'default-host' }];
      // `{api-id}-{vpce-id}.execute-api…`: the endpoint-specific hostname of a private API.
      if (/^-vpce-[a-z0-9]+\.execute-api\./.test(n)) return [{ api, via: 'endpoint-host' }];
      if (n === '-' && typeof afterNext !== 'string') return [{ api, via: 'endpoint-host' }];
      return [{ api, via: 'bare-id' }];
    }
    const domain = this.domainByKey.get(p.key);
    if (domain && p.attr === undefined) return this.throughDomain(domain);
    const record = this.recordByKey.get(p.key);
    if (record && p.attr === undefined) {
      const domain2 = record.target?.domain ?? (record.name ? this.hostTargets.get(record.name)?.domain : undefined);
      return this.throughDomain(domain2, record);
    }
    return [];
  }

  /** The hostnames in a literal text that name an API or a domain, with where each ends. */
  private scanText(text: string): Array<{ hits: Hit[]; end: number }> {
    const out: Array<{ hits: Hit[]; end: number }> = [];
    for (const { host, end } of hostnames(text.toLowerCase())) {
      const d = DEFAULT_HOST.exec(host);
      if (d) {
        if (!d[2] && !this.privateApiIds.has(d[1])) {
          out.push({ hits: [{ external: { host, apiId: d[1], region: d[3] }, via: 'default-host' }], end });
        }
        continue;
      }
      const t = this.hostTargets.get(host);
      if (t) out.push({ hits: this.throughDomain(t.domain, t.record), end });
    }
    return out;
  }

  private throughDomain(domain: DomainFact | undefined, record?: RecordFact): Hit[] {
    if (domain && domain.apis.length > 0) {
      return domain.apis.map((api) => ({ api, domain, record, via: 'domain' as const }));
    }
    return [{ domain, record, via: 'domain' }];
  }

  private apisNamedIn(resource: Value): ApiFact[] {
    const out: ApiFact[] = [];
    for (const p of partsOf(resource) ?? []) {
      if (p instanceof ResRef && p.attr === undefined) {
        const api = this.apiByKey.get(p.key);
        if (api && !out.includes(api)) out.push(api);
      }
    }
    return out;
  }
}

/** One segment of a URL path: literal text, or a resource of the app (a Stage's `Ref` is its name), or unknown. */
export type PathSegment = string | ResRef | Opaque;

/** After an API's `Ref`: `.execute-api.<region>.<suffix>` is the rest of the default hostname. */
const DEFAULT_HOST_REST = /^\.execute-api\.[^/?#\s"']*/;
/** The part is the whole hostname already. */
const NO_HOST = /^/;

/**
 * The path segments of a URL whose hostname starts the text at part `start`, character `offset`
 * (what `host` matches of it is the rest of the hostname). Non-literal parts stand alone in a
 * segment, or make it unknown. Only the text up to the end of the path is read (the first `?`,
 * `#`, quote or white space), so that a long value with many URLs in it is read in linear time.
 */
function pathAfter(
  parts: ReadonlyArray<Value>,
  start: number,
  offset: number,
  host: RegExp,
): PathSegment[] | undefined {
  const holes: PathSegment[] = [];
  let text = '';
  for (let j = start; j < parts.length; j++) {
    const p = parts[j];
    if (typeof p === 'string') {
      const from = j === start ? offset : 0;
      const stop = endOfPath(p, from);
      text += p.slice(from, stop).replace(/\u0000/g, '');
      if (stop < p.length) break;
    } else {
      holes.push(p instanceof ResRef || p instanceof Opaque ? p : new Opaque('intrinsic', 'path'));
      text += `\u0000${holes.length - 1}\u0000`;
    }
  }
  const m = host.exec(text);
  if (!m) return undefined;
  const path = text.slice(m[0].length);
  if (path !== '' && !path.startsWith('/')) return undefined;
  return path
    .split('/')
    .filter((seg) => seg !== '')
    .map((seg) => {
      const only = /^\u0000(\d+)\u0000$/.exec(seg);
      if (only) return holes[Number(only[1])];
      return seg.includes('\u0000') ? new Opaque('intrinsic', 'path') : seg;
    });
}

/** The index of the first character at or after `from` that ends a URL path (`?`, `#`, a quote, white space). */
function endOfPath(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '?' || c === '#' || c === '"' || c === "'" || /\s/.test(c)) return i;
  }
  return text.length;
}

/**
 * The hostnames in a lower-case text: two or more DNS labels (letters and digits, hyphens inside)
 * joined by dots, with where each ends. One pass over the text, so a long token without a dot (a
 * user-data script, a minified bundle) costs linear time, where a regular expression backtracked.
 */
export function hostnames(text: string): Array<{ host: string; end: number }> {
  const out: Array<{ host: string; end: number }> = [];
  let labels: Array<[number, number]> = [];
  const flush = () => {
    if (labels.length >= 2) {
      out.push({ host: text.slice(labels[0][0], labels[labels.length - 1][1]), end: labels[labels.length - 1][1] });
    }
    labels = [];
  };
  let i = 0;
  while (i <= text.length) {
    // One label: the characters up to the next dot or the next character that no hostname holds.
    let j = i;
    while (j < text.length && isLabelChar(text.charCodeAt(j))) j++;
    let a = i;
    let b = j;
    const leading = a < b && text.charCodeAt(a) === HYPHEN;
    while (a < b && text.charCodeAt(a) === HYPHEN) a++;
    const trailing = a < b && text.charCodeAt(b - 1) === HYPHEN;
    while (b > a && text.charCodeAt(b - 1) === HYPHEN) b--;
    if (a === b) {
      flush(); // an empty label (two dots, hyphens only): no hostname goes across it
    } else {
      if (leading) flush(); // hyphens may only be cut off where a hostname starts…
      labels.push([a, b]);
      if (trailing) flush(); // …or where it ends
    }
    if (j >= text.length || text.charCodeAt(j) !== DOT) flush(); // the run of labels ends here
    i = j + 1;
  }
  return out;
}

const DOT = 46;
const HYPHEN = 45;

function isLabelChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === HYPHEN;
}

/**
 * Applies the evidence precedence: per API, a URL (default hostname, endpoint hostname, custom
 * domain) beats a bare id, which beats an IAM grant; a call whose path is unknown gives way to the
 * same call with a known path; duplicates of the same call (same target and path) are dropped.
 * Which duplicate is kept never depends on key order: hints first, then by holder and location.
 */
function precedence(links: CallLink[]): CallLink[] {
  const urlApis = new Set<string>();
  const anyApis = new Set<string>();
  const targetOf = (l: CallLink) =>
    [
      l.via,
      l.api?.resource.key ?? '',
      l.domain?.resource.key ?? '',
      l.record?.resource.key ?? '',
      l.external?.host ?? '',
    ].join('|');
  const withPath = new Set<string>();
  for (const l of links) {
    if (l.path !== undefined) withPath.add(targetOf(l));
    if (!l.api) continue;
    const k = l.api.resource.key;
    if (l.via !== 'bare-id' && l.via !== 'iam') urlApis.add(k);
    if (l.via !== 'iam') anyApis.add(k);
  }
  const rank = { hint: 0, config: 1, iam: 2 };
  const ordered = [...links].sort(
    (a, b) =>
      rank[a.evidence] - rank[b.evidence] ||
      compare(a.holder.key, b.holder.key) ||
      compare(a.evidenceLocation, b.evidenceLocation),
  );
  const seen = new Set<string>();
  const kept = new Set<CallLink>();
  for (const l of ordered) {
    const k = l.api?.resource.key;
    if (k && l.via === 'bare-id' && urlApis.has(k)) continue;
    if (k && l.via === 'iam' && anyApis.has(k)) continue;
    const target = targetOf(l);
    if (l.path === undefined && withPath.has(target)) continue;
    // The path is part of the call: a wrong-stage URL beside a right one is two calls, whatever their order.
    const id = `${target}|${pathKey(l.path)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    kept.add(l);
  }
  // In the order the evidence was found (hints, configuration, grants), which is not key order dependent
  // for the kept set; rules choose among reports of one pair by level and location.
  return links.filter((l) => kept.has(l));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A path as a key: literal segments, resources by key, unknown parts as one mark. */
function pathKey(path: PathSegment[] | undefined): string {
  if (!path) return '?';
  return path
    .map((seg) => (typeof seg === 'string' ? `/${seg}` : seg instanceof ResRef ? `/{${seg.key}}` : '/{?}'))
    .join('');
}

/** The calls made through each DNS record and custom domain, indexed once. */
export class CallsByTarget {
  private readonly via = new Map<RecordFact | DomainFact, CallLink[]>();

  constructor(calls: CallLink[]) {
    for (const l of calls) {
      this.add(l.record, l);
      // A call through a record that points at its domain is counted once, on the record.
      if (l.record?.target?.domain !== l.domain) this.add(l.domain, l);
    }
  }

  /** The calls that use this record's name, or this domain's name (not through a record of it). */
  public through(target: RecordFact | DomainFact): CallLink[] {
    return this.via.get(target) ?? [];
  }

  private add(target: RecordFact | DomainFact | undefined, l: CallLink): void {
    if (!target) return;
    const links = this.via.get(target);
    if (links) links.push(l);
    else this.via.set(target, [l]);
  }
}

/**
 * The values of the app's SSM parameters (`AWS::SSM::Parameter` `Value`) and Secrets Manager secrets
 * (`AWS::SecretsManager::Secret` `SecretString`), by resource and by name: a caller that names one
 * reads what it holds. A parameter or secret the app does not define, or one whose value the app does
 * not set (a generated secret), names nothing.
 */
export class StoredValues {
  private readonly ssmByKey = new Map<string, Value>();
  private readonly secretByKey = new Map<string, Value>();
  private readonly ssmByName = new Map<string, Value>();
  private readonly secretByName = new Map<string, Value>();

  constructor(graph: ResourceGraph) {
    for (const r of graph.ofType('AWS::SSM::Parameter')) {
      const value = r.properties.Value;
      if (value === undefined) continue;
      this.ssmByKey.set(r.key, value);
      const name = literal(r.properties.Name);
      if (name !== undefined && !this.ssmByName.has(name)) this.ssmByName.set(name, value);
    }
    for (const r of graph.ofType('AWS::SecretsManager::Secret')) {
      const value = r.properties.SecretString;
      if (value === undefined) continue;
      this.secretByKey.set(r.key, value);
      const name = literal(r.properties.Name);
      if (name !== undefined && !this.secretByName.has(name)) this.secretByName.set(name, value);
    }
  }

  /**
   * The value held by the parameter or secret a reference names: a parameter's `Ref` (its name) or
   * `Fn::GetAtt Value`; a secret's `Ref` or `Fn::GetAtt Id` (its ARN).
   */
  public ofRef(p: ResRef): Value | undefined {
    if (p.attr === undefined || p.attr === 'Value') {
      const v = this.ssmByKey.get(p.key);
      if (v !== undefined) return v;
    }
    return p.attr === undefined || p.attr === 'Id' ? this.secretByKey.get(p.key) : undefined;
  }

  /**
   * The value of the parameter or secret a whole literal names: its name, or a parameter's ARN
   * (`arn:…:ssm:…:parameter/<name>`).
   */
  public named(text: string): Value | undefined {
    const direct = this.ssmByName.get(text) ?? this.secretByName.get(text);
    if (direct !== undefined) return direct;
    const arn = /^arn:[a-z-]+:ssm:[a-z0-9-]*:\d*:parameter(\/.*)$/.exec(text);
    if (!arn) return undefined;
    return this.ssmByName.get(arn[1]) ?? this.ssmByName.get(arn[1].slice(1));
  }

  /**
   * The values of the parameters and secrets of the app that the dynamic references in a text name:
   * `{{resolve:ssm:<name>[:version]}}`, `{{resolve:secretsmanager:<name or ARN>[:SecretString…]}}`.
   */
  public dynamic(text: string): Value[] {
    const out: Value[] = [];
    for (const m of text.matchAll(/\{\{resolve:(ssm|secretsmanager):([^}]*)\}\}/g)) {
      const v = m[1] === 'ssm' ? this.ssmByName.get(m[2].replace(/:\d+$/, '')) : this.secretNamed(m[2]);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** A secret by the id of a dynamic reference: its name, or its ARN (`…:secret:<name>-<6 characters>`). */
  private secretNamed(ref: string): Value | undefined {
    const arn = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]*:\d*:secret:([^:]+)/.exec(ref);
    if (arn) return this.secretByName.get(arn[1]) ?? this.secretByName.get(arn[1].replace(/-[A-Za-z0-9]{6}$/, ''));
    return this.secretByName.get(ref.split(':')[0]);
  }
}
