// Internal helpers shared by the constructs. Not exported from the package.
import {
  Arn,
  ArnFormat,
  CfnResource,
  Fn,
  Reference,
  Stack,
  Token,
  Tokenization,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { fail } from './errors';
import type { EndpointDns } from './private-api-access';

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
 * The L1 `AWS::ApiGatewayV2::Api` behind an HTTP API defined in this app, or undefined for an imported API.
 *
 * Reaches the L1 through `node.defaultChild` (never by downcasting the interface).
 */
export function httpApiL1(api: apigwv2.IHttpApi): apigwv2.CfnApi | undefined {
  const child = api.node.defaultChild;
  if (child && CfnResource.isCfnResource(child) && apigwv2.CfnApi.isCfnApi(child)) {
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
 * `https://<host>/` plus an optional base path, with a trailing slash like `RestApi.url`.
 */
export function urlOf(host: string, basePath?: string): string {
  return basePath === undefined || basePath === '' ? `https://${host}/` : `https://${host}/${basePath}/`;
}

/** The L1 behind an interface endpoint defined in this app, or undefined for an imported one. */
function endpointL1(endpoint: ec2.IInterfaceVpcEndpoint): ec2.CfnVPCEndpoint | undefined {
  const cfn = endpoint.node.defaultChild;
  return cfn && CfnResource.isCfnResource(cfn) && ec2.CfnVPCEndpoint.isCfnVPCEndpoint(cfn) ? cfn : undefined;
}

/**
 * The regional DNS name of an execute-api interface endpoint: `vpce-….execute-api.<region>.vpce.amazonaws.com`
 * (zonal names add `-<az>` to the first label).
 */
const EXECUTE_API_ENDPOINT_DNS = /^vpce-[a-z0-9-]+\.execute-api\.[a-z0-9-]+\.vpce\.amazonaws\.com(\.cn)?\.?$/i;

/**
 * Checks the `endpointDns` given for an endpoint: only for an endpoint not defined in this app (the DNS of one
 * of the app is read from it), and, when literal, the DNS name of an execute-api endpoint.
 */
export function checkEndpointDns(
  scope: IConstruct,
  endpoint: ec2.IInterfaceVpcEndpoint,
  dns: EndpointDns | undefined,
): void {
  if (!dns) {
    return;
  }
  if (endpointL1(endpoint)) {
    fail(scope, {
      code: 'EndpointDnsNotNeeded',
      message: `\`endpointDns\` was given for endpoint '${endpoint.node.path}', which is defined in this app, so its DNS names are read from it.`,
      fix: 'Drop `endpointDns`; give it only for an endpoint that is not defined in this app (imported by id).',
    });
  }
  if (!Token.isUnresolved(dns.dnsName) && !EXECUTE_API_ENDPOINT_DNS.test(dns.dnsName)) {
    fail(scope, {
      code: 'EndpointDnsNotExecuteApi',
      message: `endpointDns.dnsName '${dns.dnsName}' is not the DNS name of an execute-api interface endpoint (vpce-….execute-api.<region>.vpce.amazonaws.com).`,
      fix: "Pass the endpoint's first DNS entry (aws ec2 describe-vpc-endpoints, DnsEntries[0].DnsName) and its HostedZoneId.",
    });
  }
}

/**
 * An alias target for an interface endpoint: its `endpointDns` when given, else read from its L1
 * (`DnsEntries`), so that it works with the `IInterfaceVpcEndpoint` interface. Each DNS entry is
 * `<hosted zone id>:<dns name>`; the first one is the regional name.
 * See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html#aws-resource-ec2-vpcendpoint-return-values
 */
export function endpointAliasTarget(
  scope: IConstruct,
  endpoint: ec2.IInterfaceVpcEndpoint,
  dns: EndpointDns | undefined,
): route53.IAliasRecordTarget {
  if (dns) {
    return { bind: () => ({ hostedZoneId: dns.hostedZoneId, dnsName: dns.dnsName }) };
  }
  const cfn = endpointL1(endpoint);
  if (!cfn) {
    return fail(scope, {
      code: 'EndpointDnsUnknown',
      message: `endpoint '${endpoint.node.path}' is imported, so the DNS name that the alias record to it needs is unknown.`,
      fix:
        "Pass `endpointDns` (the endpoint's DNS name and hosted zone id, DnsEntries[0] of aws ec2 describe-vpc-endpoints) " +
        'with the endpoint, or an endpoint defined in this app (e.g. PrivateApiAccess.endpoint).',
      see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains-tutorial.html',
    });
  }
  const entry = Fn.select(0, cfn.attrDnsEntries);
  return {
    bind: () => ({
      hostedZoneId: Fn.select(0, Fn.split(':', entry)),
      dnsName: Fn.select(1, Fn.split(':', entry)),
    }),
  };
}
