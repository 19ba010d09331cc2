// Internal helpers shared by the constructs. Not exported from the package.
import {
  Arn,
  ArnFormat,
  CfnResource,
  Names,
  Reference,
  Stack,
  Token,
  Tokenization,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { fail } from './errors';

// See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html (Restrictions)
// "API mappings must contain only letters, numbers, and the following characters: $-_.+!*'()/" and
// "The maximum length for the path in an API mapping is 300 characters."
const BASE_PATH_SEGMENT = "[A-Za-z0-9$\\-_.+!*'()]+";
const SINGLE_LEVEL = new RegExp(`^${BASE_PATH_SEGMENT}$`);
const MULTI_LEVEL = new RegExp(`^${BASE_PATH_SEGMENT}(/${BASE_PATH_SEGMENT})*$`);
const MAX_BASE_PATH_LENGTH = 300;
const MAPPINGS_DOC = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html';

/**
 * The key used for "no base path" (the domain root) in the bookkeeping of mapped base paths.
 */
export const ROOT_KEY = '(none)';

/**
 * Checks a base path against what API Gateway accepts. Unresolved tokens are left to CloudFormation.
 *
 * @returns true when the base path has more than one level (`orders/v1`).
 */
export function validateBasePath(scope: IConstruct, basePath: string | undefined, allowMultiLevel: boolean): boolean {
  if (basePath === undefined || Token.isUnresolved(basePath)) {
    return false;
  }
  const shown = JSON.stringify(basePath);
  if (basePath === '' || basePath.startsWith('/') || basePath.endsWith('/')) {
    fail(scope, {
      code: 'InvalidBasePath',
      message: `base path ${shown} is empty or starts or ends with '/'; API Gateway rejects it.`,
      fix: "Leave basePath undefined to map the domain root, or give it without leading/trailing '/' (e.g. 'v1' or 'orders/v1').",
      see: MAPPINGS_DOC,
    });
  }
  if (basePath.length > MAX_BASE_PATH_LENGTH) {
    fail(scope, {
      code: 'InvalidBasePath',
      message: `base path ${shown} is ${basePath.length} characters long; API Gateway allows at most ${MAX_BASE_PATH_LENGTH}.`,
      fix: 'Use a shorter base path.',
      see: MAPPINGS_DOC,
    });
  }
  const pattern = allowMultiLevel ? MULTI_LEVEL : SINGLE_LEVEL;
  if (!pattern.test(basePath)) {
    const multi = basePath.includes('/') && MULTI_LEVEL.test(basePath);
    fail(scope, {
      code: 'InvalidBasePath',
      message: multi
        ? `base path ${shown} has several levels, which this kind of domain does not support.`
        : `base path ${shown} contains characters API Gateway rejects (allowed: letters, digits and $-_.+!*'()${allowMultiLevel ? ' with / between levels' : ''}).`,
      fix: multi
        ? "Use a single-level base path (no '/'), or a regional domain (RegionalCustomDomain) for multi-level base paths."
        : 'Remove the other characters from the base path.',
      see: MAPPINGS_DOC,
    });
  }
  return basePath.includes('/');
}

/**
 * Checks that a resolved domain name lies inside a resolved hosted zone name.
 */
export function validateDomainInZone(scope: IConstruct, domainName: string, zone: route53.IHostedZone): void {
  let zoneName: string;
  try {
    // HostedZone.fromHostedZoneId() throws when zoneName is read: then the zone's name is unknown, skip.
    zoneName = zone.zoneName;
  } catch {
    return;
  }
  if (Token.isUnresolved(zoneName) || Token.isUnresolved(domainName)) {
    return;
  }
  const zoneNorm = zoneName.replace(/\.$/, '').toLowerCase();
  const domainNorm = domainName.replace(/\.$/, '').toLowerCase();
  if (domainNorm !== zoneNorm && !domainNorm.endsWith(`.${zoneNorm}`)) {
    fail(scope, {
      code: 'DomainNotInHostedZone',
      message: `domain name '${domainName}' is not inside hosted zone '${zoneName}', so its alias record cannot be created there.`,
      fix: `Pass the hosted zone whose name is '${domainName}' or one of its parent domains.`,
    });
  }
}

/**
 * The L1 `AWS::ApiGateway::RestApi` behind a REST API defined in this app, or undefined for an imported API.
 *
 * Reaches the L1 through `node.defaultChild` (never by downcasting the interface).
 */
export function restApiL1(api: apigateway.IRestApi): apigateway.CfnRestApi | undefined {
  const child = api.node.defaultChild;
  if (child && CfnResource.isCfnResource(child) && apigateway.CfnRestApi.isCfnRestApi(child)) {
    return child;
  }
  return undefined;
}

/**
 * The endpoint types of a REST API defined in the app, when they are known literals.
 *
 * A RestApi without `EndpointConfiguration` is EDGE (CloudFormation default).
 * See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-restapi-endpointconfiguration.html
 *
 * @returns the types, or undefined when the API is imported or the value is a token.
 */
export function knownEndpointTypes(api: apigateway.IRestApi): string[] | undefined {
  const cfn = restApiL1(api);
  if (!cfn) {
    return undefined;
  }
  const resolved: unknown = Stack.of(cfn).resolve(cfn.endpointConfiguration);
  if (resolved === undefined) {
    return ['EDGE'];
  }
  if (typeof resolved !== 'object' || resolved === null) {
    return undefined;
  }
  const types = (resolved as { types?: unknown; Types?: unknown }).types ?? (resolved as { Types?: unknown }).Types;
  if (types === undefined) {
    return ['EDGE'];
  }
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
    return undefined;
  }
  return types as string[];
}

/**
 * Fails when a REST API is known not to be PRIVATE.
 */
export function requirePrivateApi(scope: IConstruct, api: apigateway.IRestApi, what: string): void {
  const types = knownEndpointTypes(api);
  if (types && !types.includes('PRIVATE')) {
    fail(scope, {
      code: 'ApiNotPrivate',
      message: `API '${api.node.path}' has endpoint type ${types.join(', ')}; ${what} only applies to PRIVATE APIs.`,
      fix: 'Create the API with `endpointTypes: [apigateway.EndpointType.PRIVATE]`, or publish a public API with RegionalCustomDomain instead.',
      see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html',
    });
  }
}

/**
 * The stage to map or call: the one given, else the API's deployment stage.
 */
export function stageOfRestApi(
  scope: IConstruct,
  api: apigateway.IRestApi,
  stage: apigateway.IStage | undefined,
): apigateway.IStage {
  if (stage) {
    return stage;
  }
  try {
    // RestApi throws when it has no deployment (`deploy: false`); imported APIs have no stage unless one was given.
    const deploymentStage = api.deploymentStage;
    if (deploymentStage) {
      return deploymentStage;
    }
  } catch {
    // fall through to our own error, which says what to do
  }
  return fail(scope, {
    code: 'StageRequired',
    message: `API '${api.node.path}' has no deployment stage that could be used.`,
    fix: 'Pass `stage` in the options (e.g. `{ stage: api.deploymentStage }` or a Stage you created).',
  });
}

/**
 * The region of a certificate when it can be known at synth time.
 *
 * - a literal ARN: the region inside it;
 * - an ARN that is a reference to an `AWS::CertificateManager::Certificate` (an `acm.Certificate` in this
 *   app, possibly in another stack): that stack's region, when the stack has one.
 * Anything else (a `DnsValidatedCertificate`, whose certificate lives in its `region` prop; parameters;
 * environment-agnostic stacks) is unknown.
 */
export function certificateRegion(certificate: acm.ICertificateRef): string | undefined {
  const arn = certificate.certificateRef.certificateArn;
  if (!Token.isUnresolved(arn)) {
    try {
      const region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
      return region || undefined;
    } catch {
      return undefined;
    }
  }
  const fragments = Tokenization.reverseString(arn);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token && Reference.isReference(token)) {
    const target = token.target;
    if (CfnResource.isCfnResource(target) && target.cfnResourceType === 'AWS::CertificateManager::Certificate') {
      const region = Stack.of(target).region;
      return Token.isUnresolved(region) ? undefined : region;
    }
  }
  return undefined;
}

/**
 * The child id of a mapping: aws-cdk's DomainName scheme (`Map:<basePath>=>…`), stable per base path and API.
 * A base path that is a token cannot go into an id; the stage then tells mappings apart.
 */
export function mappingId(basePath: string | undefined, api: IConstruct, stage: IConstruct): string {
  const path =
    basePath === undefined
      ? ROOT_KEY
      : Token.isUnresolved(basePath)
        ? `(token@${Names.nodeUniqueId(stage.node)})`
        : basePath;
  return `Map:${path}=>${Names.nodeUniqueId(api.node)}`;
}

/**
 * `https://<host>/` plus an optional base path, with a trailing slash like `RestApi.url`.
 */
export function urlOf(host: string, basePath?: string): string {
  return basePath === undefined || basePath === '' ? `https://${host}/` : `https://${host}/${basePath}/`;
}
