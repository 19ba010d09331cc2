/**
 * Property-based tests over random CDK apps (see apps.ts), through every door: analyzeScope, the
 * cdk-nag pack (Validations + app.synth()) and the aspect. CI-sized: a fixed seed and a bounded
 * number of runs; `npm run fuzz` is the long run.
 */
import * as fc from 'fast-check';
import { appSpecArb } from './apps';
import { checkAppCase } from './checks';

const SEED = 20250611;

// CDK's built-in CloudFormation validation runs on every synth and costs seconds; these tests read
// only our doors' reports.
const saved = process.env.CDK_VALIDATION;
beforeAll(() => {
  process.env.CDK_VALIDATION = 'false';
});
afterAll(() => {
  process.env.CDK_VALIDATION = saved;
});

describe('random CDK apps', () => {
  test('never throw, keep their findings under another construct order, and the doors agree', () => {
    let checked = 0;
    let withFindings = 0;
    fc.assert(
      fc.property(appSpecArb, fc.integer({ min: 1, max: 1_000_000 }), (spec, order) => {
        const result = checkAppCase(spec, order);
        expect(result.problems).toEqual([]);
        if (result.invalid === undefined) checked++;
        if (result.findings > 0) withFindings++;
      }),
      { seed: SEED, numRuns: 25, endOnFailure: true },
    );
    // The generators build apps CDK accepts, and the apps reach the rules.
    expect(checked).toBeGreaterThan(20);
    expect(withFindings).toBeGreaterThan(5);
  });
});
