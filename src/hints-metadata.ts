/**
 * The metadata that the library writes on CloudFormation resources for its own checks to read: a
 * tiny module of its own that imports nothing, shared by the hints (integrations), the constructs
 * (which must not import the engine) and the facts that read it. Its shape is a contract with
 * `cdk.out`: checks of synthesized templates read the same entries.
 */

/** Metadata key under which the library's entries are stored on a resource. */
export const HINTS_METADATA_KEY = 'cdk-api-reachability';

/** The shape of the metadata under {@link HINTS_METADATA_KEY}. */
export interface HintsMetadata {
  /**
   * On a caller (or what it runs): construct paths of the CloudFormation resources of APIs it calls
   * on their default hostname (`ApiReachability.of(caller).declareCall(api)`).
   */
  readonly calls?: string[];
  /** On a caller (or what it runs): URLs it calls that the app cannot show (`declareExternalCall(url)`). */
  readonly externalCalls?: string[];
  /**
   * On an execute-api VPC endpoint: ids of private REST APIs outside the app that it is used to reach,
   * recorded by `PrivateApiAccess.urlFor(api)` with the URL it hands out. A default hostname
   * `{id}.execute-api.<region>.amazonaws.com` of such an API is a private API, not one of unknown type.
   */
  readonly privateApis?: string[];
  /**
   * On a private custom domain name (`AWS::ApiGateway::DomainNameV2`): ids of execute-api endpoints whose
   * domain name access association with it is made outside the app, in the endpoint's own account (an API
   * consumer's), recorded by `PrivateCustomDomain` with `createAccessAssociation: false`. They count as
   * associations of the domain.
   */
  readonly externalAccessAssociations?: string[];
}
