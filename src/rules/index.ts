/** Every rule, in alphabetical order. A rule file that is not listed here does not run (a test checks). */
import ApiKeyWithoutUsagePlan from './ApiKeyWithoutUsagePlan';
import CustomDomainUrlIncludesStage from './CustomDomainUrlIncludesStage';
import CustomDomainWithoutMapping from './CustomDomainWithoutMapping';
import DefaultEndpointDisabledButCalled from './DefaultEndpointDisabledButCalled';
import { Rule } from './define-rule';
import DualStackPolicyIpv4Only from './DualStackPolicyIpv4Only';
import ExecuteApiEndpointPolicyBlocks from './ExecuteApiEndpointPolicyBlocks';
import IamAuthCallerNotGranted from './IamAuthCallerNotGranted';
import MutualTlsDefaultEndpointOpen from './MutualTlsDefaultEndpointOpen';
import PrivateApiPolicyAllowsAnyEndpoint from './PrivateApiPolicyAllowsAnyEndpoint';
import PrivateApiPolicyExcludesCaller from './PrivateApiPolicyExcludesCaller';
import PrivateApiUnreachable from './PrivateApiUnreachable';
import PrivateApiWithoutResourcePolicy from './PrivateApiWithoutResourcePolicy';
import PrivateDnsShadowsPublicApi from './PrivateDnsShadowsPublicApi';
import PrivateDnsShadowsUnknownApi from './PrivateDnsShadowsUnknownApi';
import PrivateDomainWithoutAccessAssociation from './PrivateDomainWithoutAccessAssociation';
import PrivateZoneHidesHostname from './PrivateZoneHidesHostname';
import PublicApiCallerWithoutEgress from './PublicApiCallerWithoutEgress';
import RegionalDomainCnameRecord from './RegionalDomainCnameRecord';
import ResourcePolicyDeniesAll from './ResourcePolicyDeniesAll';
import ResourcePolicyExcludesAnonymous from './ResourcePolicyExcludesAnonymous';
import UnknownStageInUrl from './UnknownStageInUrl';

export const RULES: ReadonlyArray<Rule> = [
  ApiKeyWithoutUsagePlan,
  CustomDomainUrlIncludesStage,
  CustomDomainWithoutMapping,
  DefaultEndpointDisabledButCalled,
  DualStackPolicyIpv4Only,
  ExecuteApiEndpointPolicyBlocks,
  IamAuthCallerNotGranted,
  MutualTlsDefaultEndpointOpen,
  PrivateApiPolicyAllowsAnyEndpoint,
  PrivateApiPolicyExcludesCaller,
  PrivateApiUnreachable,
  PrivateApiWithoutResourcePolicy,
  PrivateDnsShadowsPublicApi,
  PrivateDnsShadowsUnknownApi,
  PrivateDomainWithoutAccessAssociation,
  PrivateZoneHidesHostname,
  PublicApiCallerWithoutEgress,
  RegionalDomainCnameRecord,
  ResourcePolicyDeniesAll,
  ResourcePolicyExcludesAnonymous,
  UnknownStageInUrl,
];

export type { Rule, RuleMeta } from './define-rule';
export { defineRule, RULE_PREFIX, DOCS_BASE } from './define-rule';
