/**
 * SAM → CloudFormation, for the resources the facts read: the SAM transform's output, written here
 * once, so that a SAM template and its translated CloudFormation give the same graph, the same facts
 * and the same findings. Runs on a raw template (long-form intrinsics, `Globals` already merged into
 * the resources that declare themselves, see template-loader.ts), before the normalizer.
 *
 * What it writes, as the transform does (aws/serverless-application-model, `samtranslator/model/api`,
 * `eventsources/push.py`, `swagger/swagger.py`, `openapi/openapi.py`):
 *
 * - `AWS::Serverless::Api` → `AWS::ApiGateway::RestApi` (same logical id) whose `Body` is the
 *   `DefinitionBody` (or the body SAM generates when there is none) with the paths of the functions'
 *   `Api` events and the API's `Auth` (authorizers, `DefaultAuthorizer`, `ApiKeyRequired`,
 *   `ResourcePolicy` as `x-amazon-apigateway-policy`); `<Api>Deployment<hash>` (with `StageName:
 *   Stage`, SAM's extra stage, unless `OpenApiVersion` is set); `<Api><StageName>Stage`; the usage
 *   plan, API key and usage plan key of `Auth.UsagePlan` (`PER_API`: `<Api>UsagePlan`, `<Api>ApiKey`,
 *   `<Api>UsagePlanKey`; `SHARED`: `ServerlessUsagePlan`, `ServerlessApiKey`,
 *   `ServerlessUsagePlanKey`; `NONE`: nothing); a `Domain`'s `ApiGatewayDomainName<hash>` and its base
 *   path mappings, and for `Domain.Route53` the alias records in `RecordSetGroup<hash>`.
 * - `AWS::Serverless::HttpApi` → `AWS::ApiGatewayV2::Api` (same logical id) with an OpenAPI 3 body
 *   holding the `HttpApi` events' routes and the API's `Auth`; `<Api>ApiGatewayDefaultStage`
 *   (`$default`) or `<Api><StageName>Stage`.
 * - `AWS::Serverless::WebSocketApi` (`websocket_api_generator.py`; no function event adds to it) →
 *   `AWS::ApiGatewayV2::Api` (same logical id, `ProtocolType: WEBSOCKET`); per route of `Routes`,
 *   `<Api><Key>Route`, `<Api><Key>Integration` and `<Api><Key>Permission` (`$connect` → `Connect`,
 *   `$disconnect` → `Disconnect`, `$default` → `Default`, another key capitalized); `Auth` on the
 *   `$connect` route (`AWS_IAM`, `NONE`, or `CUSTOM` with `<Api>ConnectAuthorizer` and, without
 *   `InvokeRole`, `<Api>AuthorizerPermission`); `<Api>DefaultStage` (stage `default`) or
 *   `<Api><StageName>Stage`; a `Domain`'s `ApiGatewayDomainNameV2<hash>`, its API mappings and its
 *   `Route53` records, as for an HTTP API.
 * - State machine events of type `Api` add their methods the same way (a StartExecution integration).
 * - Function events of type `Api` / `HttpApi` without `RestApiId` / `ApiId`: SAM's implicit
 *   `ServerlessRestApi` (stage `Prod`) and `ServerlessHttpApi` (stage `$default`), with the `Globals`
 *   of `Api` / `HttpApi`. (The `Globals` of `WebSocketApi` apply to WebSocket APIs, see template-loader.ts.)
 * - `AWS::Serverless::Function` → `AWS::Lambda::Function` (same logical id), and, when it names no
 *   `Role`, the role SAM makes for it, `<Function>Role`, with its managed policies and the inline
 *   statements of `Policies`.
 *
 * Every resource it makes that the user did not write under that logical id carries
 * {@link SAM_ORIGIN} metadata: the SAM resource (and event) it comes from, so that a finding on it
 * names what the user wrote.
 *
 * Unknown: what SAM cannot add to (a `DefinitionUri` in S3, a `DefinitionBody` that is an intrinsic
 * such as `Fn::Transform`), an event whose `Path` or `Method` is not a literal, an `Auth` that is an
 * intrinsic: the body becomes an unknown value, and with it the methods and the policy. WebSocket
 * `Routes` or a route that is not a mapping, an `Auth` that is an intrinsic: the route is written
 * with an unknown authorization. A SAM policy
 * template in a function's `Policies` (`SQSPollerPolicy: …`) is an unknown policy document. Never
 * throws on template content: a resource it cannot expand is left as it is.
 * See: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html
 */
import { createHash } from 'crypto';
import { own, setOwn } from './bounded';
import { RawTemplate } from './types';

/**
 * The metadata key of a resource made by the expansion: `{ logicalId, property? }` of the SAM
 * resource it comes from (`property`: `Events.GetPets` for an implicit API).
 */
export const SAM_ORIGIN = 'cdk-api-reachability:sam-origin';

/** A SAM resource that made a CloudFormation resource: its logical id, and the part that made it. */
export interface SamOrigin {
  readonly logicalId: string;
  readonly property?: string;
}

type Obj = { [key: string]: unknown };

const IMPLICIT_REST = 'ServerlessRestApi';
const IMPLICIT_HTTP = 'ServerlessHttpApi';

/** Stands for a body SAM writes but the template does not let us know (read as an unknown value). */
const UNKNOWN_BODY = { 'Fn::Sam': 'a definition the transform could not be followed into' };
/** Stands for a value the transform decides from something the template does not show. */
const UNKNOWN_VALUE = { 'Fn::Sam': 'a value the transform resolves' };
/** Stands for a policy document the template does not show (a SAM policy template). */
const UNKNOWN_DOCUMENT = { 'Fn::Sam': 'a SAM policy template' };

/** Whether a template has SAM resources that the expansion turns into CloudFormation. */
export function hasSamResources(template: RawTemplate): boolean {
  const res = template.Resources;
  if (!isObj(res)) return false;
  return Object.keys(res).some((id) => {
    const r = own(res, id);
    return isObj(r) && SAM_TYPES.has(own(r, 'Type') as string);
  });
}

const SAM_TYPES = new Set([
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
  'AWS::Serverless::WebSocketApi',
  'AWS::Serverless::Function',
  'AWS::Serverless::StateMachine',
]);

/**
 * The template as the SAM transform writes it, for the resources the facts read; the template itself
 * when it has no SAM API or function. Never throws: what cannot be expanded stays as written.
 */
export function expandSam(template: RawTemplate): RawTemplate {
  if (!hasSamResources(template)) return template;
  try {
    return new SamExpansion(template).run();
  } catch {
    return template; // hostile input (deep or cyclic values): the template as written
  }
}

/** A REST, HTTP or WebSocket API being written: its resource, its body, its stage. */
interface ApiDraft {
  readonly logicalId: string;
  readonly kind: 'REST' | 'HTTP' | 'WEBSOCKET';
  /** The SAM properties (Globals merged). */
  readonly props: Obj;
  /** The body being edited; undefined when SAM cannot edit it (S3, an intrinsic) or has none (WebSocket). */
  body?: Obj;
  /** The value to write as `Body` when `body` is undefined (an unknown, or absent for S3). */
  bodyAsWritten?: unknown;
  /** The stage name (a literal or an intrinsic). */
  readonly stageName: unknown;
  /** True once some event of it could not be added (its methods are then unknown). */
  unreadable: boolean;
  readonly origin?: SamOrigin;
  /** The SAM resource's own attributes (Condition, Metadata …) for what it writes. */
  readonly raw: Obj;
}

class SamExpansion {
  private readonly resources: Obj;
  private readonly out: Obj = {};
  private readonly globals: Obj;
  private readonly apis = new Map<string, ApiDraft>();
  private readonly shared = { apiStages: [] as unknown[], stageKeys: [] as unknown[], first: '' };
  /** The `RecordSetGroup<hash>` of each hosted zone, shared by every API's `Domain.Route53` that names it. */
  private readonly recordGroups = new Map<string, Obj>();

  constructor(private readonly template: RawTemplate) {
    this.resources = template.Resources as Obj;
    const g = (template as { Globals?: unknown }).Globals;
    this.globals = isObj(g) ? g : {};
  }

  public run(): RawTemplate {
    const ids = Object.keys(this.resources);
    // Explicit APIs first: events name them.
    for (const id of ids) {
      const r = own(this.resources, id);
      if (!isObj(r)) continue;
      const type = own(r, 'Type');
      if (type === 'AWS::Serverless::Api') this.draft(id, 'REST', r);
      else if (type === 'AWS::Serverless::HttpApi') this.draft(id, 'HTTP', r);
      else if (type === 'AWS::Serverless::WebSocketApi') this.draftWebSocket(id, r);
    }
    // Then the functions and state machines, in logical-id order (the order changes no fact), and their events.
    for (const id of [...ids].sort()) {
      const r = own(this.resources, id);
      const type = isObj(r) ? own(r, 'Type') : undefined;
      if (type === 'AWS::Serverless::Function' || type === 'AWS::Serverless::StateMachine') {
        this.functionEvents(id, r as Obj);
      }
    }
    for (const id of ids) {
      const r = own(this.resources, id);
      if (isObj(r) && this.apis.has(id) && (own(r, 'Type') as string).startsWith('AWS::Serverless::')) continue;
      if (isObj(r) && own(r, 'Type') === 'AWS::Serverless::Function') {
        this.writeFunction(id, r);
        continue;
      }
      setOwn(this.out, id, r);
    }
    for (const api of this.apis.values()) {
      if (api.kind === 'REST') this.writeRest(api);
      else if (api.kind === 'HTTP') this.writeHttp(api);
      else this.writeWebSocket(api);
    }
    return { ...this.template, Resources: this.out };
  }

  // ---- APIs -------------------------------------------------------------------------------

  private draft(logicalId: string, kind: 'REST' | 'HTTP', raw: Obj, origin?: SamOrigin): ApiDraft {
    const p = own(raw, 'Properties');
    const props = isObj(p) ? p : {};
    const body = own(props, 'DefinitionBody');
    const uri = own(props, 'DefinitionUri');
    const d: ApiDraft = {
      logicalId,
      kind,
      props,
      stageName: kind === 'REST' ? own(props, 'StageName') : (own(props, 'StageName') ?? '$default'),
      unreadable: false,
      origin,
      raw,
    };
    if (uri !== undefined) {
      d.bodyAsWritten = undefined; // BodyS3Location: the facts read it as a body outside the app
    } else if (body === undefined) {
      // With OpenApiVersion 3.x, SAM writes the REST body it generates as OpenAPI 3.
      const version = own(props, 'OpenApiVersion');
      d.body =
        kind === 'HTTP'
          ? httpSkeleton()
          : typeof version === 'string' && /^3\./.test(version)
            ? restSkeleton(version)
            : restSkeleton();
    } else if (isObj(body) && !isIntrinsic(body) && isObj(own(body, 'paths') ?? {})) {
      d.body = copy(body) as Obj;
    } else {
      d.bodyAsWritten = UNKNOWN_BODY; // Fn::Transform (AWS::Include) and other intrinsics
    }
    this.apis.set(logicalId, d);
    return d;
  }

  /** A WebSocket API: no body, no event adds to it; its stage is `default` unless `StageName` says otherwise. */
  private draftWebSocket(logicalId: string, raw: Obj): void {
    const p = own(raw, 'Properties');
    const props = isObj(p) ? p : {};
    this.apis.set(logicalId, {
      logicalId,
      kind: 'WEBSOCKET',
      props,
      stageName: own(props, 'StageName') ?? 'default',
      unreadable: false,
      raw,
    });
  }

  /** The implicit API of a kind, made on first use with the Globals of `Api` / `HttpApi`. */
  private implicit(kind: 'REST' | 'HTTP', origin: SamOrigin): ApiDraft | undefined {
    const id = kind === 'REST' ? IMPLICIT_REST : IMPLICIT_HTTP;
    const found = this.apis.get(id);
    if (found) return found.kind === kind ? found : undefined;
    if (own(this.resources, id) !== undefined) return undefined; // the user's own resource of that name
    const g = own(this.globals, kind === 'REST' ? 'Api' : 'HttpApi');
    const props: Obj = { ...(isObj(g) ? g : {}) };
    // SAM's implicit APIs: stage Prod (REST) or $default (HTTP); their body is always generated.
    if (kind === 'REST') props.StageName = 'Prod';
    delete props.DefinitionBody;
    delete props.DefinitionUri;
    return this.draft(
      id,
      kind,
      { Type: kind === 'REST' ? 'AWS::Serverless::Api' : 'AWS::Serverless::HttpApi', Properties: props },
      origin,
    );
  }

  private functionEvents(fnId: string, fn: Obj): void {
    const props = own(fn, 'Properties');
    const events = isObj(props) ? own(props, 'Events') : undefined;
    if (!isObj(events)) return;
    for (const name of Object.keys(events)) {
      const e = own(events, name);
      if (!isObj(e)) continue;
      const type = own(e, 'Type');
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const stateMachine = own(fn, 'Type') === 'AWS::Serverless::StateMachine';
      if (stateMachine && type !== 'Api') continue; // a state machine has Api events only
      const ep = own(e, 'Properties');
      const eventProps = isObj(ep) ? ep : {};
      const origin: SamOrigin = { logicalId: fnId, property: `Properties.Events.${name}` };
      const kind = type === 'Api' ? 'REST' : 'HTTP';
      const target = own(eventProps, kind === 'REST' ? 'RestApiId' : 'ApiId');
      let api: ApiDraft | undefined;
      if (target === undefined) {
        api = this.implicit(kind, origin);
      } else {
        // Only a Ref to a SAM API of the template is added to (SAM refuses anything else).
        const ref = isObj(target) ? own(target, 'Ref') : undefined;
        const named = typeof ref === 'string' ? this.apis.get(ref) : undefined;
        api = named?.kind === kind ? named : undefined;
      }
      if (!api) continue;
      this.addEvent(api, fnId, own(fn, 'Condition'), eventProps, stateMachine);
    }
  }

  private addEvent(api: ApiDraft, fnId: string, condition: unknown, e: Obj, stateMachine = false): void {
    if (!api.body) return;
    const givenPath = own(e, 'Path');
    const givenMethod = own(e, 'Method');
    const catchAll = api.kind === 'HTTP' && givenPath === undefined && givenMethod === undefined;
    const given = catchAll ? '$default' : givenPath;
    const method = catchAll ? 'any' : givenMethod;
    if (typeof given !== 'string' || typeof method !== 'string') {
      api.unreadable = true;
      return;
    }
    // SAM moves the HTTP API's `$default` path to `/$default`, its catch-all route.
    const path: string = api.kind === 'HTTP' && given === '$default' ? '/$default' : given;
    const verb = methodKey(method);
    const paths = objectAt(api.body, 'paths');
    const item = objectAt(paths, path);
    if (own(item, verb) !== undefined) return; // SAM refuses a method defined twice
    const op: Obj = {
      'x-amazon-apigateway-integration': stateMachine
        ? {
            type: 'aws',
            httpMethod: 'POST',
            uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution' },
          }
        : api.kind === 'REST'
          ? {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: {
                'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fnId}.Arn}/invocations`,
              },
            }
          : {
              type: 'aws_proxy',
              httpMethod: 'POST',
              payloadFormatVersion: own(e, 'PayloadFormatVersion') ?? '2.0',
              uri: { 'Fn::GetAtt': [fnId, 'Arn'] },
            },
      responses: {},
    };
    setOwn(item, verb, op);
    const auth = own(e, 'Auth');
    if (auth !== undefined && !isObj(auth)) {
      api.unreadable = true;
    } else if (isObj(auth)) {
      const authorizer = own(auth, 'Authorizer');
      if (authorizer !== undefined) {
        if (typeof authorizer !== 'string') api.unreadable = true;
        else this.addSecurity(api, op, authorizer, own(auth, 'AuthorizationScopes'));
      }
      const key = own(auth, 'ApiKeyRequired');
      if (api.kind === 'REST' && key !== undefined) {
        if (key === true || key === 'true') {
          addRequirement(op, 'api_key');
          this.schemes(api).api_key ??= API_KEY_SCHEME;
        } else if (key === false || key === 'false') {
          addRequirement(op, 'api_key_false');
        } else {
          api.unreadable = true;
        }
      }
      const policy = own(auth, 'ResourcePolicy');
      if (api.kind === 'REST' && policy !== undefined) {
        if (!isObj(policy)) api.unreadable = true;
        else this.addResourcePolicy(api, policy, [path]);
      }
    }
    // A function with a Condition: SAM wraps the method in Fn::If, so it may not exist.
    if (typeof condition === 'string') {
      setOwn(item, verb, { 'Fn::If': [condition, own(item, verb), { Ref: 'AWS::NoValue' }] });
    }
  }

  /** Adds an authorizer requirement to a method, as `_set_method_authorizer` does. */
  private addSecurity(api: ApiDraft, op: Obj, name: string, scopes: unknown): void {
    addRequirement(op, name, Array.isArray(scopes) ? scopes : []);
    if (name === 'AWS_IAM') this.schemes(api).AWS_IAM ??= IAM_SCHEME;
  }

  /** The body's security schemes: `securityDefinitions` (Swagger 2) or `components.securitySchemes` (OpenAPI 3). */
  private schemes(api: ApiDraft): Obj {
    const body = api.body!;
    if (api.kind === 'HTTP' || own(body, 'openapi') !== undefined) {
      return objectAt(objectAt(body, 'components'), 'securitySchemes');
    }
    return objectAt(body, 'securityDefinitions');
  }

  /** What `_add_auth` does once the events are in: authorizers, default authorizer, API key, policy. */
  private applyApiAuth(api: ApiDraft): void {
    const auth = own(api.props, 'Auth');
    if (auth === undefined || !api.body) return;
    if (!isObj(auth) || isIntrinsic(auth)) {
      api.unreadable = true;
      return;
    }
    const paths = Object.keys(objectAt(api.body, 'paths'));
    const authorizers = own(auth, 'Authorizers');
    const names = new Set<string>(['AWS_IAM']);
    if (isObj(authorizers)) {
      for (const name of Object.keys(authorizers)) {
        names.add(name);
        const scheme = authorizerScheme(api.kind, own(authorizers, name));
        if (scheme) setOwn(this.schemes(api), name, scheme);
        else api.unreadable = true;
      }
    }
    const iamEnabled =
      api.kind === 'HTTP' && (own(auth, 'EnableIamAuthorizer') === true || own(auth, 'EnableIamAuthorizer') === 'true');
    if (iamEnabled) this.schemes(api).AWS_IAM ??= IAM_SCHEME;
    const dflt = own(auth, 'DefaultAuthorizer');
    if (dflt !== undefined && typeof dflt !== 'string') api.unreadable = true;
    if (typeof dflt === 'string') {
      if (dflt === 'AWS_IAM') this.schemes(api).AWS_IAM ??= IAM_SCHEME;
      const preflight = api.kind === 'REST' ? own(auth, 'AddDefaultAuthorizerToCorsPreflight') !== false : true;
      for (const path of paths) this.defaultAuthorizer(api, path, dflt, names, preflight, authorizers);
    }
    if (api.kind === 'REST') {
      const key = own(auth, 'ApiKeyRequired');
      if (key === true || key === 'true') {
        this.schemes(api).api_key ??= API_KEY_SCHEME;
        const preflight = own(auth, 'AddApiKeyRequiredToCorsPreflight') !== false;
        for (const path of paths) defaultApiKey(api, path, preflight);
      } else if (key !== undefined && key !== false && key !== 'false') {
        api.unreadable = true;
      }
      const policy = own(auth, 'ResourcePolicy');
      if (policy !== undefined) {
        if (!isObj(policy) || isIntrinsic(policy)) api.unreadable = true;
        else this.addResourcePolicy(api, policy, paths, api.stageName);
      }
    }
    // Markers SAM leaves for the defaults (`NONE`, `api_key_false`) never reach the deployed API.
    for (const path of paths) {
      for (const op of operations(api.body, path)) {
        const sec = own(op, 'security');
        if (Array.isArray(sec)) {
          setOwn(
            op,
            'security',
            sec.filter((s) => !(isObj(s) && ('NONE' in s || 'api_key_false' in s))),
          );
        }
      }
    }
  }

  /** `set_path_default_authorizer`: the default applies where no event chose an authorizer or NONE. */
  private defaultAuthorizer(
    api: ApiDraft,
    path: string,
    dflt: string,
    names: Set<string>,
    preflight: boolean,
    authorizers: unknown,
  ): void {
    for (const [verb, op] of operationEntries(api.body!, path)) {
      if (!preflight && verb === 'options') continue;
      const existing = Array.isArray(own(op, 'security')) ? (own(op, 'security') as unknown[]) : [];
      const others = existing.filter((s) => !(isObj(s) && Object.keys(s).some((k) => names.has(k))));
      const chosen = existing.filter((s) => isObj(s) && Object.keys(s).some((k) => names.has(k)));
      const none = others.findIndex((s) => isObj(s) && 'NONE' in s);
      let security: unknown[];
      if (none >= 0) {
        security = others.filter((_, i) => i !== none);
      } else if (chosen.length > 0) {
        security = [...others, ...chosen];
      } else {
        const scopes = get(get(authorizers, dflt), 'AuthorizationScopes');
        security = [...others, { [dflt]: Array.isArray(scopes) ? scopes : [] }];
      }
      if (security.length > 0) setOwn(op, 'security', security);
      const first = security[0];
      if (isObj(first) && 'AWS_IAM' in first) this.schemes(api).AWS_IAM ??= IAM_SCHEME;
    }
  }

  /**
   * `add_resource_policy` for these paths (one Allow and one Deny per path and list, with the path's
   * methods as resources; nothing for a path without methods), then `CustomStatements`.
   */
  private addResourcePolicy(api: ApiDraft, policy: Obj, paths: string[], stage: unknown = api.stageName): void {
    const doc = objectAt(api.body!, 'x-amazon-apigateway-policy');
    const statements: unknown[] = [];
    const existing = own(doc, 'Statement');
    if (existing !== undefined) statements.push(...(Array.isArray(existing) ? existing : [existing]));
    const push = (s: Obj) => {
      if (!statements.some((x) => sameJson(x, s))) statements.push(s);
    };
    const listed = (k: string) => {
      const v = own(policy, k);
      return v === undefined || v === null ? undefined : Array.isArray(v) ? v : [v];
    };
    for (const path of paths) {
      const resources = methodResources(api.body!, path, stage);
      const allowDeny = (condition: Obj) => {
        push({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' });
        push({
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: resources,
          Principal: '*',
          Condition: condition,
        });
      };
      const accounts = (k: string, effect: string) => {
        const v = own(policy, k);
        if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
        // Not de-duplicated: SAM appends one statement per path and list.
        statements.push({
          Effect: effect,
          Action: 'execute-api:Invoke',
          Resource: resources,
          Principal: { AWS: Array.isArray(v) ? v : [v] },
        });
      };
      accounts('AwsAccountWhitelist', 'Allow');
      accounts('AwsAccountBlacklist', 'Deny');
      const ipAllow = listed('IpRangeWhitelist');
      if (ipAllow?.length) allowDeny({ NotIpAddress: { 'aws:SourceIp': ipAllow } });
      const ipDeny = listed('IpRangeBlacklist');
      if (ipDeny?.length) allowDeny({ IpAddress: { 'aws:SourceIp': ipDeny } });
      const vpcDeny = vpcCondition(
        listed('SourceVpcBlacklist'),
        listed('IntrinsicVpcBlacklist'),
        listed('IntrinsicVpceBlacklist'),
      );
      if (vpcDeny) allowDeny({ StringEquals: vpcDeny });
      const vpcAllow = vpcCondition(
        listed('SourceVpcWhitelist'),
        listed('IntrinsicVpcWhitelist'),
        listed('IntrinsicVpceWhitelist'),
      );
      if (vpcAllow) allowDeny({ StringNotEquals: vpcAllow });
    }
    const custom = own(policy, 'CustomStatements');
    if (custom !== undefined && custom !== null && !(Array.isArray(custom) && custom.length === 0)) {
      if (statements.length === 0 && existing === undefined) {
        setOwn(doc, 'Version', '2012-10-17');
        setOwn(doc, 'Statement', custom);
        return;
      }
      for (const s of Array.isArray(custom) ? custom : [custom]) push(s as Obj);
    }
    if (statements.length === 0) {
      if (Object.keys(doc).length === 0) delete (api.body as Obj)['x-amazon-apigateway-policy'];
      return;
    }
    setOwn(doc, 'Version', '2012-10-17');
    setOwn(
      doc,
      'Statement',
      statements.length === 1 && existing !== undefined && !Array.isArray(existing) ? statements[0] : statements,
    );
  }

  private finalBody(api: ApiDraft): unknown {
    if (api.unreadable) return UNKNOWN_BODY;
    return api.body ?? api.bodyAsWritten;
  }

  private writeRest(api: ApiDraft): void {
    this.applyApiAuth(api);
    const p = api.props;
    const rest: Obj = {};
    const body = this.finalBody(api);
    const disabled = own(p, 'DisableExecuteApiEndpoint');
    if (disabled !== undefined && isObj(body) && !isIntrinsic(body)) addDisableExtension(body, disabled);
    if (own(p, 'DefinitionUri') !== undefined) rest.BodyS3Location = s3Location(own(p, 'DefinitionUri'));
    else if (body !== undefined) rest.Body = body;
    const endpoint = own(p, 'EndpointConfiguration');
    if (endpoint !== undefined) {
      if (isObj(endpoint) && !isIntrinsic(endpoint)) {
        const cfg: Obj = { Types: [own(endpoint, 'Type')] };
        if (own(endpoint, 'VPCEndpointIds') !== undefined) cfg.VpcEndpointIds = own(endpoint, 'VPCEndpointIds');
        if (own(endpoint, 'IpAddressType') !== undefined) cfg.IpAddressType = own(endpoint, 'IpAddressType');
        rest.EndpointConfiguration = cfg;
        rest.Parameters = { endpointConfigurationTypes: own(endpoint, 'Type') };
      } else {
        rest.EndpointConfiguration = { Types: [endpoint] };
        rest.Parameters = { endpointConfigurationTypes: endpoint };
      }
    }
    for (const k of [
      'Name',
      'Description',
      'Mode',
      'ApiKeySourceType',
      'Policy',
      'BinaryMediaTypes',
      'MinimumCompressionSize',
      'SecurityPolicy',
    ]) {
      if (own(p, k) !== undefined) rest[k] = own(p, k);
    }
    this.put(api, api.logicalId, 'AWS::ApiGateway::RestApi', rest, api.origin);
    const deploymentId = `${api.logicalId}Deployment${sha1(stableJson(rest.Body ?? rest.BodyS3Location ?? {})).slice(0, 10)}`;
    const deployment: Obj = { RestApiId: { Ref: api.logicalId } };
    // SAM's extra stage: every REST API gets a stage named `Stage` unless OpenApiVersion is set.
    if (own(p, 'OpenApiVersion') === undefined) deployment.StageName = 'Stage';
    const origin = api.origin ?? { logicalId: api.logicalId };
    this.put(api, deploymentId, 'AWS::ApiGateway::Deployment', deployment, origin);
    const stageId = stageLogicalId(api.logicalId, api.stageName, false);
    this.put(
      api,
      stageId,
      'AWS::ApiGateway::Stage',
      { RestApiId: { Ref: api.logicalId }, DeploymentId: { Ref: deploymentId }, StageName: api.stageName },
      origin,
    );
    this.usagePlan(api, stageId, origin);
    this.domain(api, stageId, origin);
  }

  private usagePlan(api: ApiDraft, stageId: string, origin: SamOrigin): void {
    const plan = get(own(api.props, 'Auth'), 'UsagePlan');
    if (!isObj(plan)) return;
    const create = own(plan, 'CreateUsagePlan');
    const apiStage = { ApiId: { Ref: api.logicalId }, Stage: { Ref: stageId } };
    const stageKey = { RestApiId: { Ref: api.logicalId }, StageName: { Ref: stageId } };
    if (create !== undefined && typeof create !== 'string') {
      // A parameter or other intrinsic (SAM resolves some of them to the parameter's default): which
      // plan, if any, is unknown. Written as a plan of the API on an unknown stage, which tells the
      // facts that some plan may cover any stage of it.
      this.put(
        api,
        `${api.logicalId}UsagePlan`,
        'AWS::ApiGateway::UsagePlan',
        { ApiStages: [{ ApiId: { Ref: api.logicalId }, Stage: UNKNOWN_VALUE }] },
        origin,
      );
    } else if (create === 'PER_API') {
      const planId = `${api.logicalId}UsagePlan`;
      this.put(api, planId, 'AWS::ApiGateway::UsagePlan', { ApiStages: [apiStage] }, origin);
      this.put(
        api,
        `${api.logicalId}ApiKey`,
        'AWS::ApiGateway::ApiKey',
        { Enabled: true, StageKeys: [stageKey] },
        origin,
      );
      this.put(
        api,
        `${api.logicalId}UsagePlanKey`,
        'AWS::ApiGateway::UsagePlanKey',
        {
          KeyId: { Ref: `${api.logicalId}ApiKey` },
          KeyType: 'API_KEY',
          UsagePlanId: { Ref: planId },
        },
        origin,
      );
    } else if (create === 'SHARED') {
      // One plan, key and plan key for every API that asks for SHARED: the resources are rewritten
      // with each API, holding the stages of all of them so far (the first API's origin is kept).
      this.shared.apiStages.push(apiStage);
      this.shared.stageKeys.push(stageKey);
      const first = this.shared.first || api.logicalId;
      this.shared.first = first;
      const sharedOrigin = this.apis.get(first)?.origin ?? { logicalId: first, property: 'Properties.Auth.UsagePlan' };
      setOwn(this.out, 'ServerlessUsagePlan', {
        Type: 'AWS::ApiGateway::UsagePlan',
        Properties: { ApiStages: [...this.shared.apiStages] },
        Metadata: { [SAM_ORIGIN]: sharedOrigin },
      });
      setOwn(this.out, 'ServerlessApiKey', {
        Type: 'AWS::ApiGateway::ApiKey',
        Properties: { Enabled: true, StageKeys: [...this.shared.stageKeys] },
        Metadata: { [SAM_ORIGIN]: sharedOrigin },
      });
      setOwn(this.out, 'ServerlessUsagePlanKey', {
        Type: 'AWS::ApiGateway::UsagePlanKey',
        Properties: {
          KeyId: { Ref: 'ServerlessApiKey' },
          KeyType: 'API_KEY',
          UsagePlanId: { Ref: 'ServerlessUsagePlan' },
        },
        Metadata: { [SAM_ORIGIN]: sharedOrigin },
      });
    }
  }

  /**
   * A `Domain`: `ApiGatewayDomainName<hash>` (or `ApiGatewayDomainNameV2<hash>` for a PRIVATE one,
   * with its `Policy` and the `DomainNameAccessAssociation<hash>` of `AccessAssociation`) and one
   * base path mapping per base path, under SAM's logical ids.
   */
  private domain(api: ApiDraft, stageId: string, origin: SamOrigin): void {
    const domain = own(api.props, 'Domain');
    if (!isObj(domain) || isIntrinsic(domain)) return;
    const name = own(domain, 'DomainName');
    const endpoint = own(domain, 'EndpointConfiguration') ?? 'REGIONAL';
    const isPrivate = endpoint === 'PRIVATE';
    const hash = sha1(typeof name === 'string' ? name : stableJson(name)).slice(0, 10);
    const domainId = `${isPrivate ? 'ApiGatewayDomainNameV2' : 'ApiGatewayDomainName'}${hash}`;
    const props: Obj = { DomainName: name, EndpointConfiguration: { Types: [endpoint] } };
    // `Domain.IpAddressType` goes to the domain's EndpointConfiguration (SAM's api_domain_ipaddresstype fixtures).
    if (own(domain, 'IpAddressType') !== undefined) {
      (props.EndpointConfiguration as Obj).IpAddressType = own(domain, 'IpAddressType');
    }
    for (const k of ['MutualTlsAuthentication', 'SecurityPolicy', 'Policy']) {
      if (own(domain, k) !== undefined) props[k] = own(domain, k);
    }
    this.put(api, domainId, isPrivate ? 'AWS::ApiGateway::DomainNameV2' : 'AWS::ApiGateway::DomainName', props, origin);
    this.route53(api, domain, domainId, endpoint, origin);
    const basePaths = own(domain, 'BasePath');
    const normalize = own(domain, 'NormalizeBasePath') !== false;
    const list = basePaths === undefined ? undefined : Array.isArray(basePaths) ? basePaths : [basePaths];
    const target = isPrivate ? { DomainNameArn: { Ref: domainId } } : { DomainName: { Ref: domainId } };
    const type = isPrivate ? 'AWS::ApiGateway::BasePathMappingV2' : 'AWS::ApiGateway::BasePathMapping';
    const base = { ...target, RestApiId: { Ref: api.logicalId }, Stage: { Ref: stageId } };
    if (list === undefined) {
      this.put(api, `${api.logicalId}BasePathMapping`, type, base, origin);
    } else {
      for (const bp of list) {
        const path = typeof bp === 'string' ? bp.replace(/[^0-9a-zA-Z]/g, '') : '';
        this.put(
          api,
          `${api.logicalId}${path}BasePathMapping`,
          type,
          { ...base, BasePath: normalize ? path : bp },
          origin,
        );
      }
    }
    const association = own(domain, 'AccessAssociation');
    if (isPrivate && isObj(association)) {
      const vpce = own(association, 'VpcEndpointId');
      const id = `DomainNameAccessAssociation${sha1(JSON.stringify([vpce, domainId]) ?? '').slice(0, 10)}`;
      this.put(
        api,
        id,
        'AWS::ApiGateway::DomainNameAccessAssociation',
        {
          DomainNameArn: { Ref: domainId },
          AccessAssociationSourceType: 'VPCE',
          AccessAssociationSource: vpce,
        },
        origin,
      );
    }
  }

  /**
   * A `Domain.Route53`: the A (and, with `IpV6: true`, AAAA) alias record of the domain name, in the
   * `AWS::Route53::RecordSetGroup` SAM writes for its hosted zone: `RecordSetGroup<hash of the zone>`, one group
   * shared by every API of the template that names the same zone, or, with `SeparateRecordSetGroup`, a group of its
   * own (`RecordSetGroup<hash of zone and domain name>`; REST APIs only). The alias targets the regional name of a
   * REGIONAL domain, the CloudFront distribution of an EDGE one (zone `Z2FDTNDATAQYW2`), and the `VpcEndpointDomainName`
   * / `VpcEndpointHostedZoneId` given for a PRIVATE one. What SAM refuses (no zone; HTTP or WebSocket domains that are
   * not REGIONAL) writes nothing. A WebSocket API's group is its own, as SAM writes it (it is handed no shared map):
   * of several naming one zone, the last written is what the template holds.
   */
  private route53(
    api: ApiDraft,
    domain: Obj,
    domainId: string,
    endpoint: unknown,
    origin: SamOrigin,
    v2 = false,
  ): void {
    const websocket = api.kind === 'WEBSOCKET';
    const r53 = own(domain, 'Route53');
    if (!isObj(r53) || isIntrinsic(r53)) return;
    const zoneId = own(r53, 'HostedZoneId');
    const zoneName = own(r53, 'HostedZoneName');
    const zone = zoneId ?? zoneName;
    if (zone === undefined || zone === null) return;
    const target: Obj = {};
    if (own(r53, 'EvaluateTargetHealth') !== undefined) target.EvaluateTargetHealth = own(r53, 'EvaluateTargetHealth');
    if (endpoint === 'REGIONAL') {
      target.HostedZoneId = { 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] };
      target.DNSName = { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] };
    } else if (v2) {
      return; // SAM: "Only REGIONAL endpoint is supported on HTTP APIs."
    } else if (endpoint === 'EDGE') {
      target.HostedZoneId = 'Z2FDTNDATAQYW2';
      target.DNSName = own(r53, 'DistributionDomainName') ?? { 'Fn::GetAtt': [domainId, 'DistributionDomainName'] };
    } else {
      target.HostedZoneId = own(r53, 'VpcEndpointHostedZoneId');
      target.DNSName = own(r53, 'VpcEndpointDomainName');
    }
    const records: Obj[] = [];
    for (const type of own(r53, 'IpV6') === true ? ['A', 'AAAA'] : ['A']) {
      const record: Obj = { Name: own(domain, 'DomainName'), Type: type, AliasTarget: target };
      for (const k of ['Region', 'SetIdentifier']) if (own(r53, k) !== undefined) record[k] = own(r53, k);
      records.push(record);
    }
    const hash = (v: unknown) => sha1(typeof v === 'string' ? v : stableJson(v)).slice(0, 10);
    const zoneProps = (): Obj => {
      const props: Obj = {};
      if (zoneId !== undefined) props.HostedZoneId = zoneId;
      if (zoneName !== undefined && (!v2 || zoneId === undefined)) props.HostedZoneName = zoneName;
      return props;
    };
    if (!v2 && own(r53, 'SeparateRecordSetGroup') === true) {
      const id = `RecordSetGroup${hash([zone, own(domain, 'DomainName')])}`;
      this.put(api, id, 'AWS::Route53::RecordSetGroup', { ...zoneProps(), RecordSets: records }, origin);
      return;
    }
    const id = `RecordSetGroup${hash(zone)}`;
    if (websocket) {
      // SAM hands each WebSocket API a map of groups of its own: its group replaces any other of that zone.
      this.put(api, id, 'AWS::Route53::RecordSetGroup', { ...zoneProps(), RecordSets: records }, origin);
      return;
    }
    const group = this.recordGroups.get(id);
    if (group) {
      // The group the first API wrote (with its attributes), holding every record so far, written again:
      // it replaces what a WebSocket API may have written under the same id since.
      ((group.Properties as Obj).RecordSets as unknown[]).push(...records);
      setOwn(this.out, id, group);
      return;
    }
    this.put(api, id, 'AWS::Route53::RecordSetGroup', { ...zoneProps(), RecordSets: records }, origin);
    this.recordGroups.set(id, own(this.out, id) as Obj);
  }

  private writeHttp(api: ApiDraft): void {
    this.applyApiAuth(api);
    const p = api.props;
    const http: Obj = {};
    const body = this.finalBody(api);
    // SAM writes DisableExecuteApiEndpoint into the body, not as the property.
    const disabled = own(p, 'DisableExecuteApiEndpoint');
    if (disabled !== undefined && isObj(body) && !isIntrinsic(body)) addDisableExtension(body, disabled);
    else if (disabled !== undefined) http.DisableExecuteApiEndpoint = disabled;
    if (own(p, 'DefinitionUri') !== undefined) http.BodyS3Location = s3Location(own(p, 'DefinitionUri'));
    else if (body !== undefined) http.Body = body;
    for (const k of ['Name', 'Description']) {
      if (own(p, k) !== undefined) http[k] = own(p, k);
    }
    this.put(api, api.logicalId, 'AWS::ApiGatewayV2::Api', http, api.origin);
    const stageId = stageLogicalId(api.logicalId, api.stageName, true);
    const origin = api.origin ?? { logicalId: api.logicalId };
    this.put(
      api,
      stageId,
      'AWS::ApiGatewayV2::Stage',
      { ApiId: { Ref: api.logicalId }, StageName: api.stageName, AutoDeploy: true },
      origin,
    );
    this.httpDomain(api, stageId, origin);
  }

  /**
   * An HTTP or WebSocket API's `Domain` (`ApiV2Generator`): `ApiGatewayDomainNameV2<hash>` and its API
   * mappings, under SAM's logical ids.
   */
  private httpDomain(api: ApiDraft, stageId: string, origin: SamOrigin): void {
    const domain = own(api.props, 'Domain');
    if (!isObj(domain) || isIntrinsic(domain)) return;
    const name = own(domain, 'DomainName');
    const domainId = `ApiGatewayDomainNameV2${sha1(typeof name === 'string' ? name : stableJson(name)).slice(0, 10)}`;
    const props: Obj = { DomainName: name };
    const config: Obj = {
      CertificateArn: own(domain, 'CertificateArn'),
      EndpointType: own(domain, 'EndpointConfiguration') ?? 'REGIONAL',
    };
    for (const k of ['OwnershipVerificationCertificateArn', 'SecurityPolicy']) {
      if (own(domain, k)) config[k] = own(domain, k);
    }
    props.DomainNameConfigurations = [config];
    if (own(domain, 'MutualTlsAuthentication') !== undefined) {
      props.MutualTlsAuthentication = own(domain, 'MutualTlsAuthentication');
    }
    this.put(api, domainId, 'AWS::ApiGatewayV2::DomainName', props, origin);
    this.route53(api, domain, domainId, config.EndpointType, origin, true);
    const base = { DomainName: { Ref: domainId }, ApiId: { Ref: api.logicalId }, Stage: { Ref: stageId } };
    const basePaths = own(domain, 'BasePath');
    const list = basePaths === undefined ? undefined : Array.isArray(basePaths) ? basePaths : [basePaths];
    if (list === undefined) {
      this.put(api, `${api.logicalId}ApiMapping`, 'AWS::ApiGatewayV2::ApiMapping', base, origin);
      return;
    }
    list.forEach((bp, i) => {
      if (typeof bp !== 'string') {
        // SAM refuses it; a mapping whose key is unknown keeps the domain mapped.
        this.put(
          api,
          `${api.logicalId}${i}ApiMapping`,
          'AWS::ApiGatewayV2::ApiMapping',
          { ...base, ApiMappingKey: UNKNOWN_VALUE },
          origin,
        );
        return;
      }
      this.put(
        api,
        `${api.logicalId}${bp.replace(/[-_/]+/g, '')}ApiMapping`,
        'AWS::ApiGatewayV2::ApiMapping',
        { ...base, ApiMappingKey: bp.replace(/^\/+|\/+$/g, '') },
        origin,
      );
    });
  }

  /** What `WebSocketApiGenerator` writes: the API, its routes with their integrations and permissions, auth, stage, domain. */
  private writeWebSocket(api: ApiDraft): void {
    const p = api.props;
    const id = api.logicalId;
    const tags = own(p, 'Tags');
    const ws: Obj = {
      Name: own(p, 'Name') ?? id,
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: own(p, 'RouteSelectionExpression'),
      Tags: { ...(isObj(tags) ? tags : {}), 'websocketapi:createdBy': 'SAM' },
    };
    for (const k of [
      'ApiKeySelectionExpression',
      'Description',
      'DisableExecuteApiEndpoint',
      'DisableSchemaValidation',
      'IpAddressType',
    ]) {
      if (own(p, k) !== undefined) ws[k] = own(p, k);
    }
    this.put(api, id, 'AWS::ApiGatewayV2::Api', ws);
    const origin: SamOrigin = { logicalId: id };
    const stage = api.stageName;
    const auth = own(p, 'Auth');
    const authType =
      isObj(auth) && !isIntrinsic(auth) ? own(auth, 'AuthType') : auth === undefined ? undefined : UNKNOWN_VALUE;
    const routes = own(p, 'Routes');
    let custom = false;
    const keys = isObj(routes) && !isIntrinsic(routes) ? Object.keys(routes) : [];
    if (keys.length === 0 && routes !== undefined) {
      // Routes SAM resolves (a parameter): some routes, whose keys and authorization are unknown.
      this.put(
        api,
        `${id}Route`,
        'AWS::ApiGatewayV2::Route',
        {
          ApiId: { Ref: id },
          RouteKey: UNKNOWN_VALUE,
          AuthorizationType: UNKNOWN_VALUE,
          ApiKeyRequired: UNKNOWN_VALUE,
        },
        origin,
      );
    }
    for (const key of keys) {
      const part = routeIdPart(key);
      if (part === undefined) continue; // SAM refuses a key that is not alphanumeric (nor $connect, $disconnect, $default)
      const given = own(routes as Obj, key);
      const spec: Obj = isObj(given) && !isIntrinsic(given) ? given : {};
      const routeId = `${id}${part}Route`;
      const integrationId = `${id}${part}Integration`;
      const route: Obj = { ApiId: { Ref: id }, RouteKey: key };
      if (spec !== given) {
        route.AuthorizationType = UNKNOWN_VALUE;
        route.ApiKeyRequired = UNKNOWN_VALUE;
      }
      for (const k of [
        'ApiKeyRequired',
        'ModelSelectionExpression',
        'OperationName',
        'RequestModels',
        'RequestParameters',
        'RouteResponseSelectionExpression',
      ]) {
        if (own(spec, k) !== undefined) route[k] = own(spec, k);
      }
      route.Target = { 'Fn::Join': ['/', ['integrations', { Ref: integrationId }]] };
      // Auth applies to the $connect route only (SAM refuses Auth without one).
      if (key === '$connect' && authType !== undefined) {
        if (authType === 'CUSTOM' && get(auth, 'AuthArn')) {
          route.AuthorizationType = 'CUSTOM';
          route.AuthorizerId = { Ref: `${id}ConnectAuthorizer` };
          custom = true;
        } else if (authType === 'AWS_IAM') {
          route.AuthorizationType = 'AWS_IAM';
        } else if (typeof authType === 'string') {
          route.AuthorizationType = 'NONE';
        } else {
          route.AuthorizationType = UNKNOWN_VALUE;
        }
      }
      this.put(api, routeId, 'AWS::ApiGatewayV2::Route', route, origin);
      const fnArn = own(spec, 'FunctionArn');
      const integration: Obj = {
        ApiId: { Ref: id },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations',
            { FunctionArn: fnArn ?? UNKNOWN_VALUE },
          ],
        },
      };
      if (own(spec, 'IntegrationTimeout') !== undefined) integration.TimeoutInMillis = own(spec, 'IntegrationTimeout');
      this.put(api, integrationId, 'AWS::ApiGatewayV2::Integration', integration, origin);
      const prefix = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${id}.ApiId}/`;
      this.put(
        api,
        `${id}${part}Permission`,
        'AWS::Lambda::Permission',
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: fnArn ?? UNKNOWN_VALUE,
          Principal: 'apigateway.amazonaws.com',
          SourceArn:
            typeof stage === 'string'
              ? { 'Fn::Sub': `${prefix}${stage}/${key}` }
              : { 'Fn::Sub': [`${prefix}\${__StageName__}/${key}`, { __StageName__: stage }] },
        },
        origin,
      );
    }
    if (custom) this.webSocketAuthorizer(api, auth as Obj, origin);
    const stageId =
      typeof stage === 'string' ? (stage === 'default' ? `${id}DefaultStage` : `${id}${stage}Stage`) : `${id}Stage`;
    const stageProps: Obj = { ApiId: { Ref: id }, StageName: stage };
    for (const k of ['StageVariables', 'AccessLogSettings', 'DefaultRouteSettings']) {
      if (own(p, k) !== undefined) stageProps[k] = own(p, k);
    }
    stageProps.Tags = { 'websocketapi:createdBy': 'SAM' };
    stageProps.AutoDeploy = true;
    if (own(p, 'RouteSettings') !== undefined) stageProps.RouteSettings = own(p, 'RouteSettings');
    this.put(api, stageId, 'AWS::ApiGatewayV2::Stage', stageProps, origin);
    this.httpDomain(api, stageId, origin);
  }

  /** The `$connect` route's Lambda authorizer, and the permission to invoke it when no `InvokeRole` is given. */
  private webSocketAuthorizer(api: ApiDraft, auth: Obj, origin: SamOrigin): void {
    const id = api.logicalId;
    const name = `${id}ConnectAuthorizer`;
    const props: Obj = { ApiId: { Ref: id } };
    if (own(auth, 'InvokeRole') !== undefined) props.AuthorizerCredentialsArn = own(auth, 'InvokeRole');
    props.AuthorizerType = 'REQUEST';
    props.AuthorizerUri = {
      'Fn::Sub': [
        'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthArn}/invocations',
        { AuthArn: own(auth, 'AuthArn') },
      ],
    };
    if (own(auth, 'IdentitySource') !== undefined) props.IdentitySource = own(auth, 'IdentitySource');
    props.Name = own(auth, 'Name') || name;
    this.put(api, name, 'AWS::ApiGatewayV2::Authorizer', props, origin);
    if (own(auth, 'InvokeRole')) return;
    this.put(
      api,
      `${id}AuthorizerPermission`,
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: own(auth, 'AuthArn'),
        Principal: 'apigateway.amazonaws.com',
        SourceArn: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*',
            { __ApiId__: { Ref: id } },
          ],
        },
      },
      origin,
    );
  }

  /** Writes a resource with the SAM resource's Condition (and, for its own logical id, its Metadata). */
  private put(api: ApiDraft, id: string, type: string, props: Obj, origin?: SamOrigin): void {
    const r: Obj = { Type: type, Properties: props };
    const condition = own(api.raw, 'Condition');
    if (condition !== undefined) r.Condition = condition;
    const meta = own(api.raw, 'Metadata');
    const metadata: Obj = id === api.logicalId && isObj(meta) ? { ...meta } : {};
    if (origin && !(id === api.logicalId && !api.origin)) metadata[SAM_ORIGIN] = origin;
    if (Object.keys(metadata).length > 0) r.Metadata = metadata;
    setOwn(this.out, id, r);
  }

  // ---- functions --------------------------------------------------------------------------

  private writeFunction(id: string, fn: Obj): void {
    const p = own(fn, 'Properties');
    const props: Obj = isObj(p) ? { ...p } : {};
    delete props.Events;
    delete props.Policies;
    const out: Obj = { ...fn, Type: 'AWS::Lambda::Function', Properties: props };
    if (own(props, 'Role') === undefined) {
      const roleId = `${id}Role`;
      props.Role = { 'Fn::GetAtt': [roleId, 'Arn'] };
      if (own(this.resources, roleId) === undefined) setOwn(this.out, roleId, functionRole(id, fn, isObj(p) ? p : {}));
    }
    setOwn(this.out, id, out);
  }
}

/** The role SAM makes for a function that names none. */
function functionRole(fnId: string, fn: Obj, props: Obj): Obj {
  const managed: unknown[] = [managedArn('service-role/AWSLambdaBasicExecutionRole')];
  if (own(props, 'VpcConfig') !== undefined) managed.push(managedArn('service-role/AWSLambdaVPCAccessExecutionRole'));
  const tracing = own(props, 'Tracing');
  if (tracing === 'Active') managed.push(managedArn('AWSXrayWriteOnlyAccess'));
  const inline: unknown[] = [];
  const policies = own(props, 'Policies');
  const entries = policies === undefined ? [] : Array.isArray(policies) ? policies : [policies];
  entries.forEach((entry) => {
    if (typeof entry === 'string') {
      managed.push(entry.startsWith('arn:') ? entry : managedArn(entry));
    } else if (isObj(entry) && isIntrinsic(entry)) {
      managed.push(entry);
    } else if (isObj(entry) && own(entry, 'Statement') !== undefined) {
      inline.push({ PolicyName: `${fnId}RolePolicy${inline.length}`, PolicyDocument: entry });
    } else {
      inline.push({ PolicyName: `${fnId}RolePolicy${inline.length}`, PolicyDocument: UNKNOWN_DOCUMENT });
    }
  });
  const roleProps: Obj = {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
    },
    ManagedPolicyArns: managed,
  };
  if (inline.length > 0) roleProps.Policies = inline;
  const r: Obj = { Type: 'AWS::IAM::Role', Properties: roleProps, Metadata: { [SAM_ORIGIN]: { logicalId: fnId } } };
  const condition = own(fn, 'Condition');
  if (condition !== undefined) r.Condition = condition;
  return r;
}

function managedArn(name: string): unknown {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${name}` };
}

// ---- helpers ------------------------------------------------------------------------------

const API_KEY_SCHEME = { type: 'apiKey', name: 'x-api-key', in: 'header' };
const IAM_SCHEME = { 'x-amazon-apigateway-authtype': 'awsSigv4', type: 'apiKey', name: 'Authorization', in: 'header' };

/** The security scheme SAM writes for one of `Auth.Authorizers`; undefined when it cannot be told. */
function authorizerScheme(kind: ApiDraft['kind'], a: unknown): Obj | undefined {
  if (!isObj(a) || isIntrinsic(a)) return undefined;
  if (kind === 'HTTP') {
    if (own(a, 'JwtConfiguration') !== undefined) {
      return {
        type: 'oauth2',
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          jwtConfiguration: own(a, 'JwtConfiguration'),
          identitySource: own(a, 'IdentitySource'),
        },
      };
    }
    if (own(a, 'FunctionArn') !== undefined) {
      return { type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'request' } };
    }
    return undefined;
  }
  if (own(a, 'UserPoolArn') !== undefined) {
    return {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: own(a, 'UserPoolArn') },
    };
  }
  if (own(a, 'FunctionArn') !== undefined) {
    const payload = own(a, 'FunctionPayloadType');
    const type = payload === 'REQUEST' ? 'request' : 'token';
    return {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type },
    };
  }
  return undefined;
}

/** `set_path_default_apikey_required`: every method needs the key unless its event said false. */
function defaultApiKey(api: ApiDraft, path: string, preflight: boolean): void {
  for (const [verb, op] of operationEntries(api.body!, path)) {
    const existing = Array.isArray(own(op, 'security')) ? (own(op, 'security') as unknown[]) : [];
    const isKey = (s: unknown) => isObj(s) && ('api_key' in s || 'api_key_false' in s);
    const others = existing.filter((s) => !isKey(s));
    const keyed = existing.filter(isKey);
    const optOut = keyed.some((s) => isObj(s) && 'api_key_false' in s);
    let security = optOut
      ? [...others, ...keyed.filter((s) => !(isObj(s) && 'api_key_false' in s))]
      : [...others, { api_key: [] }];
    if (verb === 'options' && !preflight) security = others;
    setOwn(op, 'security', security);
  }
}

/** SAM's condition on `aws:SourceVpc` / `aws:SourceVpce` for a list; undefined when both lists are empty. */
function vpcCondition(
  strings: unknown[] | undefined,
  vpcs: unknown[] | undefined,
  vpces: unknown[] | undefined,
): Obj | undefined {
  const vpc: unknown[] = [];
  const vpce: unknown[] = [];
  for (const s of strings ?? []) {
    if (typeof s !== 'string') continue;
    if (s.startsWith('vpce-')) vpce.push(s);
    else if (s.startsWith('vpc-')) vpc.push(s);
  }
  vpc.push(...(vpcs ?? []));
  vpce.push(...(vpces ?? []));
  if (vpc.length === 0 && vpce.length === 0) return undefined;
  const c: Obj = {};
  if (vpc.length > 0) c['aws:SourceVpc'] = vpc;
  if (vpce.length > 0) c['aws:SourceVpce'] = vpce;
  return c;
}

/** `execute-api:/${__Stage__}/GET/pets` for each method of a path (`*` for ANY), as `Fn::Sub`s. */
function methodResources(body: Obj, path: string, stage: unknown): unknown[] {
  const clean = path.length > 1 ? path.replace(/\/$/, '') : path;
  return operationEntries(body, path, true).map(([verb]) => {
    const m = verb === 'x-amazon-apigateway-any-method' || verb === 'any' ? '*' : verb.toUpperCase();
    return { 'Fn::Sub': [`execute-api:/\${__Stage__}/${m}${clean}`, { __Stage__: stage }] };
  });
}

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

function methodKey(method: string): string {
  const m = method.toLowerCase();
  return m === 'any' ? 'x-amazon-apigateway-any-method' : m;
}

/** The operations of a path (a conditional method is its `Fn::If`'s true branch). */
function operationEntries(body: Obj, path: string, all = false): Array<[string, Obj]> {
  const item = own(objectAt(body, 'paths'), path);
  if (!isObj(item)) return [];
  const out: Array<[string, Obj]> = [];
  for (const verb of Object.keys(item)) {
    if (!VERBS.includes(verb.toLowerCase()) && !(all && verb.toLowerCase() === 'any')) continue;
    let op = own(item, verb);
    if (isObj(op) && Array.isArray(own(op, 'Fn::If'))) op = (own(op, 'Fn::If') as unknown[])[1];
    if (isObj(op)) out.push([verb.toLowerCase(), op]);
  }
  return out;
}

function operations(body: Obj, path: string): Obj[] {
  return operationEntries(body, path).map(([, op]) => op);
}

function addRequirement(op: Obj, name: string, scopes: unknown[] = []): void {
  const sec = own(op, 'security');
  const list = Array.isArray(sec) ? sec : [];
  setOwn(op, 'security', [...list, { [name]: scopes }]);
}

function restSkeleton(openapi?: string): Obj {
  const version = openapi ? { openapi } : { swagger: '2.0' };
  return { ...version, info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

/**
 * `DisableExecuteApiEndpoint` as SAM writes it, in the body: under each of `servers` for OpenAPI 3
 * (one empty server when there is none), at the top for Swagger 2.
 */
function addDisableExtension(body: Obj, disabled: unknown): void {
  const key = 'x-amazon-apigateway-endpoint-configuration';
  if (typeof own(body, 'openapi') === 'string' && /^3\./.test(own(body, 'openapi') as string)) {
    const given = own(body, 'servers');
    const servers = Array.isArray(given) && given.length > 0 ? given : [{}];
    for (const server of servers) {
      if (isObj(server)) setOwn(objectAt(server, key), 'disableExecuteApiEndpoint', disabled);
    }
    setOwn(body, 'servers', servers);
  } else {
    setOwn(objectAt(body, key), 'disableExecuteApiEndpoint', disabled);
  }
}

function httpSkeleton(): Obj {
  return { openapi: '3.0.1', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

/** SAM's stage logical ids: `<Api><Stage>Stage`, `<Api>ApiGatewayDefaultStage`, or a hash for other names. */
function stageLogicalId(apiId: string, stage: unknown, http: boolean): string {
  const name = typeof stage === 'string' ? stage : '';
  if (/^[A-Za-z0-9]+$/.test(name)) return `${apiId}${name}Stage`;
  if (http && name === '$default') return `${apiId}ApiGatewayDefaultStage`;
  return `${apiId}Stage${name ? sha1(name).slice(0, 10) : ''}`;
}

/** The part of a WebSocket route's logical ids SAM writes for its key; undefined for a key SAM refuses. */
function routeIdPart(key: string): string | undefined {
  if (key === '$connect' || key === '$disconnect' || key === '$default') return capitalize(key.slice(1));
  return /^[A-Za-z0-9]+$/.test(key) ? capitalize(key) : undefined;
}

/** Python's `str.capitalize`: the first letter upper case, the others lower case. */
function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** `s3://bucket/key` → `{ Bucket, Key }`; an object as written. */
function s3Location(uri: unknown): unknown {
  if (typeof uri === 'string') {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    return m ? { Bucket: m[1], Key: m[2] } : { Bucket: uri, Key: uri };
  }
  return uri;
}

/** The object under `key`, made when absent (the value is written in place). */
function objectAt(obj: Obj, key: string): Obj {
  const v = own(obj, key);
  if (isObj(v)) return v;
  const made: Obj = {};
  setOwn(obj, key, made);
  return made;
}

/** `own` of a value that may not be an object. */
function get(v: unknown, key: string): unknown {
  return isObj(v) ? own(v, key) : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIntrinsic(v: Obj): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** A deep copy of plain JSON (the body is edited in place); deeper than 64 levels is an error, caught above. */
function copy(v: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error('too deep');
  if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) setOwn(out, k, copy(own(v, k), depth + 1));
    return out;
  }
  return v;
}

function stableJson(v: unknown): string {
  return (
    JSON.stringify(v, (_, x) =>
      isObj(x)
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, x[k]]),
          )
        : x,
    ) ?? ''
  );
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function sha1(s: string): string {
  return createHash('sha1').update(s, 'utf-8').digest('hex');
}
