/**
 * API Gateway's 403 troubleshooting table, as data: every way a request to API Gateway can be
 * answered 403, what the response looks like (the `x-amzn-ErrorType` header, the message of the body,
 * the gateway response type of the access logs), where it can happen (which kind of hostname), what
 * to check, and the rules of this library that catch it at synth time.
 *
 * Sources: "How do I troubleshoot HTTP 403 errors from API Gateway?" (AWS Knowledge Center), "Gateway
 * response types for API Gateway", "Troubleshoot signed requests for AWS APIs" (IAM), and the API
 * Gateway developer guide pages named in each row. `explain` (explain.ts) matches observed responses
 * against it; the ids are stable (the JSON output and the docs name them) and never reused.
 */

/**
 * The kinds of hostname a request to API Gateway can use:
 * - `default`: `{api-id}.execute-api.{region}.amazonaws.com`, the API's default endpoint;
 * - `endpoint-specific`: `{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com`, a private API through one endpoint;
 * - `vpce`: `{vpce-id}-{suffix}.execute-api.{region}.vpce.amazonaws.com`, an interface endpoint's own DNS name;
 * - `domain-target`: `d-{id}.execute-api.{region}.amazonaws.com`, the regional target name of a custom domain;
 * - `custom-domain`: any other name, a custom domain name (or a CNAME or CDN in front of one).
 */
export type HostKind = 'default' | 'endpoint-specific' | 'vpce' | 'domain-target' | 'custom-domain';

/** Every host kind, in the order the docs list them. */
export const HOST_KINDS: ReadonlyArray<HostKind> = [
  'default',
  'endpoint-specific',
  'vpce',
  'domain-target',
  'custom-domain',
];

/** When a cause arises: from the request as sent (`request`), or from what is deployed (`infrastructure`). */
export type CauseOrigin = 'request' | 'infrastructure';

/** A message API Gateway sends for a cause: the text as it reads, and a tolerant pattern that matches it. */
export interface CauseMessage {
  /** The message as API Gateway writes it, with `<…>` for the variable parts (for people and docs). */
  readonly text: string;
  /** Matches the message once normalized (lower case, quotes dropped, runs of blanks made one space). */
  readonly pattern: RegExp;
}

/** One row of the table. */
export interface ForbiddenCause {
  /** Stable kebab-case id; never reused. */
  readonly id: string;
  /** The issue, in a few words. */
  readonly title: string;
  readonly origin: CauseOrigin;
  /** The `x-amzn-ErrorType` values (without the `:…` suffix API Gateway may add); none for HTTP APIs' bare "Forbidden". */
  readonly errorTypes: ReadonlyArray<string>;
  /** The gateway response types (`$context.error.responseType`) that answer for this cause. */
  readonly responseTypes: ReadonlyArray<string>;
  /** The messages of the body (`{"message": …}` or `{"Message": …}`). */
  readonly messages: ReadonlyArray<CauseMessage>;
  /** The kinds of hostname on which this cause can happen. */
  readonly hosts: ReadonlyArray<HostKind>;
  /** What it means, in two or three sentences. */
  readonly meaning: string;
  /** What to check, in order. */
  readonly check: ReadonlyArray<string>;
  /** The names of the rules of this library (src/rules) that catch it at synth time; none for request-time causes. */
  readonly rules: ReadonlyArray<string>;
  /** The AWS documentation of the cause. */
  readonly source: string;
}

const ALL_HOSTS = HOST_KINDS;
const KC_403 = 'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden';
const SIGV4 = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html';

const FORBIDDEN: CauseMessage = { text: 'Forbidden', pattern: /^forbidden\.?$/ };
const MISSING_TOKEN: CauseMessage = { text: 'Missing Authentication Token', pattern: /^missing authentication token/ };
const ANONYMOUS_NOT_AUTHORIZED: CauseMessage = {
  text: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn>',
  pattern:
    /^user: anonymous is not authorized to perform: execute-api:invoke on resource(?!.*(explicit deny|policy allows))/,
};
const ANONYMOUS_BY_ENDPOINT_POLICY: CauseMessage = {
  text: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn> because no VPC endpoint policy allows the execute-api:Invoke action',
  pattern: /not authorized to perform: execute-api:invoke on resource.*(vpc endpoint policy|vpce policy)/,
};
const USER_EXPLICIT_DENY: CauseMessage = {
  text: 'User: <user-arn> is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn> with an explicit deny',
  pattern: /^user: \S+ is not authorized to perform: execute-api:invoke on resource.*explicit deny/,
};

/** The table, in a fixed order: routing first, then signing, keys and filters, then hostnames and policies. */
export const FORBIDDEN_CAUSES: ReadonlyArray<ForbiddenCause> = [
  {
    id: 'resource-path-not-found',
    title: 'No deployed resource or method for the request (wrong path, method or stage; not deployed)',
    origin: 'request',
    errorTypes: ['MissingAuthenticationTokenException'],
    responseTypes: ['MISSING_AUTHENTICATION_TOKEN'],
    messages: [MISSING_TOKEN],
    hosts: ALL_HOSTS,
    meaning:
      'A REST API answers a request that matches no deployed resource and method with 403 "Missing Authentication Token", not 404: ' +
      'the path, the HTTP method or the stage is not what is deployed. On a custom domain, the path after the base path is the resource path, ' +
      'so a URL that repeats the stage name asks for a resource that does not exist.',
    check: [
      'Compare the method and path of the request with the resources and methods of the API (aws apigateway get-resources --rest-api-id <api-id> --region <region>).',
      'Check that the last changes were deployed to the stage you call (a new deployment, then the stage pointing at it).',
      'On the default endpoint, the first path segment must be a stage of the API; on a custom domain, leave the stage out: the base path mapping selects it.',
      'Mind a trailing slash, a missing path parameter or a proxy resource that is not there.',
    ],
    rules: ['CustomDomainUrlIncludesStage', 'UnknownStageInUrl'],
    source: 'https://repost.aws/knowledge-center/api-gateway-403-custom-domain',
  },
  {
    id: 'unsigned-request-to-iam-method',
    title: 'An unsigned request to a method with AWS_IAM authorization',
    origin: 'request',
    errorTypes: ['MissingAuthenticationTokenException'],
    responseTypes: ['MISSING_AUTHENTICATION_TOKEN'],
    messages: [MISSING_TOKEN],
    hosts: ALL_HOSTS,
    meaning:
      'A method with AWS_IAM authorization needs a request signed with Signature Version 4 for the execute-api service. A request without an ' +
      'Authorization header (or X-Amz-* query parameters) has no authentication token and is answered with 403 "Missing Authentication Token".',
    check: [
      'Sign the request with SigV4 for the service execute-api and the region of the API (an AWS SDK, aws-sigv4-fetch, awscurl, Postman "AWS Signature").',
      'Check that a proxy or CDN in front of the API does not drop the Authorization, X-Amz-Date or X-Amz-Security-Token headers.',
    ],
    rules: [],
    source: KC_403,
  },
  {
    id: 'authorization-header-on-missing-path',
    title: 'An Authorization header that is not SigV4, sent to a missing path or to an AWS_IAM method',
    origin: 'request',
    errorTypes: ['IncompleteSignatureException'],
    responseTypes: ['MISSING_AUTHENTICATION_TOKEN', 'INVALID_SIGNATURE'],
    messages: [
      {
        text: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. … Authorization=<header>",
        pattern:
          /authorization header requires .?(credential|signature|signedheaders).? parameter|authorization header requires existence of either/,
      },
      {
        text: 'Invalid key=value pair (missing equal-sign) in Authorization header',
        pattern: /invalid key=value pair \(missing equal-sign\) in authorization header/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'API Gateway reads an Authorization header it cannot use as a SigV4 signature (a bearer token, say) as a broken signature when the request ' +
      'matches no deployed resource and method, or when the method uses AWS_IAM authorization. The real cause is most often the path: the same ' +
      'request without the header gets "Missing Authentication Token".',
    check: [
      'Check the path, method and stage of the request as for "Missing Authentication Token" (a custom domain URL must not repeat the stage).',
      'If the method uses AWS_IAM authorization, sign the request with SigV4 instead of sending a token; if it uses a Lambda or Cognito authorizer, check that this method really has that authorizer.',
    ],
    rules: ['CustomDomainUrlIncludesStage', 'UnknownStageInUrl'],
    source: KC_403,
  },
  {
    id: 'signature-expired',
    title: 'The SigV4 signature has expired (clock skew, or a request replayed later)',
    origin: 'request',
    errorTypes: ['InvalidSignatureException'],
    responseTypes: ['EXPIRED_TOKEN', 'INVALID_SIGNATURE'],
    messages: [
      { text: 'Signature expired: <date> is now earlier than <date>', pattern: /^signature expired/ },
      { text: 'Signature not yet current: <date> is still later than <date>', pattern: /^signature not yet current/ },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'A SigV4 signature is valid for five minutes from its X-Amz-Date. A request signed earlier (cached, queued or replayed), or on a machine ' +
      'whose clock is off, is refused.',
    check: [
      'Sign each request just before it is sent; do not cache signed requests or presigned URLs beyond their lifetime.',
      'Check the clock of the client (NTP); the time in X-Amz-Date is UTC.',
    ],
    rules: [],
    source: SIGV4,
  },
  {
    id: 'signature-mismatch',
    title: 'The SigV4 signature does not match (wrong secret key, canonical request, region or service)',
    origin: 'request',
    errorTypes: ['InvalidSignatureException', 'IncompleteSignatureException'],
    responseTypes: ['INVALID_SIGNATURE'],
    messages: [
      {
        text: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        pattern: /request signature we calculated does not match the signature you provided/,
      },
      {
        text: "Credential should be scoped to a valid region, not '<region>'",
        pattern: /credential should be scoped to (a valid region|correct service)/,
      },
      {
        text: 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP',
        pattern: /date in credential scope does not match/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'API Gateway computed another signature than the one sent: the secret key is wrong, the request was changed after it was signed (a proxy ' +
      'rewrote the path, query or headers), or it was signed for another region or service than execute-api in the region of the API.',
    check: [
      "Sign for the service execute-api and the region of the API (the region in the hostname, not the caller's).",
      'Sign the exact path and query that are sent (URL encoding, a custom domain base path) and the Host header the request carries.',
      'Check the secret access key that goes with the access key id.',
    ],
    rules: [],
    source: SIGV4,
  },
  {
    id: 'invalid-security-token',
    title: 'The security token of the request is invalid (unknown access key, missing or foreign session token)',
    origin: 'request',
    errorTypes: ['AccessDeniedException', 'UnrecognizedClientException'],
    responseTypes: [],
    messages: [
      {
        text: 'The security token included in the request is invalid.',
        pattern: /^the security token included in the request is invalid/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'The access key id that signed the request is not known to IAM (deleted, inactive, from another partition), or temporary credentials ' +
      'were used without their session token (X-Amz-Security-Token).',
    check: [
      'Check that the access key is active (aws iam list-access-keys) or that the temporary credentials are current.',
      'With temporary credentials (a role, SSO, Lambda, ECS), send X-Amz-Security-Token with the signature.',
    ],
    rules: [],
    source: KC_403,
  },
  {
    id: 'security-token-expired',
    title: 'The temporary credentials that signed the request have expired',
    origin: 'request',
    errorTypes: ['ExpiredTokenException', 'AccessDeniedException'],
    responseTypes: ['EXPIRED_TOKEN'],
    messages: [
      {
        text: 'The security token included in the request is expired',
        pattern: /^the security token included in the request is expired/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning: 'The session token of temporary credentials (an assumed role, SSO, a Cognito identity pool) has expired.',
    check: [
      "Refresh the credentials before signing; let the SDK's credential provider refresh them instead of holding them.",
    ],
    rules: [],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html',
  },
  {
    id: 'invalid-api-key',
    title: 'The API key is missing, wrong, disabled or not in a usage plan of the stage',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: ['INVALID_API_KEY'],
    messages: [FORBIDDEN],
    hosts: ALL_HOSTS,
    meaning:
      'A method with apiKeyRequired accepts a request only with an x-api-key header that holds an enabled key, in a usage plan that includes ' +
      'the API stage being called. A method whose stage no usage plan with a key covers refuses every request.',
    check: [
      'Send the key value (not its id) in the x-api-key header.',
      'Check that the key is enabled and in a usage plan whose apiStages include this API and stage (aws apigateway get-usage-plans).',
      'With a Lambda authorizer as key source (apiKeySource AUTHORIZER), check that it returns usageIdentifierKey.',
    ],
    rules: ['ApiKeyWithoutUsagePlan'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html',
  },
  {
    id: 'waf-blocked',
    title: 'AWS WAF blocked the request',
    origin: 'request',
    errorTypes: ['ForbiddenException'],
    responseTypes: ['WAF_FILTERED'],
    messages: [FORBIDDEN],
    hosts: ALL_HOSTS,
    meaning:
      'A web ACL associated with the stage (or with a CloudFront distribution in front of it) blocked the request; API Gateway answers 403 ' +
      'unless the web ACL sends a custom response.',
    check: [
      "Look up the request in the web ACL's sampled requests or WAF logs (the rule that terminated it).",
      'Check the web ACL of the stage: aws wafv2 get-web-acl-for-resource --resource-arn arn:aws:apigateway:<region>::/restapis/<api-id>/stages/<stage>.',
    ],
    rules: [],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html',
  },
  {
    id: 'mtls-untrusted-certificate',
    title: "Mutual TLS: the client certificate is not trusted by the custom domain's truststore",
    origin: 'request',
    errorTypes: ['ForbiddenException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [FORBIDDEN],
    hosts: ['custom-domain'],
    meaning:
      'A custom domain that requires mutual TLS refuses a client certificate whose issuer is not in its truststore, that is self-signed, or that ' +
      'uses an insecure signature algorithm; the execution logs say "Access denied. Reason: …".',
    check: [
      'Check that the issuing CA (and its chain) is in the truststore (the S3 object and version the domain names).',
      "Check that the client sends its certificate to this domain, and look for the domain's warnings after a truststore update.",
    ],
    rules: [],
    source: 'https://repost.aws/knowledge-center/api-gateway-mutual-tls-403-errors',
  },
  {
    id: 'stage-not-found',
    title: 'The stage in the URL does not exist (not deployed, or misspelt)',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException', 'MissingAuthenticationTokenException'],
    responseTypes: ['MISSING_AUTHENTICATION_TOKEN'],
    messages: [FORBIDDEN, MISSING_TOKEN],
    hosts: ['default', 'endpoint-specific', 'vpce'],
    meaning:
      'On the default endpoint of a REST or WebSocket API, the first path segment names the stage. A stage the API does not have (never deployed, ' +
      'deleted, or spelt otherwise) is answered with 403.',
    check: [
      'List the stages of the API (aws apigateway get-stages --rest-api-id <api-id> --region <region>) and compare with the first path segment (<stage>).',
      'An HTTP API with the $default stage takes no stage in the path; a REST API always does.',
    ],
    rules: ['UnknownStageInUrl'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html',
  },
  {
    id: 'unknown-api-id',
    title: 'No API with this id in this region (wrong id or region, or the API was deleted)',
    origin: 'request',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['default', 'endpoint-specific'],
    meaning:
      'Every {api-id}.execute-api.{region}.amazonaws.com name resolves, whether or not an API has that id in that region; API Gateway answers ' +
      'a name without an API with 403 Forbidden. API ids change when an API is replaced (a new logical id, a deleted stack).',
    check: [
      'Look the id up in the region of the hostname: aws apigateway get-rest-api --rest-api-id <api-id> --region <region> (or apigatewayv2 get-api).',
      'Take the URL from the stack outputs or an SSM parameter rather than a hard-coded id.',
    ],
    rules: [],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html',
  },
  {
    id: 'private-api-via-public-dns',
    title: 'A private API called through public DNS or from outside its VPC endpoints',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['default', 'vpce'],
    meaning:
      'A private API can only be reached through an interface VPC endpoint for execute-api. Its default hostname leads there only inside a VPC ' +
      "whose endpoint has private DNS on; from elsewhere (another VPC, on-premises, the internet) it answers 403. Called on the endpoint's own " +
      'DNS name, the request needs a Host or x-apigw-api-id header naming the API.',
    check: [
      'Call from a VPC whose execute-api endpoint has private DNS on, or use the endpoint-specific hostname {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com (Route 53 alias).',
      'On the endpoint DNS name (vpce-….execute-api.{region}.vpce.amazonaws.com), send Host: {api-id}.execute-api.{region}.amazonaws.com or x-apigw-api-id: {api-id}.',
      'From on-premises, resolve the name through a Route 53 Resolver inbound endpoint of the VPC.',
    ],
    rules: ['PrivateApiUnreachable'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html',
  },
  {
    id: 'private-dns-shadows-public-api',
    title: 'An execute-api endpoint with private DNS shadows a public API for callers in its VPC',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['default', 'custom-domain'],
    meaning:
      'With private DNS on, an execute-api interface endpoint makes every *.execute-api.{region}.amazonaws.com name resolve, inside its VPC, to ' +
      'the endpoint, which only reaches private APIs: a call to a public (regional or edge) API on its default hostname, or on a custom domain ' +
      'published with a CNAME to its d-….execute-api target, ends at the endpoint and gets 403.',
    check: [
      "Find whether the caller's VPC has an execute-api endpoint with private DNS (aws ec2 describe-vpc-endpoints --filters Name=service-name,Values=com.amazonaws.<region>.execute-api).",
      'Call the public API on a custom domain published with an A/AAAA alias record, or turn private DNS off and call private APIs on their endpoint-specific hostnames.',
    ],
    rules: [
      'PrivateDnsShadowsPublicApi',
      'PrivateDnsShadowsUnknownApi',
      'PrivateZoneHidesHostname',
      'RegionalDomainCnameRecord',
    ],
    source: 'https://repost.aws/knowledge-center/api-gateway-vpc-connections',
  },
  {
    id: 'default-endpoint-disabled',
    title: 'The default execute-api endpoint of the API is disabled',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['default'],
    meaning:
      'With disableExecuteApiEndpoint, API Gateway refuses every request to {api-id}.execute-api.{region}.amazonaws.com: the API is only served ' +
      'on its custom domains.',
    check: [
      'Call the API on a custom domain that maps it, or enable the default endpoint (and deploy again: the setting takes effect with a deployment).',
      'Check the setting: aws apigateway get-rest-api --rest-api-id <api-id> --region <region> --query disableExecuteApiEndpoint (apigatewayv2 get-api for HTTP APIs).',
    ],
    rules: ['DefaultEndpointDisabledButCalled'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html',
  },
  {
    id: 'custom-domain-without-mapping',
    title: 'The custom domain has no mapping for the request (no base path mapping, or another base path)',
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['custom-domain', 'domain-target'],
    meaning:
      'A custom domain forwards a request only to an API stage mapped on it. A domain without any base path mapping (REST) or API mapping ' +
      '(HTTP, WebSocket) answers every request with 403; a path whose first segment matches no base path does too. Routing rules ' +
      '(REST) route a request by base path and headers, but only when the routing mode of the domain uses them; ROUTING_RULE_ONLY ' +
      'ignores the mappings.',
    check: [
      'List the mappings of the domain (aws apigatewayv2 get-api-mappings --domain-name <host> --region <region>) and compare the base path with the first path segment.',
      'Read the routing mode (aws apigatewayv2 get-domain-name --domain-name <host>: RoutingMode) and, unless it is API_MAPPING_ONLY, the routing rules (aws apigatewayv2 list-routing-rules --domain-name-id <id>) with their conditions.',
      'Call the custom domain name itself: its regional target name d-….execute-api.{region}.amazonaws.com does not serve requests for another Host.',
    ],
    rules: ['CustomDomainWithoutMapping'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
  },
  {
    id: 'private-domain-without-access-association',
    title: "A private custom domain without an access association for the caller's VPC endpoint",
    origin: 'infrastructure',
    errorTypes: ['ForbiddenException'],
    responseTypes: [],
    messages: [FORBIDDEN],
    hosts: ['custom-domain'],
    meaning:
      'A private custom domain name is served only through the VPC endpoints that have a domain name access association with it, and that its ' +
      'own policy (managementPolicy and policy) lets invoke it; other endpoints get 403.',
    check: [
      "List the access associations of the domain (aws apigateway get-domain-name-access-associations) and find the caller's endpoint.",
      "Check the domain name's policy (execute-api:Invoke on its ARN, with the aws:SourceVpce of the endpoint).",
    ],
    rules: ['PrivateDomainWithoutAccessAssociation'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains.html',
  },
  {
    id: 'resource-policy-explicit-deny',
    title: "A Deny statement of the API's resource policy matches the request",
    origin: 'infrastructure',
    errorTypes: ['AccessDeniedException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [
      USER_EXPLICIT_DENY,
      {
        text: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn> with an explicit deny',
        pattern: /^user: anonymous is not authorized to perform: execute-api:invoke on resource.*explicit deny/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'An explicit Deny always wins: a Deny of the resource policy whose principal, resource and conditions (aws:SourceIp, aws:SourceVpce, ' +
      "aws:SourceVpc…) match the request refuses it, whatever allows it elsewhere. A private API's usual Deny with StringNotEquals on aws:SourceVpce " +
      'catches every endpoint it does not list.',
    check: [
      'Read the resource policy of the API (aws apigateway get-rest-api --rest-api-id <api-id> --region <region> --query policy) and find the Deny that matches.',
      'A change of the resource policy takes effect only with a new deployment of the API.',
      'If the API or its custom domain is dual-stack, a client connecting over IPv6 has an IPv6 aws:SourceIp: check that a NotIpAddress Deny lists its range.',
    ],
    rules: ['ResourcePolicyDeniesAll', 'PrivateApiPolicyExcludesCaller', 'DualStackPolicyIpv4Only'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html',
  },
  {
    id: 'resource-policy-no-allow',
    title: "The API's resource policy allows nothing for this caller",
    origin: 'infrastructure',
    errorTypes: ['AccessDeniedException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [
      ANONYMOUS_NOT_AUTHORIZED,
      {
        text: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn> because no resource-based policy allows the execute-api:Invoke action',
        pattern: /not authorized to perform: execute-api:invoke on resource.*no resource-based policy allows/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      'With a resource policy, an unsigned request (a method with NONE or a Lambda/Cognito authorizer) is allowed only by an Allow statement for ' +
      'Principal "*" that matches it. A private API without a resource policy, a policy whose Allow leaves out the caller\'s endpoint or VPC, or ' +
      'a policy that allows only IAM principals refuses anonymous requests.',
    check: [
      'Read the resource policy of the API (aws apigateway get-rest-api --rest-api-id <api-id> --region <region> --query policy) and find the Allow that should match <api-resource-arn> (principal "*", the endpoint or VPC of the caller).',
      "For a private API, check the aws:SourceVpce / aws:SourceVpc values against the caller's endpoint and VPC; deploy again after a change.",
      'If the API or its custom domain is dual-stack, a client connecting over IPv6 has an IPv6 aws:SourceIp: check that the Allow lists its range.',
    ],
    rules: [
      'PrivateApiWithoutResourcePolicy',
      'PrivateApiPolicyExcludesCaller',
      'ResourcePolicyExcludesAnonymous',
      'DualStackPolicyIpv4Only',
    ],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html',
  },
  {
    id: 'iam-not-granted',
    title: 'IAM does not allow the signed caller to invoke the method',
    origin: 'infrastructure',
    errorTypes: ['AccessDeniedException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [
      {
        text: 'User: <user-arn> is not authorized to perform: execute-api:Invoke on resource: <api-resource-arn>',
        pattern: /^user: arn:\S+ is not authorized to perform: execute-api:invoke on resource/,
      },
    ],
    hosts: ALL_HOSTS,
    meaning:
      "For a method with AWS_IAM authorization, the signed caller needs an identity policy that allows execute-api:Invoke on the method's ARN " +
      '(arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{method}/{path}), unless the resource policy grants it; a Deny in either refuses it.',
    check: [
      'Simulate the call: aws iam simulate-principal-policy --policy-source-arn <role-arn> --action-names execute-api:Invoke --resource-arns <api-resource-arn>.',
      'Check the method ARN in the policy: stage, HTTP method and path (wildcards), and the account and region.',
    ],
    rules: ['IamAuthCallerNotGranted'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html',
  },
  {
    id: 'lambda-authorizer-deny',
    title: 'A Lambda authorizer denied the request',
    origin: 'request',
    errorTypes: ['AccessDeniedException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [
      {
        text: 'User is not authorized to access this resource with an explicit deny',
        pattern: /^user is not authorized to access this resource/,
      },
      FORBIDDEN,
    ],
    hosts: ALL_HOSTS,
    meaning:
      'The Lambda authorizer returned a policy that denies execute-api:Invoke on this method, or one that does not cover it (an authorizer ' +
      'result is cached for the token: a policy for one method ARN refuses the others). HTTP APIs with simple responses answer a false isAuthorized ' +
      'with 403 "Forbidden".',
    check: [
      "Read the authorizer's logs for this request and the policy it returned (Resource must cover the method ARN, or use a wildcard when results are cached).",
      "Set the authorizer's result TTL to 0 while debugging to rule out a cached policy.",
    ],
    rules: [],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html',
  },
  {
    id: 'jwt-scope-missing',
    title: 'A JWT authorizer: the token carries none of the scopes the route or method requires',
    origin: 'request',
    errorTypes: [],
    responseTypes: ['ACCESS_DENIED'],
    messages: [FORBIDDEN],
    hosts: ALL_HOSTS,
    meaning:
      'A route (HTTP API) or method (REST API) with authorization scopes and a JWT authorizer accepts a valid token only when its scope ' +
      '(or scp) claim holds at least one of them; otherwise it answers 403 "Forbidden" (a missing or invalid token gets 401 instead). ' +
      'HTTP APIs send no x-amzn-ErrorType.',
    check: [
      "Decode the access token and compare its scope claim with the route's authorizationScopes.",
      'Send the access token, not the ID token, when the route requires scopes.',
    ],
    rules: [],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html',
  },
  {
    id: 'endpoint-policy-deny',
    title: 'The policy of the VPC endpoint the request went through does not allow it',
    origin: 'infrastructure',
    errorTypes: ['AccessDeniedException'],
    responseTypes: ['ACCESS_DENIED'],
    messages: [ANONYMOUS_BY_ENDPOINT_POLICY, ANONYMOUS_NOT_AUTHORIZED, USER_EXPLICIT_DENY],
    hosts: ['default', 'endpoint-specific', 'vpce', 'custom-domain'],
    meaning:
      "A VPC endpoint policy is evaluated for every request through the endpoint, before the API's resource policy: when it does not allow " +
      'execute-api:Invoke on the API (or denies it), the request is refused, whatever the API allows.',
    check: [
      'Read the policy of the endpoint (aws ec2 describe-vpc-endpoints --vpc-endpoint-ids <vpce-id> --region <region> --query "VpcEndpoints[].PolicyDocument").',
      'Check that it allows execute-api:Invoke on <api-resource-arn> for the caller\'s principal (anonymous requests have Principal "*").',
    ],
    rules: ['ExecuteApiEndpointPolicyBlocks'],
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-vpc-endpoint-policies.html',
  },
];

/** The row with `id`, or undefined. */
export function causeById(id: string): ForbiddenCause | undefined {
  return FORBIDDEN_CAUSES.find((c) => c.id === id);
}

/** The table as Markdown (id, issue, error type and message, hosts, rules): docs/cli-explain.md holds it, and a test checks it is current. */
export function causesMarkdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = FORBIDDEN_CAUSES.map((c) => {
    const response = [
      c.errorTypes.length > 0 ? c.errorTypes.map((t) => `\`${t}\``).join(', ') : '(none)',
      ...c.messages.map((m) => `"${cell(m.text)}"`),
    ].join('<br>');
    const hosts = c.hosts.length === HOST_KINDS.length ? 'any' : c.hosts.join(', ');
    const rules = c.rules.length > 0 ? c.rules.map((r) => `[${r}](rules/${r}.md)`).join(', ') : '— (request-time)';
    return `| \`${c.id}\` | ${cell(c.title)} | ${response} | ${hosts} | ${rules} |`;
  });
  return [
    '| Id | Cause | x-amzn-ErrorType, message | Hosts | Caught at synth time by |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
