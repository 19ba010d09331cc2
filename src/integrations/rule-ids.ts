/**
 * The ids of the rules, for acknowledging their findings with
 * `Validations.of(scope).acknowledge({ id, reason })`.
 *
 * Add `[<finding id>]` to acknowledge one finding only, e.g.
 * `` `${ApiReachabilityRule.PRIVATE_DNS_SHADOWS_PUBLIC_API}[Svc/PaymentsApi/Resource]` ``.
 * Ids never change once released.
 */
export enum ApiReachabilityRule {
  /** A method requires an API key while no usage plan with a key covers the API stage. */
  API_KEY_WITHOUT_USAGE_PLAN = 'ApiReachability-ApiKeyWithoutUsagePlan',
  /** A caller's URL repeats the stage after a custom domain whose mapping already selects it. */
  CUSTOM_DOMAIN_URL_INCLUDES_STAGE = 'ApiReachability-CustomDomainUrlIncludesStage',
  /** A custom domain name has no base path or API mapping. */
  CUSTOM_DOMAIN_WITHOUT_MAPPING = 'ApiReachability-CustomDomainWithoutMapping',
  /** A caller uses the default URL of an API whose default endpoint is disabled, or nothing can reach the API. */
  DEFAULT_ENDPOINT_DISABLED_BUT_CALLED = 'ApiReachability-DefaultEndpointDisabledButCalled',
  /** An execute-api endpoint's own policy leaves out a private API its callers call. */
  EXECUTE_API_ENDPOINT_POLICY_BLOCKS = 'ApiReachability-ExecuteApiEndpointPolicyBlocks',
  /** A caller calls an AWS_IAM method while its role's policies do not allow execute-api:Invoke on it. */
  IAM_AUTH_CALLER_NOT_GRANTED = 'ApiReachability-IamAuthCallerNotGranted',
  /** A custom domain requires mutual TLS while the API's default endpoint stays enabled. */
  MUTUAL_TLS_DEFAULT_ENDPOINT_OPEN = 'ApiReachability-MutualTlsDefaultEndpointOpen',
  /** A private API allows any VPC endpoint in any account to invoke it. */
  PRIVATE_API_POLICY_ALLOWS_ANY_ENDPOINT = 'ApiReachability-PrivateApiPolicyAllowsAnyEndpoint',
  /** A private API's resource policy leaves out the VPC endpoint or VPC a caller comes through. */
  PRIVATE_API_POLICY_EXCLUDES_CALLER = 'ApiReachability-PrivateApiPolicyExcludesCaller',
  /** A caller calls a private API on its default hostname from a VPC where that name cannot reach it. */
  PRIVATE_API_UNREACHABLE = 'ApiReachability-PrivateApiUnreachable',
  /** A private REST API has no resource policy. */
  PRIVATE_API_WITHOUT_RESOURCE_POLICY = 'ApiReachability-PrivateApiWithoutResourcePolicy',
  /** A caller in a VPC whose execute-api endpoint has private DNS on calls a public API on its default hostname. */
  PRIVATE_DNS_SHADOWS_PUBLIC_API = 'ApiReachability-PrivateDnsShadowsPublicApi',
  /** Same, for a default execute-api hostname of an API the app does not define. */
  PRIVATE_DNS_SHADOWS_UNKNOWN_API = 'ApiReachability-PrivateDnsShadowsUnknownApi',
  /** A caller uses a private custom domain through an endpoint without an access association to it. */
  PRIVATE_DOMAIN_WITHOUT_ACCESS_ASSOCIATION = 'ApiReachability-PrivateDomainWithoutAccessAssociation',
  /** A caller of a public API sits only in subnets with no route to the internet. */
  PUBLIC_API_CALLER_WITHOUT_EGRESS = 'ApiReachability-PublicApiCallerWithoutEgress',
  /** A regional custom domain is published with a CNAME instead of an A/AAAA alias record. */
  REGIONAL_DOMAIN_CNAME_RECORD = 'ApiReachability-RegionalDomainCnameRecord',
  /** A REST API's resource policy denies every call, unconditionally. */
  RESOURCE_POLICY_DENIES_ALL = 'ApiReachability-ResourcePolicyDeniesAll',
  /** A method with NONE authorization sits on an API whose resource policy allows only AWS identities. */
  RESOURCE_POLICY_EXCLUDES_ANONYMOUS = 'ApiReachability-ResourcePolicyExcludesAnonymous',
  /** A caller's default URL names a stage the API does not have. */
  UNKNOWN_STAGE_IN_URL = 'ApiReachability-UnknownStageInUrl',
}
