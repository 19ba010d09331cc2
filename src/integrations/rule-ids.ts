/**
 * The ids of the rules, for acknowledging their findings with
 * `Validations.of(scope).acknowledge({ id, reason })`.
 *
 * Add `[<finding id>]` to acknowledge one finding only, e.g.
 * `` `${ApiReachabilityRule.PRIVATE_DNS_SHADOWS_PUBLIC_API}[Svc/PaymentsApi/Resource]` ``.
 * Ids never change once released.
 */
export enum ApiReachabilityRule {
  /** A method requires an API key while no usage plan with at least one key covers that API stage. */
  API_KEY_WITHOUT_USAGE_PLAN = 'ApiReachability-ApiKeyWithoutUsagePlan',
  /** A caller's URL puts the stage name after a custom domain whose mapping already selects that stage. */
  CUSTOM_DOMAIN_URL_INCLUDES_STAGE = 'ApiReachability-CustomDomainUrlIncludesStage',
  /**
   * A custom domain name (v1, v2 or private) has no base path mapping, API mapping or routing rule that its routing
   * mode uses.
   */
  CUSTOM_DOMAIN_WITHOUT_MAPPING = 'ApiReachability-CustomDomainWithoutMapping',
  /**
   * A caller uses the default execute-api URL of an API whose default endpoint is disabled; or the default endpoint is
   * disabled and no custom domain of the app maps the API.
   */
  DEFAULT_ENDPOINT_DISABLED_BUT_CALLED = 'ApiReachability-DefaultEndpointDisabledButCalled',
  /**
   * An API accepts IPv6 (it, or a custom domain that maps it, is dual-stack) while its resource policy admits callers only
   * from IPv4 aws:SourceIp ranges.
   */
  DUAL_STACK_POLICY_IPV4_ONLY = 'ApiReachability-DualStackPolicyIpv4Only',
  /** An execute-api endpoint's own policy leaves out a private API that callers of the app reach through it. */
  EXECUTE_API_ENDPOINT_POLICY_BLOCKS = 'ApiReachability-ExecuteApiEndpointPolicyBlocks',
  /**
   * A caller calls an API whose methods all use AWS_IAM authorization while no policy of its role allows
   * execute-api:Invoke on it.
   */
  IAM_AUTH_CALLER_NOT_GRANTED = 'ApiReachability-IamAuthCallerNotGranted',
  /** A custom domain requires mutual TLS while the API it maps keeps its default execute-api endpoint enabled. */
  MUTUAL_TLS_DEFAULT_ENDPOINT_OPEN = 'ApiReachability-MutualTlsDefaultEndpointOpen',
  /**
   * A private API allows execute-api:Invoke to everyone with no condition on aws:SourceVpce, aws:SourceVpc,
   * aws:PrincipalOrgID or aws:SourceAccount.
   */
  PRIVATE_API_POLICY_ALLOWS_ANY_ENDPOINT = 'ApiReachability-PrivateApiPolicyAllowsAnyEndpoint',
  /** A private API's resource policy leaves out the VPC endpoint or VPC that a caller of the app comes through. */
  PRIVATE_API_POLICY_EXCLUDES_CALLER = 'ApiReachability-PrivateApiPolicyExcludesCaller',
  /**
   * A caller calls a private API on its default hostname from a VPC whose execute-api endpoint has private DNS off, or
   * from a VPC with no execute-api endpoint.
   */
  PRIVATE_API_UNREACHABLE = 'ApiReachability-PrivateApiUnreachable',
  /** A private REST API has no resource policy. */
  PRIVATE_API_WITHOUT_RESOURCE_POLICY = 'ApiReachability-PrivateApiWithoutResourcePolicy',
  /**
   * A caller in a VPC whose execute-api endpoint has private DNS on calls a public API (same region) on its default
   * execute-api hostname.
   */
  PRIVATE_DNS_SHADOWS_PUBLIC_API = 'ApiReachability-PrivateDnsShadowsPublicApi',
  /**
   * A caller in a VPC whose execute-api endpoint has private DNS on calls a default execute-api hostname of an API the
   * app does not define, so its type is unknown.
   */
  PRIVATE_DNS_SHADOWS_UNKNOWN_API = 'ApiReachability-PrivateDnsShadowsUnknownApi',
  /**
   * A caller uses a private custom domain name through an execute-api endpoint that has no access association with that
   * domain, or that the domain's own policy or the mapped API's policy leaves out; or a private custom domain has no
   * access association at all.
   */
  PRIVATE_DOMAIN_WITHOUT_ACCESS_ASSOCIATION = 'ApiReachability-PrivateDomainWithoutAccessAssociation',
  /**
   * A caller calls an API by a name that a private hosted zone associated with its VPC covers but holds no record for, or
   * that the zone answers with a CNAME to an execute-api name its VPC resolves to an execute-api endpoint.
   */
  PRIVATE_ZONE_HIDES_HOSTNAME = 'ApiReachability-PrivateZoneHidesHostname',
  /** A caller of a public API sits only in subnets with no route to the internet. */
  PUBLIC_API_CALLER_WITHOUT_EGRESS = 'ApiReachability-PublicApiCallerWithoutEgress',
  /**
   * A regional custom domain (or an execute-api hostname) is published with a Route 53 CNAME record instead of an
   * A/AAAA alias record.
   */
  REGIONAL_DOMAIN_CNAME_RECORD = 'ApiReachability-RegionalDomainCnameRecord',
  /**
   * A REST API's resource policy denies execute-api:Invoke to everyone, on every method, with no condition that could
   * ever be false.
   */
  RESOURCE_POLICY_DENIES_ALL = 'ApiReachability-ResourcePolicyDeniesAll',
  /**
   * A method with NONE authorization sits on an API whose resource policy allows only callers with an AWS identity, so
   * every unsigned request is denied.
   */
  RESOURCE_POLICY_EXCLUDES_ANONYMOUS = 'ApiReachability-ResourcePolicyExcludesAnonymous',
  /** A caller's default URL names a stage that the API does not have. */
  UNKNOWN_STAGE_IN_URL = 'ApiReachability-UnknownStageInUrl',
}

/**
 * The level a door reports a rule's findings at, or `OFF` to run without them: the `ruleLevels`
 * option of `ApiReachabilityChecks` and `ApiReachabilityAspect`.
 */
export enum RuleLevel {
  /** Report the rule's findings as errors: they fail `cdk synth`. */
  ERROR = 'error',
  /** Report the rule's findings as warnings. */
  WARNING = 'warning',
  /** Do not report the rule's findings (the rule still runs: other rules share its facts). */
  OFF = 'off',
}
