/**
 * `api-reachability explain`: from what a user observed of a 403 (status, `x-amzn-ErrorType`, message,
 * hostname, path — or a browser capture), the rows of API Gateway's 403 table that fit, what to check
 * for each, the rules that catch them at synth time, and, with `--app`, the findings of the app that
 * explain the response (docs/cli-explain.md).
 */
import * as path from 'path';
import { analyzeRawStacks } from '../engine';
import { Finding, FindingResource } from '../finding';
import { TemplatePositions } from '../graph/source-positions';
import { RawStack } from '../graph/types';
import { RULE_PREFIX, RULES } from '../rules';
import { APP_OPTIONS, readApp as readAppInputs } from './app-inputs';
import { choice, CliIo, Command, EXIT_OK, lastValue, ParsedArgs, TOOL_NAME, UsageError, writeOutput } from './args';
import { FORBIDDEN_CAUSES, ForbiddenCause, HostKind } from './forbidden-causes';
import { Capture, CapturedResponse, Observation, readHar } from './har';
import { positionsByFile } from './inputs';
import { positionOf } from './report';

const FORMATS = ['text', 'json'] as const;

/** The options that describe one observed response. */
const OBSERVATION_OPTIONS = ['--status', '--error-type', '--message', '--host', '--path'] as const;

// ---------------------------------------------------------------------------------------------
// Hostnames

/** What a hostname says about the request. */
export interface HostInfo {
  /** The hostname, lower case, without port or trailing dot. */
  readonly name: string;
  readonly kind: HostKind;
  readonly apiId?: string;
  readonly region?: string;
  readonly vpceId?: string;
  /** For a `domain-target` name, its `d-…` label. */
  readonly domainTarget?: string;
  /** What else is worth knowing about this name. */
  readonly notes: string[];
}

const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d+)';
const AWS_DOMAIN = '\\.amazonaws\\.com(?:\\.cn)?';
const DEFAULT_HOST = new RegExp(`^([a-z0-9]+)\\.execute-api\\.${REGION}${AWS_DOMAIN}$`);
const DOMAIN_TARGET_HOST = new RegExp(`^(d-[a-z0-9]+)\\.execute-api\\.${REGION}${AWS_DOMAIN}$`);
const ENDPOINT_SPECIFIC_HOST = new RegExp(`^([a-z0-9]+)-(vpce-[0-9a-f]+)\\.execute-api\\.${REGION}${AWS_DOMAIN}$`);
const VPCE_HOST = new RegExp(
  `^(vpce-[0-9a-f]+)-[a-z0-9]+(?:-[a-z0-9-]+)?\\.execute-api\\.${REGION}\\.vpce${AWS_DOMAIN}$`,
);
const API_ID = /^[a-z0-9]{10}$/;

/** Splits `--host` into a hostname and, when a URL was given, its path. */
export function splitHost(given: string): { host: string; path?: string } {
  const text = given.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/')) {
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
      return { host: url.hostname, path: url.pathname === '/' && !text.endsWith('/') ? undefined : url.pathname };
    } catch {
      throw new UsageError(`--host '${given}' is neither a hostname nor a URL`);
    }
  }
  return { host: text };
}

/** Reads a hostname: its kind, and the API id, region and endpoint id it names. Never throws. */
export function parseHost(given: string): HostInfo {
  const name = given.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const notes: string[] = [];
  let m = DOMAIN_TARGET_HOST.exec(name);
  if (m) {
    notes.push(
      `${m[1]} is the regional target name of a custom domain: API Gateway serves the domain under its own name (the Host header), not under this one.`,
    );
    return { name, kind: 'domain-target', domainTarget: m[1], region: m[2], notes };
  }
  m = ENDPOINT_SPECIFIC_HOST.exec(name);
  if (m) {
    return { name, kind: 'endpoint-specific', apiId: m[1], vpceId: m[2], region: m[3], notes };
  }
  m = VPCE_HOST.exec(name);
  if (m) {
    notes.push(
      `The DNS name of interface endpoint ${m[1]}: the request must name the private API in a Host header ({api-id}.execute-api.${m[2]}.amazonaws.com) or an x-apigw-api-id header.`,
    );
    return { name, kind: 'vpce', vpceId: m[1], region: m[2], notes };
  }
  m = DEFAULT_HOST.exec(name);
  if (m) {
    if (!API_ID.test(m[1])) notes.push(`'${m[1]}' is not of the form of an API id (10 lower-case letters and digits).`);
    return { name, kind: 'default', apiId: m[1], region: m[2], notes };
  }
  if (/\.execute-api\./.test(name)) {
    notes.push('An execute-api name of no known form: read as a custom domain.');
  } else if (/\.cloudfront\.net$/.test(name)) {
    notes.push('A CloudFront name: the distribution of an edge-optimized custom domain, or a CDN in front of the API.');
  }
  return { name, kind: 'custom-domain', notes };
}

/** What the path says, given the kind of host: the stage on execute-api names, the base path on a custom domain. */
export function pathNotes(kind: HostKind, p: string | undefined): string[] {
  if (p === undefined) return [];
  const segments = p.split('/').filter((s) => s !== '');
  if (kind === 'custom-domain' || kind === 'domain-target') {
    return segments.length === 0
      ? ['The root of the domain: only an empty base path mapping serves it.']
      : [
          `'${segments[0]}' is the base path (when the domain maps one), else the first segment of the resource path; the stage is never in a custom-domain URL.`,
        ];
  }
  if (segments.length === 0) {
    return [
      'No stage in the path: a REST API needs one (/{stage}/…); only an HTTP API with a $default stage takes none.',
    ];
  }
  const resource = `/${segments.slice(1).join('/')}`;
  return [`Stage '${segments[0]}' (the first path segment, for a REST or WebSocket API), resource ${resource}.`];
}

// ---------------------------------------------------------------------------------------------
// Matching the table

/** A response's message, normalized: a JSON body's message taken out, quotes dropped, lower case, single spaces. */
export function normalizeMessage(message: string): string {
  let text = message.trim();
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const b = body as { [k: string]: unknown };
      const m = b.message ?? b.Message;
      if (typeof m === 'string') text = m;
    }
  } catch {
    // not a JSON body: the message itself
  }
  return text
    .replace(/^["'`{(\s]+|["'`})\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** An `x-amzn-ErrorType` value, normalized: the part before `:`, lower case. */
export function normalizeErrorType(errorType: string): string {
  return errorType.trim().split(':')[0].trim().toLowerCase();
}

function errorTypeFits(cause: ForbiddenCause, errorType: string): boolean {
  const t = normalizeErrorType(errorType);
  const bare = t.replace(/exception$/, '');
  return (
    cause.errorTypes.some((e) => e.toLowerCase() === t || e.toLowerCase().replace(/exception$/, '') === bare) ||
    cause.responseTypes.some((r) => r.toLowerCase() === t)
  );
}

function messageFits(cause: ForbiddenCause, message: string): boolean {
  const m = normalizeMessage(message);
  return cause.messages.some((c) => c.pattern.test(m));
}

/** Whether the request was signed with SigV4, as far as the captured headers tell (undefined: not known). */
function signedWithSigV4(o: Observation): boolean | undefined {
  const auth = o.requestHeaders?.authorization;
  return auth === undefined ? undefined : /^aws4-hmac-sha256/i.test(auth);
}

/** The rows that fit an observation, and the clues that no row of the table knows. */
export interface Fit {
  readonly causes: ForbiddenCause[];
  /** `errorType` / `message` when no row knows them (a customized gateway response, say): they were left out of the match. */
  readonly unmatched: Array<'errorType' | 'message'>;
  /** True when the status is not 403: the table covers 403s only. */
  readonly notForbidden: boolean;
}

/** The rows of the table that fit `o` (at host kind `kind`), in table order. */
export function fitCauses(o: Observation, kind: HostKind | undefined): Fit {
  if (o.status !== undefined && o.status !== 403) return { causes: [], unmatched: [], notForbidden: true };
  const unmatched: Array<'errorType' | 'message'> = [];
  const useErrorType = o.errorType !== undefined && FORBIDDEN_CAUSES.some((c) => errorTypeFits(c, o.errorType!));
  if (o.errorType !== undefined && !useErrorType) unmatched.push('errorType');
  const useMessage = o.message !== undefined && FORBIDDEN_CAUSES.some((c) => messageFits(c, o.message!));
  if (o.message !== undefined && !useMessage) unmatched.push('message');
  const signed = signedWithSigV4(o);
  const causes = FORBIDDEN_CAUSES.filter(
    (c) =>
      (!useErrorType || errorTypeFits(c, o.errorType!)) &&
      (!useMessage || messageFits(c, o.message!)) &&
      (kind === undefined || c.hosts.includes(kind)) &&
      !(signed === true && c.id === 'unsigned-request-to-iam-method'),
  );
  return { causes, unmatched, notForbidden: false };
}

// ---------------------------------------------------------------------------------------------
// The app

/** A resource of the app named by a hostname or an id. */
export interface AppResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly path?: string;
}

/** What `--app` read and found: the stacks, the findings of every rule, and where things sit in the files. */
export interface App {
  readonly stacks: ReadonlyArray<RawStack>;
  readonly findings: ReadonlyArray<Finding>;
  /** Where the parts of each template file sit, for the findings' lines. */
  readonly positions: ReadonlyMap<string, TemplatePositions>;
}

/** How the findings of the app were tied to the response. */
export interface AppTie {
  /** `domain`: the app declares the custom domain; `literal`: the host or id appears in the app; `none`: not tied. */
  readonly by: 'domain' | 'literal' | 'none';
  readonly resources: AppResource[];
  readonly note: string;
  readonly findings: Finding[];
}

const DOMAIN_TYPES = new Set([
  'AWS::ApiGateway::DomainName',
  'AWS::ApiGateway::DomainNameV2',
  'AWS::ApiGatewayV2::DomainName',
]);

type Resources = { [logicalId: string]: unknown };

function resourcesOf(s: RawStack): Array<[string, { Type?: unknown; Properties?: unknown; Metadata?: unknown }]> {
  const r = (s.template.Resources ?? {}) as Resources;
  return Object.keys(r)
    .sort()
    .map((id) => [
      id,
      (typeof r[id] === 'object' && r[id] !== null ? r[id] : {}) as { Type?: unknown; Properties?: unknown },
    ]);
}

function cdkPath(s: RawStack, logicalId: string, metadata: unknown): string | undefined {
  const m = metadata as { [k: string]: unknown } | undefined;
  const p = m && typeof m['aws:cdk:path'] === 'string' ? (m['aws:cdk:path'] as string) : undefined;
  return p ?? s.constructPaths?.[logicalId];
}

/** True when some string inside `value` contains `needle` (lower case). */
function mentions(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.toLowerCase().includes(needle);
  if (Array.isArray(value)) return value.some((v) => mentions(v, needle));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => mentions(v, needle));
  return false;
}

/** The custom domains of the app whose literal name is `host`. */
function declaredDomains(stacks: ReadonlyArray<RawStack>, host: string): AppResource[] {
  const out: AppResource[] = [];
  for (const s of stacks) {
    for (const [id, r] of resourcesOf(s)) {
      const props = r.Properties as { DomainName?: unknown } | undefined;
      if (typeof r.Type === 'string' && DOMAIN_TYPES.has(r.Type) && typeof props?.DomainName === 'string') {
        if (props.DomainName.toLowerCase().replace(/\.$/, '') === host) {
          out.push({ stack: s.key, logicalId: id, path: cdkPath(s, id, r.Metadata) });
        }
      }
    }
  }
  return out;
}

/** The resources of the app whose properties hold `needle` literally (an imported API's id, a caller's URL). */
function literalMentions(stacks: ReadonlyArray<RawStack>, needle: string): AppResource[] {
  const out: AppResource[] = [];
  for (const s of stacks) {
    for (const [id, r] of resourcesOf(s)) {
      if (mentions(r.Properties, needle)) out.push({ stack: s.key, logicalId: id, path: cdkPath(s, id, r.Metadata) });
    }
  }
  return out;
}

function names(f: Finding, r: AppResource): boolean {
  const is = (x: FindingResource) => x.stack === r.stack && x.logicalId === r.logicalId;
  return is(f.resource) || f.relatedResources.some(is);
}

function shown(r: AppResource): string {
  return r.path ?? `${r.stack}/${r.logicalId}`;
}

/** The findings of the app that explain a response: those of the fitting rows' rules, narrowed by the host when it can be tied to the app. */
export function tieToApp(app: App, causes: ReadonlyArray<ForbiddenCause>, host: HostInfo | undefined): AppTie {
  const ruleIds = new Set(causes.flatMap((c) => c.rules.map((r) => `${RULE_PREFIX}-${r}`)));
  const candidates = app.findings.filter((f) => ruleIds.has(f.rule));
  const all = (note: string): AppTie => ({ by: 'none', resources: [], note, findings: candidates });
  if (host === undefined) {
    return all('No hostname was given: these are all the findings of the app for the rules of the fitting causes.');
  }
  const narrowed = (by: 'domain' | 'literal', resources: AppResource[], needle: string, what: string): AppTie => {
    const findings = candidates.filter(
      (f) => resources.some((r) => names(f, r)) || f.message.toLowerCase().includes(needle),
    );
    const list = resources.map(shown).join(', ');
    const note =
      findings.length > 0
        ? `${what} ${list}: the findings that concern it.`
        : `${what} ${list}, and no finding of the rules of the fitting causes concerns it.`;
    return { by, resources, note, findings };
  };
  if (host.kind === 'custom-domain' || host.kind === 'domain-target') {
    const domains = declaredDomains(app.stacks, host.name);
    if (domains.length > 0) {
      return narrowed('domain', domains, host.name, `The app declares the custom domain ${host.name} as`);
    }
    const mentioned = literalMentions(app.stacks, host.name);
    if (mentioned.length > 0) return narrowed('literal', mentioned, host.name, `${host.name} appears in the app in`);
    if (host.kind === 'domain-target') {
      return all(
        `The regional target name ${host.domainTarget} of a custom domain is assigned at deployment and does not appear in the app, so it cannot be tied to one of its domains: these are all the findings of the app for the rules of the fitting causes.`,
      );
    }
    return all(
      `The app declares no custom domain named ${host.name} and names it nowhere literally (a name built from parameters or imports cannot be read): these are all the findings of the app for the rules of the fitting causes.`,
    );
  }
  for (const id of [host.apiId, host.vpceId]) {
    if (id === undefined) continue;
    const mentioned = literalMentions(app.stacks, id);
    if (mentioned.length > 0) return narrowed('literal', mentioned, id, `${id} appears in the app in`);
  }
  const ids = [host.apiId ? `API id ${host.apiId}` : undefined, host.vpceId ? `endpoint id ${host.vpceId}` : undefined]
    .filter((x) => x !== undefined)
    .join(' and ');
  return all(
    ids === ''
      ? 'The hostname names no API and no endpoint: these are all the findings of the app for the rules of the fitting causes.'
      : `The ${ids} ${ids.includes(' and ') ? 'do' : 'does'} not appear in the app: ids are assigned at deployment, so the hostname cannot be tied to a resource of a template. These are all the findings of the app for the rules of the fitting causes.`,
  );
}

// ---------------------------------------------------------------------------------------------
// One explanation

/** The explanation of one observed response. */
export interface Explanation {
  readonly observation: Observation;
  readonly requests: string[];
  readonly count: number;
  readonly host?: HostInfo;
  readonly pathNotes: string[];
  readonly fit: Fit;
  readonly app?: AppTie;
}

/** Explains one observation (optionally against an app). */
export function explainObservation(o: Observation, app?: App, requests: string[] = [], count = 1): Explanation {
  let host = o.host !== undefined ? parseHost(o.host) : undefined;
  // On an endpoint's own DNS name, the Host or x-apigw-api-id header of the request names the private API.
  if (host?.kind === 'vpce' && o.requestHeaders) {
    const named =
      o.requestHeaders['x-apigw-api-id'] ??
      (o.requestHeaders.host ? parseHost(o.requestHeaders.host).apiId : undefined);
    host = named
      ? { ...host, apiId: named, notes: [...host.notes, `The request names API ${named}.`] }
      : {
          ...host,
          notes: [...host.notes, 'The capture shows neither header: API Gateway cannot tell which API is meant.'],
        };
  }
  const fitted = fitCauses(o, host?.kind);
  const tie = app ? tieToApp(app, fitted.causes, host) : undefined;
  // With an app, the causes its findings explain come first; otherwise (and among each group) table order.
  const explained = (c: ForbiddenCause) =>
    (tie?.findings ?? []).some((f) => c.rules.some((r) => `${RULE_PREFIX}-${r}` === f.rule));
  const fit = tie
    ? { ...fitted, causes: [...fitted.causes.filter(explained), ...fitted.causes.filter((c) => !explained(c))] }
    : fitted;
  return { observation: o, requests, count, host, pathNotes: host ? pathNotes(host.kind, o.path) : [], fit, app: tie };
}

// ---------------------------------------------------------------------------------------------
// Output

/**
 * The values of the `<…>` placeholders of the table's check steps that this response tells: the API id,
 * region and endpoint id of the host, the stage of the path, the custom domain, the resource ARN of an
 * IAM message.
 */
export function placeholderValues(e: Pick<Explanation, 'observation' | 'host'>): { [name: string]: string } {
  const values: { [name: string]: string } = {};
  const h = e.host;
  if (h?.apiId && API_ID.test(h.apiId)) values['api-id'] = h.apiId;
  if (h?.region) values.region = h.region;
  if (h?.vpceId) values['vpce-id'] = h.vpceId;
  if (h?.kind === 'custom-domain') values.host = h.name;
  const stage = e.observation.path?.split('/').filter((x) => x !== '')[0];
  if (stage && h && h.kind !== 'custom-domain' && h.kind !== 'domain-target') values.stage = stage;
  const arn = /on resource: ?(arn:[\w-]+:execute-api:[^\s]+)/i.exec(e.observation.message ?? '');
  if (arn) values['api-resource-arn'] = arn[1];
  return values;
}

/** `text` with the placeholders whose values are known filled in. */
function filled(text: string, values: { readonly [name: string]: string }): string {
  return text.replace(/<([a-z-]+)>/g, (m, name: string) => values[name] ?? m);
}

const RULE_DOCS = new Map(RULES.map((r) => [r.id, r.docs]));

/** Wraps `text` at `width` columns, each line after `indent`. */
function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function headline(o: Observation): string {
  const parts = [
    'Response:',
    o.status !== undefined ? String(o.status) : undefined,
    o.errorType !== undefined ? o.errorType.split(':')[0].trim() : undefined,
    o.message !== undefined ? JSON.stringify(o.message) : undefined,
  ].filter((p) => p !== undefined);
  return parts.join(' ');
}

function hostLine(h: HostInfo): string {
  switch (h.kind) {
    case 'default':
      return `the default execute-api endpoint of API ${h.apiId} in ${h.region}`;
    case 'endpoint-specific':
      return `the endpoint-specific name (a Route 53 alias) of private API ${h.apiId} through VPC endpoint ${h.vpceId}, in ${h.region}`;
    case 'vpce':
      return `the DNS name of VPC endpoint ${h.vpceId} in ${h.region}${h.apiId ? `, for API ${h.apiId}` : ''}`;
    case 'domain-target':
      return `the regional target name ${h.domainTarget} of a custom domain, in ${h.region}`;
    default:
      return 'a custom domain name (any name that is not an execute-api name)';
  }
}

interface TextContext {
  readonly positions: ReadonlyMap<string, TemplatePositions>;
  readonly color: boolean;
  readonly cwd: string;
}

function textExplanation(e: Explanation, ctx: TextContext): string[] {
  const paint = (code: string, s: string) => (ctx.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const o = e.observation;
  const lines: string[] = [paint('1', headline(o))];
  if (e.host) {
    lines.push(`  host: ${e.host.name}: ${hostLine(e.host)}`);
    for (const n of e.host.notes) lines.push(...wrap(n, '        '));
  }
  if (o.path !== undefined) {
    lines.push(`  path: ${o.path}`);
    for (const n of e.pathNotes) lines.push(...wrap(n, '        '));
  }
  if (e.count > 1 || e.requests.length > 0) {
    lines.push(
      `  seen: ${e.count === 1 ? 'once' : `${e.count} times`}${o.requestId ? ` (request id ${o.requestId})` : ''}`,
    );
    for (const r of e.requests.slice(0, 3)) lines.push(`        ${r}`);
    if (e.requests.length > 3) lines.push(`        … and ${e.requests.length - 3} more`);
  }
  const headers = Object.entries(o.requestHeaders ?? {}).filter(([n]) => n !== 'host');
  if (headers.length > 0) lines.push(`  request headers: ${headers.map(([n, v]) => `${n}: ${v}`).join('; ')}`);
  lines.push('');
  if (e.fit.notForbidden) {
    lines.push(
      ...wrap(
        `Status ${o.status} is not a 403: the table of causes covers API Gateway's 403 responses only, so none is shown.`,
        '',
      ),
    );
    return lines;
  }
  for (const u of e.fit.unmatched) {
    const value = u === 'message' ? JSON.stringify(o.message) : o.errorType;
    lines.push(
      ...wrap(
        `No row of the table knows the ${u === 'message' ? 'message' : 'error type'} ${value}: a gateway response of the API may have rewritten it. The causes below fit the rest of what was observed.`,
        '',
      ),
    );
  }
  if (e.fit.causes.length === 0) {
    lines.push('No cause of the table fits everything that was observed.');
    return lines;
  }
  const byRule = new Map<string, Finding[]>();
  for (const f of e.app?.findings ?? []) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const values = placeholderValues(e);
  const findingsOf = (c: ForbiddenCause) => c.rules.flatMap((r) => byRule.get(`${RULE_PREFIX}-${r}`) ?? []);
  lines.push(`${e.fit.causes.length} of the ${FORBIDDEN_CAUSES.length} causes of API Gateway's 403 table fit:`);
  const width = String(e.fit.causes.length).length + 2;
  e.fit.causes.forEach((c, i) => {
    const mark = e.app && findingsOf(c).length > 0 ? '  <- the app' : '';
    lines.push(`  ${`[${i + 1}]`.padEnd(width)} ${c.id}${mark}`);
  });
  e.fit.causes.forEach((c, i) => {
    lines.push('');
    lines.push(paint('1', `[${i + 1}] ${c.id}: ${c.title}`));
    lines.push(`    ${c.origin === 'request' ? 'From the request' : 'From the infrastructure'}.`);
    lines.push(...wrap(c.meaning, '    '));
    lines.push('    Check:');
    for (const step of c.check) {
      const w = wrap(filled(step, values), '        ');
      lines.push(`      - ${w[0].trimStart()}`, ...w.slice(1));
    }
    if (c.rules.length === 0) {
      lines.push('    Caught at synth time by: no rule (it depends on the request, not on the templates)');
    } else {
      const w = wrap(`Caught at synth time by: ${c.rules.map((r) => `${RULE_PREFIX}-${r}`).join(', ')}`, '        ');
      lines.push(`    ${w[0].trimStart()}`, ...w.slice(1));
    }
    lines.push(`    AWS: ${c.source}`);
    if (e.app) {
      for (const f of findingsOf(c)) {
        lines.push(
          `    In the app: ${f.level === 'error' ? paint('31', 'error') : paint('33', 'warning')} ${f.rule}[${f.findingId}]`,
        );
        const pos = positionOf(ctx.positions, f.resource, f.location);
        const at = pos ? ` at ${relativeFile(ctx.cwd, pos.file)}:${pos.line}:${pos.column}` : '';
        lines.push(`        resource: ${f.resource.path ?? f.resource.logicalId} (${f.location})${at}`);
        lines.push(...wrap(f.message, '        '));
        lines.push(...wrap(`Fix: ${f.fix}`, '        '));
      }
    }
  });
  if (e.app) {
    lines.push('');
    const n = e.app.findings.length;
    lines.push(
      paint(
        '1',
        `App: ${n === 0 ? 'no finding explains' : n === 1 ? '1 finding explains' : `${n} findings explain`} this response.`,
      ),
    );
    lines.push(...wrap(e.app.note, '  '));
  }
  return lines;
}

function relativeFile(cwd: string, file: string | undefined): string | null {
  if (!file) return null;
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}

function jsonExplanation(e: Explanation, cwd: string, positions: ReadonlyMap<string, TemplatePositions>): object {
  const o = e.observation;
  const values = placeholderValues(e);
  const resource = (r: FindingResource) => ({
    stack: r.stack,
    logicalId: r.logicalId,
    constructPath: r.path ?? null,
    templateFile: relativeFile(cwd, r.templateFile),
  });
  return {
    observed: {
      status: o.status ?? null,
      errorType: o.errorType ?? null,
      message: o.message ?? null,
      host: o.host ?? null,
      path: o.path ?? null,
      requestId: o.requestId ?? null,
      requestHeaders: o.requestHeaders ?? {},
    },
    requests: e.requests,
    count: e.count,
    host: e.host
      ? {
          name: e.host.name,
          kind: e.host.kind,
          apiId: e.host.apiId ?? null,
          region: e.host.region ?? null,
          vpceId: e.host.vpceId ?? null,
          domainTarget: e.host.domainTarget ?? null,
          notes: [...e.host.notes, ...e.pathNotes],
        }
      : null,
    coversStatus: !e.fit.notForbidden,
    unmatched: e.fit.unmatched,
    causes: e.fit.causes.map((c) => ({
      id: c.id,
      title: c.title,
      origin: c.origin,
      meaning: c.meaning,
      check: c.check.map((step) => filled(step, values)),
      rules: c.rules.map((r) => ({ id: `${RULE_PREFIX}-${r}`, docs: RULE_DOCS.get(`${RULE_PREFIX}-${r}`) ?? null })),
      source: c.source,
      findings: (e.app?.findings ?? [])
        .filter((f) => c.rules.some((r) => `${RULE_PREFIX}-${r}` === f.rule))
        .map((f) => `${f.rule}[${f.findingId}]`),
    })),
    app: e.app
      ? {
          tiedBy: e.app.by,
          resources: e.app.resources.map((r) => ({
            stack: r.stack,
            logicalId: r.logicalId,
            constructPath: r.path ?? null,
          })),
          note: e.app.note,
          findings: e.app.findings.map((f) => ({
            ruleId: f.rule,
            findingId: f.findingId,
            level: f.level,
            message: f.message,
            fix: f.fix,
            docs: f.docs,
            resource: resource(f.resource),
            location: ((pos) => ({ property: f.location, line: pos?.line ?? null, column: pos?.column ?? null }))(
              positionOf(positions, f.resource, f.location),
            ),
            related: f.relatedResources.map(resource),
          })),
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The command

function observationOf(args: ParsedArgs): Observation {
  const statusText = lastValue(args, '--status');
  let status: number | undefined;
  if (statusText !== undefined) {
    if (!/^\d{3}$/.test(statusText.trim())) {
      throw new UsageError(`--status must be an HTTP status code such as 403, not '${statusText}'`);
    }
    status = Number(statusText.trim());
  }
  const hostGiven = lastValue(args, '--host');
  const split = hostGiven !== undefined ? splitHost(hostGiven) : undefined;
  const p = lastValue(args, '--path') ?? split?.path;
  return {
    status,
    errorType: lastValue(args, '--error-type'),
    message: lastValue(args, '--message'),
    host: split?.host,
    path: p === undefined ? undefined : p.startsWith('/') ? p.split('?')[0] : `/${p.split('?')[0]}`,
  };
}

function readApp(args: ParsedArgs, io: CliIo): App | undefined {
  const inputs = args.values.get('--app');
  if (!inputs) return undefined;
  const stacks = readAppInputs(inputs, args, io);
  const analysis = analyzeRawStacks(stacks);
  for (const d of analysis.diagnostics) io.stderr(`${TOOL_NAME}: warning: ${d}\n`);
  return { stacks, findings: analysis.findings, positions: positionsByFile(stacks) };
}

function captureSummary(file: string, c: Capture): string {
  const other = c.otherForbidden > 0 ? `; ${c.otherForbidden} other 403(s) show no sign of API Gateway` : '';
  const bad =
    c.unreadable > 0 ? `; ${c.unreadable} entr${c.unreadable === 1 ? 'y' : 'ies'} without a URL or status skipped` : '';
  return `${file}: ${c.entries} entr${c.entries === 1 ? 'y' : 'ies'}, ${c.responses.length} distinct API Gateway 403 response(s)${other}${bad}.`;
}

/** The `explain` command (docs/cli-explain.md): exit 0 when it explained, 2 on bad usage or unusable input. */
export const EXPLAIN: Command = {
  name: 'explain',
  summary: 'explain an API Gateway 403 from what was observed (or a HAR capture), optionally against an app',
  usage: `Usage: ${TOOL_NAME} explain [--status 403] [--error-type T] [--message M] [--host H] [--path P] [--app <input>]...
       ${TOOL_NAME} explain --har <capture.har> [--app <input>]...

Lists the causes of API Gateway's 403 troubleshooting table that fit what was observed, what to check
for each, and the rules that catch them at synth time; with --app, the findings of the app that
explain the response.

Options:
  --status <code>        the HTTP status (the table covers 403)
  --error-type <type>    the x-amzn-ErrorType header (ForbiddenException, AccessDeniedException, …)
  --message <text>       the message of the body ("Forbidden", "Missing Authentication Token", …)
  --host <name | URL>    the hostname called (a URL gives the path too)
  --path <path>          the path of the request (/prod/orders)
  --har <file>           explain every API Gateway 403 of a browser capture (HAR 1.2)
  --app <input>          a cdk.out directory, template file or folder of the app (repeatable)
  --region <region>      region of the app's stacks whose region is unknown
  --parameter <K=V>      value of a template parameter of the app (repeatable)
  --parameters <file>    parameter values of the app (as check --parameters)
  --format <text|json>   output format (default: text)
  --out <file>           write the output to a file instead of stdout
  --debug                print stack traces of internal errors

Exit codes: 0 explained (also when no cause fits), 2 bad usage or unusable input.
`,
  options: {
    '--status': true,
    '--error-type': true,
    '--message': true,
    '--host': true,
    '--path': true,
    '--har': true,
    '--app': true,
    ...APP_OPTIONS,
    '--format': true,
    '--out': true,
  },
  run(args: ParsedArgs, io: CliIo): number {
    const format = choice(args, '--format', FORMATS, 'text');
    if (args.positional.length > 0) {
      throw new UsageError(`explain takes no inputs of its own ('${args.positional[0]}'): give the app with --app`);
    }
    const har = lastValue(args, '--har');
    const given = OBSERVATION_OPTIONS.filter((o) => args.values.has(o));
    if (har !== undefined && given.length > 0) {
      throw new UsageError(
        `--har reads the observations from the capture: it cannot be combined with ${given.join(', ')}`,
      );
    }
    if (har === undefined && given.length === 0) {
      throw new UsageError(
        'explain needs what was observed: --status, --error-type, --message, --host or --path, or a capture with --har',
      );
    }
    const observation = har === undefined ? observationOf(args) : undefined;
    const capture = har !== undefined ? readHar(har, io.cwd) : undefined;
    const app = readApp(args, io);
    const explanations = capture
      ? capture.responses.map((r: CapturedResponse) => explainObservation(r.observation, app, r.requests, r.count))
      : [explainObservation(observation!, app)];

    let text: string;
    if (format === 'json') {
      const doc = {
        version: 1,
        capture: capture
          ? {
              file: har,
              entries: capture.entries,
              apiGatewayForbidden: capture.responses.reduce((n, r) => n + r.count, 0),
              otherForbidden: capture.otherForbidden,
              unreadable: capture.unreadable,
            }
          : null,
        tableSize: FORBIDDEN_CAUSES.length,
        responses: explanations.map((e) => jsonExplanation(e, io.cwd, app?.positions ?? new Map())),
      };
      text = `${JSON.stringify(doc, null, 2)}\n`;
    } else {
      const ctx: TextContext = {
        positions: app?.positions ?? new Map(),
        color: io.isTTY && !io.env.NO_COLOR && lastValue(args, '--out') === undefined,
        cwd: io.cwd,
      };
      const blocks = explanations.map((e) => textExplanation(e, ctx).join('\n'));
      const head = capture ? [captureSummary(har!, capture)] : [];
      if (capture && capture.responses.length === 0) head.push('Nothing to explain.');
      text = `${[...head, ...blocks].join('\n\n')}\n`;
    }
    writeOutput(io, lastValue(args, '--out'), text);
    return EXIT_OK;
  },
};
