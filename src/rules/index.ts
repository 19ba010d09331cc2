/** Every rule, in alphabetical order. A rule file that is not listed here does not run (a test checks). */
import { Rule } from './define-rule';
import PrivateDnsShadowsPublicApi from './PrivateDnsShadowsPublicApi';
import PrivateDnsShadowsUnknownApi from './PrivateDnsShadowsUnknownApi';
import PublicApiCallerWithoutEgress from './PublicApiCallerWithoutEgress';
import RegionalDomainCnameRecord from './RegionalDomainCnameRecord';

export const RULES: ReadonlyArray<Rule> = [
  PrivateDnsShadowsPublicApi,
  PrivateDnsShadowsUnknownApi,
  PublicApiCallerWithoutEgress,
  RegionalDomainCnameRecord,
];

export { Rule, RuleMeta, defineRule, RULE_PREFIX, DOCS_BASE } from './define-rule';
