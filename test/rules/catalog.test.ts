import * as fs from 'fs';
import * as path from 'path';
import { levelName, pageLevel, README_TABLE_END, renderReadmeTable, ROOT } from '../../projenrc/docgen-rules';
import { ApiReachabilityRule } from '../../src';
import { RULES } from '../../src/rules';

/** The TSDoc of each member of the `ApiReachabilityRule` enum, by rule id, as one line of text. */
function enumDocs(): Map<string, string> {
  const source = fs.readFileSync(path.join(ROOT, 'src/integrations/rule-ids.ts'), 'utf8');
  const docs = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\w+ = '(ApiReachability-\w+)'/g)) {
    const text = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\*?\s?/, '').trim())
      .filter((l) => l !== '')
      .join(' ');
    docs.set(m[2], text);
  }
  return docs;
}

/**
 * Whether a rule's check gives some findings their own level: a `level:` in the rule file besides the one of its
 * metadata (the reports of `defineRule` carry an optional `level`).
 */
function setsItsOwnLevel(name: string): boolean {
  const source = fs.readFileSync(path.join(ROOT, 'src/rules', `${name}.ts`), 'utf8');
  return (source.match(/^\s*level:/gm) ?? []).length > 1;
}

describe('the rule catalog', () => {
  test('pins every public id with its level (renaming a rule means editing this test)', () => {
    expect(RULES.map((r) => [r.id, r.level])).toEqual([
      ['ApiReachability-ApiKeyWithoutUsagePlan', 'error'],
      ['ApiReachability-CustomDomainUrlIncludesStage', 'warning'],
      ['ApiReachability-CustomDomainWithoutMapping', 'error'],
      ['ApiReachability-DefaultEndpointDisabledButCalled', 'error'],
      ['ApiReachability-DualStackPolicyIpv4Only', 'warning'],
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
      ['ApiReachability-PrivateZoneHidesHostname', 'error'],
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

  test("the TSDoc of each member of the jsii enum is its rule's summary", () => {
    const docs = enumDocs();
    expect([...docs.keys()].sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const r of RULES) expect({ id: r.id, doc: docs.get(r.id) }).toEqual({ id: r.id, doc: r.summary });
  });

  test("a rule whose findings can carry another level says when, in its page's level note", () => {
    const varying = RULES.filter((r) => setsItsOwnLevel(r.name)).map((r) => r.name);
    expect(varying).toEqual([
      'DefaultEndpointDisabledButCalled',
      'PrivateApiWithoutResourcePolicy',
      'PrivateDnsShadowsPublicApi',
      'PrivateDomainWithoutAccessAssociation',
      'RegionalDomainCnameRecord',
    ]);
    for (const r of RULES) {
      const other = r.level === 'error' ? 'Warning' : 'Error';
      const note = /^(?:Error|Warning) \((.*)\)$/.exec(pageLevel(r))?.[1];
      expect({ rule: r.name, level: pageLevel(r).split(' ')[0] }).toEqual({ rule: r.name, level: levelName(r) });
      expect({ rule: r.name, saysWhen: note?.startsWith(`${other} when `) ?? false }).toEqual({
        rule: r.name,
        saysWhen: varying.includes(r.name),
      });
    }
  });

  test('the README rule table is the one generated from the metadata (npx projen docgen:rules)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf('<!-- rule-table:begin');
    const table = readme.slice(begin, readme.indexOf(README_TABLE_END) + README_TABLE_END.length);
    expect(table).toEqual(renderReadmeTable());
    expect(readme).toContain(`[${RULES.length} rules](#rules)`);
  });
});
