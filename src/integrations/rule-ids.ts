/**
 * The ids of the rules, for acknowledging their findings with
 * `Validations.of(scope).acknowledge({ id, reason })`.
 *
 * Add `[<finding id>]` to acknowledge one finding only, e.g.
 * `` `${ApiReachabilityRule.PRIVATE_DNS_SHADOWS_PUBLIC_API}[Svc/PaymentsApi/Resource]` ``.
 * Ids never change once released.
 */
export enum ApiReachabilityRule {
  /** A caller in a VPC whose execute-api endpoint has private DNS on calls a public API on its default hostname. */
  PRIVATE_DNS_SHADOWS_PUBLIC_API = 'ApiReachability-PrivateDnsShadowsPublicApi',
  /** Same, for a default execute-api hostname of an API the app does not define. */
  PRIVATE_DNS_SHADOWS_UNKNOWN_API = 'ApiReachability-PrivateDnsShadowsUnknownApi',
  /** A regional custom domain is published with a CNAME instead of an A/AAAA alias record. */
  REGIONAL_DOMAIN_CNAME_RECORD = 'ApiReachability-RegionalDomainCnameRecord',
  /** A caller of a public API sits only in subnets with no route to the internet. */
  PUBLIC_API_CALLER_WITHOUT_EGRESS = 'ApiReachability-PublicApiCallerWithoutEgress',
}
