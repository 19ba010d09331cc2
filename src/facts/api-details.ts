/**
 * What an API says about who may call it and how: its resource policy, whether its default
 * endpoint is disabled, the VPC endpoints associated with it, its stages, its methods (authorization
 * type, API key), and the usage plans that cover it.
 *
 * Reads: AWS::ApiGateway::RestApi (`Policy`, `DisableExecuteApiEndpoint`,
 * `EndpointConfiguration.VpcEndpointIds`, `Body` with the OpenAPI extensions
 * `x-amazon-apigateway-policy`, `x-amazon-apigateway-endpoint-configuration` (at the top, or under
 * OpenAPI 3's `servers`: `disableExecuteApiEndpoint`, `vpcEndpointIds`), `securityDefinitions` / `components.securitySchemes`
 * with `x-amazon-apigateway-authtype`, `x-amazon-apigateway-auth`, `api_key` security),
 * AWS::ApiGatewayV2::Api (`DisableExecuteApiEndpoint`), AWS::ApiGateway::Method,
 * AWS::ApiGatewayV2::Route, AWS::ApiGateway::Stage, AWS::ApiGateway::Deployment (`StageName`),
 * AWS::ApiGatewayV2::Stage, AWS::ApiGateway::UsagePlan (`ApiStages`), AWS::ApiGateway::UsagePlanKey.
 * SAM's APIs are read as what the transform makes of them (graph/sam.ts). SAM's extra stage (a
 * Deployment's `StageName: Stage` next to the Stage resource that deploys it) is marked.
 * Unknown: a body in S3 (`BodyS3Location`): the policy, endpoint configuration and
 * methods it may define are unknown; stage names that are not literal; usage plans whose API or
 * stage is not literal or a resource of the app.
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
 */
import { ApiFact, stageName } from './apis';
import { Policy, parsePolicy } from './policies';
import { ResourceGraph, ResourceNode } from '../graph/resource-graph';
import { ResRef, Value, at, bool, isObject, list, literal } from '../graph/values';

/** Authorization of a method. */
export type Authorization = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT' | 'unknown';

/** One method (REST) or route (HTTP / WebSocket) of an API. */
export interface MethodFact {
  /** The Method / Route resource; undefined for methods defined in an OpenAPI body. */
  readonly resource?: ResourceNode;
  /** `GET /pets`, or the route key. */
  readonly name: string;
  readonly authorization: Authorization;
  readonly apiKeyRequired: boolean | 'unknown';
}

/** A stage of an API. */
export interface StageFact {
  /** The literal stage name; undefined when it is not literal. */
  readonly name?: string;
  /** The resource that creates it (Stage, Deployment, or the API itself for quick create). */
  readonly resource: ResourceNode;
  /**
   * True for SAM's extra stage: the stage named `Stage` that the transform's Deployment creates next to
   * the API's own Stage resource (unless `OpenApiVersion` is set). Nobody calls it (RULES.md decisions).
   */
  readonly samExtra?: boolean;
}

/** The details of one API. */
export interface ApiDetails {
  readonly api: ApiFact;
  /** Undefined: no policy; 'unknown': cannot be known (not literal, or the body is in S3). */
  readonly policy?: Policy;
  /** Where the policy is, for findings. */
  readonly policyLocation: string;
  /**
   * True when the API has no `Policy` property and its definition is in S3 (`BodyS3Location`, SAM's
   * `DefinitionUri`): `policy` is then 'unknown', the body may or may not carry
   * `x-amazon-apigateway-policy` (RULES.md, "Bodies outside the app").
   */
  readonly policyOnlyInS3Body: boolean;
  readonly defaultEndpointDisabled: boolean | 'unknown';
  /** Endpoint ids associated with a private API (`EndpointConfiguration.VpcEndpointIds`). */
  readonly vpcEndpointIds: Value[] | 'unknown';
  readonly stages: StageFact[];
  /** False when some stage name cannot be known. */
  readonly stagesKnown: boolean;
  readonly methods: MethodFact[];
  /** False when some methods cannot be known (a body in S3). */
  readonly methodsKnown: boolean;
  /** Usage plans that name this API, with their stage (literal, or unknown) and whether a key is attached. */
  readonly usagePlans: Array<{
    readonly plan: ResourceNode;
    readonly stage?: string;
    readonly stageKnown: boolean;
    readonly hasKey: boolean;
  }>;
  /**
   * True when the app may hold usage plans of this API that it does not show: some usage plan names
   * an API that cannot be known (it might be this one).
   */
  readonly usagePlansUncertain: boolean;
  /** True when every method is known, there is at least one, and none uses AWS_IAM: callers send unsigned requests. */
  readonly allMethodsUnsigned: boolean;
  /** True when every method is known, there is at least one, and all use AWS_IAM authorization. */
  readonly allMethodsIam: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads the details of every API, keyed by the API's resource key. */
export function readApiDetails(graph: ResourceGraph, apis: ApiFact[]): Map<string, ApiDetails> {
  const byKey = new Map<string, Mutable<ApiDetails>>();
  const keyOf = (v: Value | undefined) => (v instanceof ResRef ? v.key : undefined);
  for (const api of apis) {
    // The methods of an OpenAPI body are the API's methods too: the Method and Route resources are added to them.
    const base = baseDetails(api);
    byKey.set(api.resource.key, { ...base, stages: [], methods: [...base.methods], usagePlans: [] });
  }

  const stagesUnknown = new Set<string>();
  const addStage = (apiRef: Value | undefined, name: Value | undefined, resource: ResourceNode, samExtra = false) => {
    const d = byKey.get(keyOf(apiRef) ?? '');
    if (!d) return;
    const n = literal(name);
    if (n === undefined) stagesUnknown.add(d.api.resource.key);
    d.stages.push(samExtra ? { name: n, resource, samExtra } : { name: n, resource });
  };
  const deployedByStage = new Set<string>();
  for (const s of graph.ofType('AWS::ApiGateway::Stage')) {
    addStage(s.properties.RestApiId, s.properties.StageName, s);
    const dpl = keyOf(s.properties.DeploymentId);
    if (dpl) deployedByStage.add(dpl);
  }
  for (const dpl of graph.ofType('AWS::ApiGateway::Deployment')) {
    if (dpl.properties.StageName === undefined) continue;
    // SAM's extra stage: what its Deployment writes as `StageName: Stage` while a Stage resource
    // deploys the same Deployment under the API's real stage name.
    const extra = literal(dpl.properties.StageName) === 'Stage' && deployedByStage.has(dpl.key);
    addStage(dpl.properties.RestApiId, dpl.properties.StageName, dpl, extra);
  }
  for (const s of graph.ofType('AWS::ApiGatewayV2::Stage')) addStage(s.properties.ApiId, s.properties.StageName, s);
  for (const d of byKey.values()) {
    const r = d.api.resource;
    if (r.type === 'AWS::ApiGatewayV2::Api' && r.properties.Target !== undefined) {
      d.stages.push({ name: '$default', resource: r });
    }
  }

  for (const m of graph.ofType('AWS::ApiGateway::Method')) {
    const d = byKey.get(keyOf(m.properties.RestApiId) ?? '');
    if (!d) continue;
    d.methods.push({
      resource: m,
      name: `${literal(m.properties.HttpMethod) ?? '?'} ${resourcePath(graph, m.properties.ResourceId) ?? m.path ?? m.logicalId}`,
      authorization: authorizationOf(m.properties.AuthorizationType),
      apiKeyRequired: bool(m.properties.ApiKeyRequired) ?? false,
    });
  }
  for (const rt of graph.ofType('AWS::ApiGatewayV2::Route')) {
    const d = byKey.get(keyOf(rt.properties.ApiId) ?? '');
    if (!d) continue;
    d.methods.push({
      resource: rt,
      name: literal(rt.properties.RouteKey) ?? rt.logicalId,
      authorization: authorizationOf(rt.properties.AuthorizationType),
      apiKeyRequired: bool(rt.properties.ApiKeyRequired) ?? false,
    });
  }

  const planHasKey = new Set<string>();
  let keysUncertain = false;
  for (const k of graph.ofType('AWS::ApiGateway::UsagePlanKey')) {
    const plan = keyOf(k.properties.UsagePlanId);
    if (plan) planHasKey.add(plan);
    else keysUncertain = true;
  }
  let plansUncertain = false;
  for (const plan of graph.ofType('AWS::ApiGateway::UsagePlan')) {
    for (const s of list(plan.properties.ApiStages)) {
      const d = byKey.get(keyOf(at(s, 'ApiId')) ?? '');
      if (!d) {
        plansUncertain = plansUncertain || !(at(s, 'ApiId') instanceof ResRef);
        continue;
      }
      const name = stageName(graph, at(s, 'Stage'));
      d.usagePlans.push({
        plan,
        stage: name,
        stageKnown: name !== undefined,
        hasKey: planHasKey.has(plan.key) || keysUncertain,
      });
    }
  }

  for (const [k, d] of byKey) {
    // Completed in place (the details are this function's own until it returns).
    const methodsSeen = d.methodsKnown && d.methods.length > 0;
    d.stagesKnown = !stagesUnknown.has(k);
    d.usagePlansUncertain = plansUncertain;
    d.allMethodsUnsigned = methodsSeen && d.methods.every((m) => m.authorization !== 'AWS_IAM');
    d.allMethodsIam = methodsSeen && d.methods.every((m) => m.authorization === 'AWS_IAM');
  }
  return byKey;
}

/** `/pets/{id}` from the `AWS::ApiGateway::Resource` chain; undefined when a part cannot be told. */
function resourcePath(graph: ResourceGraph, id: Value | undefined, depth = 0): string | undefined {
  if (!(id instanceof ResRef) || depth > 50) return undefined;
  if (id.attr === 'RootResourceId') return '/';
  const r = graph.get(id.key);
  const part = r?.type === 'AWS::ApiGateway::Resource' ? literal(r.properties.PathPart) : undefined;
  if (part === undefined) return undefined;
  const parent = resourcePath(graph, r!.properties.ParentId, depth + 1);
  return parent === undefined ? undefined : `${parent === '/' ? '' : parent}/${part}`;
}

function authorizationOf(v: Value | undefined): Authorization {
  if (v === undefined) return 'NONE';
  const s = literal(v)?.toUpperCase();
  switch (s) {
    case 'NONE':
    case 'AWS_IAM':
    case 'CUSTOM':
    case 'COGNITO_USER_POOLS':
    case 'JWT':
      return s;
    default:
      return 'unknown';
  }
}

function baseDetails(api: ApiFact): ApiDetails {
  const r = api.resource;
  const p = r.properties;
  const inS3 = p.BodyS3Location !== undefined;
  const body = isObject(p.Body) ? p.Body : undefined;
  const bodyUnknown = inS3 || (p.Body !== undefined && !isObject(p.Body));

  // Policy: the property wins over the body's extension (CloudFormation applies Policy after the import).
  let policy: Policy | undefined;
  let policyLocation = 'Properties.Policy';
  if (p.Policy !== undefined) {
    policy = parsePolicy(p.Policy);
  } else if (body && body['x-amazon-apigateway-policy'] !== undefined) {
    policy = parsePolicy(body['x-amazon-apigateway-policy']);
    policyLocation = 'Properties.Body.x-amazon-apigateway-policy';
  } else if (bodyUnknown) {
    policy = 'unknown';
  }

  // Swagger 2 puts the extension at the top; OpenAPI 3 under each of `servers` (the first that has it is read).
  const bodyEndpoint = body
    ? (at(body, 'x-amazon-apigateway-endpoint-configuration') ??
      list(body.servers)
        .map((sv) => at(sv, 'x-amazon-apigateway-endpoint-configuration'))
        .find((c) => c !== undefined))
    : undefined;
  const disabled = p.DisableExecuteApiEndpoint ?? at(bodyEndpoint, 'disableExecuteApiEndpoint');
  const defaultEndpointDisabled =
    disabled === undefined ? (bodyUnknown ? 'unknown' : false) : (bool(disabled) ?? false);

  const ids = at(p, 'EndpointConfiguration', 'VpcEndpointIds') ?? at(bodyEndpoint, 'vpcEndpointIds');
  const vpcEndpointIds = ids === undefined ? (bodyUnknown ? 'unknown' : []) : Array.isArray(ids) ? ids : 'unknown';

  const methods = body ? openApiMethods(body) : [];
  return {
    api,
    policy,
    policyLocation,
    policyOnlyInS3Body: inS3 && p.Policy === undefined,
    defaultEndpointDisabled,
    vpcEndpointIds,
    stages: [],
    stagesKnown: true,
    methods,
    methodsKnown: !bodyUnknown,
    usagePlans: [],
    usagePlansUncertain: false,
    allMethodsUnsigned: false,
    allMethodsIam: false,
  };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

/** The methods an OpenAPI (2 or 3) body defines, with their authorization and API-key requirement. */
function openApiMethods(body: { [k: string]: Value }): MethodFact[] {
  const schemes = isObject(body.securityDefinitions)
    ? body.securityDefinitions
    : isObject(at(body, 'components', 'securitySchemes'))
      ? (at(body, 'components', 'securitySchemes') as { [k: string]: Value })
      : {};
  const rootSecurity = body.security;
  const out: MethodFact[] = [];
  const paths = isObject(body.paths) ? body.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const verb of Object.keys(item)) {
      if (!HTTP_METHODS.includes(verb.toLowerCase())) continue;
      const op = item[verb];
      const { authorization, apiKeyRequired } = operationAuth(op, rootSecurity, schemes);
      out.push({
        name: `${verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase()} ${path}`,
        authorization,
        apiKeyRequired,
      });
    }
  }
  return out;
}

function operationAuth(
  op: Value,
  rootSecurity: Value | undefined,
  schemes: { [k: string]: Value },
): { authorization: Authorization; apiKeyRequired: boolean | 'unknown' } {
  // An operation that is not a mapping (SAM's `Fn::If` around the method of a function with a
  // Condition, a parameter): what it requires cannot be told.
  if (!isObject(op)) return { authorization: 'unknown', apiKeyRequired: 'unknown' };
  const ext = literal(at(op, 'x-amazon-apigateway-auth', 'type'))?.toUpperCase();
  const security = at(op, 'security') ?? rootSecurity;
  let authorization: Authorization = ext === 'AWS_IAM' ? 'AWS_IAM' : ext === 'NONE' ? 'NONE' : ext ? 'unknown' : 'NONE';
  let apiKeyRequired: boolean | 'unknown' = false;
  // API Gateway applies every requirement of the list, not one of them: one authorizer (at most) and
  // the API key, as SAM writes them (`[{ MyAuthorizer: [] }, { api_key: [] }]`). Two different
  // authorizers on one method cannot be imported, and are unknown.
  let authorizer: Authorization | undefined;
  for (const req of list(security)) {
    if (!isObject(req)) return { authorization: 'unknown', apiKeyRequired: 'unknown' };
    for (const name of Object.keys(req)) {
      const scheme = schemes[name];
      const authtype = literal(at(scheme, 'x-amazon-apigateway-authtype'))?.toLowerCase();
      const type = literal(at(scheme, 'type'));
      let kind: Authorization | undefined;
      if (authtype === 'awssigv4') {
        kind = 'AWS_IAM';
      } else if (authtype === 'cognito_user_pools') {
        kind = 'COGNITO_USER_POOLS';
      } else if (authtype !== undefined || at(scheme, 'x-amazon-apigateway-authorizer') !== undefined) {
        kind = 'CUSTOM';
      } else if (type === 'apiKey' && literal(at(scheme, 'name'))?.toLowerCase() === 'x-api-key') {
        apiKeyRequired = true;
      } else if (scheme === undefined) {
        return { authorization: 'unknown', apiKeyRequired: 'unknown' };
      }
      if (kind === undefined) continue;
      if (authorizer !== undefined && authorizer !== kind) return { authorization: 'unknown', apiKeyRequired };
      authorizer = kind;
    }
  }
  if (authorizer !== undefined) authorization = authorizer;
  return { authorization, apiKeyRequired };
}
