import { Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ApiReachabilityAspect, ApiReachabilityChecks, ApiReachabilityRule, RuleLevel } from '../../src';
import { scenario } from '../fixtures/apps/scenario';

/** Rule levels and switches on both doors (issue G, item 8). */
const SHADOWED = ApiReachabilityRule.PRIVATE_DNS_SHADOWS_PUBLIC_API;

function pack(ruleLevels?: { [id: string]: RuleLevel }): string[] {
  const s = scenario();
  return new ApiReachabilityChecks(undefined, { ruleLevels })
    .validateScope(s.app)
    .violations.map((v) => `${v.severity} ${v.ruleName.replace(/\[.*$/, '')}`);
}

function aspect(ruleLevels?: { [id: string]: RuleLevel }): string[] {
  const s = scenario();
  Aspects.of(s.app).add(new ApiReachabilityAspect({ ruleLevels }));
  s.app.synth();
  const a = Annotations.fromStack(Stack.of(s.caller));
  const rule = Match.stringLikeRegexp(`^${SHADOWED}`);
  return [
    ...a.findError('*', rule).map(() => `error ${SHADOWED}`),
    ...a.findWarning('*', rule).map(() => `warning ${SHADOWED}`),
  ];
}

describe.each([
  ['the pack', pack],
  ['the aspect', aspect],
])('%s', (_, run) => {
  test('reports a rule at its own level by default', () => {
    expect(run()).toEqual([`error ${SHADOWED}`]);
  });

  test('reports a rule at the level set', () => {
    expect(run({ [SHADOWED]: RuleLevel.WARNING })).toEqual([`warning ${SHADOWED}`]);
  });

  test('leaves out the findings of a rule turned off', () => {
    expect(run({ [SHADOWED]: RuleLevel.OFF })).toEqual([]);
  });

  test('a setting for another rule changes nothing here', () => {
    expect(run({ [ApiReachabilityRule.UNKNOWN_STAGE_IN_URL]: RuleLevel.OFF })).toEqual([`error ${SHADOWED}`]);
  });
});

test.each([
  ['ApiReachabilityChecks', (l: any) => new ApiReachabilityChecks(undefined, { ruleLevels: l })],
  ['ApiReachabilityAspect', (l: any) => new ApiReachabilityAspect({ ruleLevels: l })],
])('%s refuses an id that is no rule, and a level that is none, in one line', (door, make) => {
  expect(() => make({ PrivateDnsShadowsPublicApi: RuleLevel.OFF })).toThrow(
    new RegExp(`^${door}: ruleLevels names 'PrivateDnsShadowsPublicApi', which is no rule`),
  );
  expect(() => make({ [SHADOWED]: 'loud' })).toThrow(
    /is 'loud'; use RuleLevel.ERROR, RuleLevel.WARNING or RuleLevel.OFF/,
  );
});
