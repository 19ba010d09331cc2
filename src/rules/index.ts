/** Every rule, in alphabetical order. A rule file that is not listed here does not run (a test checks). */
import CustomDomainUrlIncludesStage from './CustomDomainUrlIncludesStage';
import CustomDomainWithoutMapping from './CustomDomainWithoutMapping';
import DefaultEndpointDisabledButCalled from './DefaultEndpointDisabledButCalled';
import { Rule } from './define-rule';
import ExecuteApiEndpointPolicyBlocks from './ExecuteApiEndpointPolicyBlocks';
import PrivateApiPolicyAllowsAnyEndpoint from './PrivateApiPolicyAllowsAnyEndpoint';
import PrivateApiPolicyExcludesCaller from './PrivateApiPolicyExcludesCaller';
import PrivateApiUnreachable from './PrivateApiUnreachable';
import PrivateApiWithoutResourcePolicy from './PrivateApiWithoutResourcePolicy';
import PrivateDnsShadowsPublicApi from './PrivateDnsShadowsPublicApi';
import PrivateDnsShadowsUnknownApi from './PrivateDnsShadowsUnknownApi';
import PublicApiCallerWithoutEgress from './PublicApiCallerWithoutEgress';
import RegionalDomainCnameRecord from './RegionalDomainCnameRecord';
import ResourcePolicyDeniesAll from './ResourcePolicyDeniesAll';
import UnknownStageInUrl from './UnknownStageInUrl';

export const RULES: ReadonlyArray<Rule> = [
  CustomDomainUrlIncludesStage,
  CustomDomainWithoutMapping,
  DefaultEndpointDisabledButCalled,
  ExecuteApiEndpointPolicyBlocks,
  PrivateApiPolicyAllowsAnyEndpoint,
  PrivateApiPolicyExcludesCaller,
  PrivateApiUnreachable,
  PrivateApiWithoutResourcePolicy,
  PrivateDnsShadowsPublicApi,
  PrivateDnsShadowsUnknownApi,
  PublicApiCallerWithoutEgress,
  RegionalDomainCnameRecord,
  ResourcePolicyDeniesAll,
  UnknownStageInUrl,
];

export { Rule, RuleMeta, defineRule, RULE_PREFIX, DOCS_BASE } from './define-rule';
