import * as fs from 'fs';
import * as path from 'path';
import { ApiReachabilityRule } from '../../src';
import { RULES } from '../../src/rules';

describe('the rule catalog', () => {
  test('pins every public id with its level (renaming a rule means editing this test)', () => {
    expect(RULES.map((r) => [r.id, r.level])).toEqual([
      ['ApiReachability-ApiKeyWithoutUsagePlan', 'error'],
      ['ApiReachability-CustomDomainUrlIncludesStage', 'warning'],
      ['ApiReachability-CustomDomainWithoutMapping', 'error'],
      ['ApiReachability-DefaultEndpointDisabledButCalled', 'error'],
      ['ApiReachability-ExecuteApiEndpointPolicyBlocks', 'error'],
      ['ApiReachability-IamAuthCallerNotGranted', 'error'],
      ['ApiReachability-MutualTlsDefaultEndpointOpen', 'warning'],
      ['ApiReachability-PrivateApiPolicyAllowsAnyEndpoint', 'warning'],
      ['ApiReachability-PrivateApiPolicyExcludesCaller', 'error'],
      ['ApiReachability-PrivateApiUnreachable', 'error'],
      ['ApiReachability-PrivateApiWithoutResourcePolicy', 'error'],
      ['ApiReachability-PrivateDnsShadowsPublicApi', 'error'],
      ['ApiReachability-PrivateDnsShadowsUnknownApi', 'warning'],
      ['ApiReachability-PrivateDomainWithoutAccessAssociation', 'error'],
      ['ApiReachability-PublicApiCallerWithoutEgress', 'error'],
      ['ApiReachability-RegionalDomainCnameRecord', 'warning'],
      ['ApiReachability-ResourcePolicyDeniesAll', 'error'],
      ['ApiReachability-ResourcePolicyExcludesAnonymous', 'error'],
      ['ApiReachability-UnknownStageInUrl', 'error'],
    ]);
  });

  test('ids are unique and well formed', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ApiReachability-[A-Z][A-Za-z0-9]+$/);
  });

  test('the registry is alphabetical', () => {
    const names = RULES.map((r) => r.name);
    expect(names).toEqual([...names].sort());
  });

  test('every rule file is in the registry, and its name is the file name', () => {
    const dir = path.join(__dirname, '../../src/rules');
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^[A-Z].*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(RULES.map((r) => r.name).sort());
    for (const name of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(require(path.join(dir, name)).default.name).toBe(name);
    }
  });

  test('the jsii enum lists exactly the rule ids', () => {
    expect(Object.values(ApiReachabilityRule).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test('every rule has metadata a docs page can be built from', () => {
    for (const r of RULES) {
      expect(r.summary.length).toBeGreaterThan(20);
      expect(r.explanation.length).toBeGreaterThan(40);
      expect(r.sourceUrl).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(r.since).toMatch(/^\d+\.\d+\.\d+$/);
      expect(r.docs).toBe(
        `https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/rules/${r.name}.md`,
      );
      expect(Object.keys(r.messages).length).toBeGreaterThan(0);
    }
  });
});
