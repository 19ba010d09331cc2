/**
 * Property-based tests over random templates (see templates.ts): corpus templates mutated, with
 * API Gateway, endpoint, caller and policy resources injected, through `analyzeTemplateFiles`.
 * CI-sized: a fixed seed and a bounded number of runs; `npm run fuzz` is the long run.
 * The generators stay clear of the engine's known defects (they are in the long run, marked).
 */
import * as fc from 'fast-check';
import { checkTemplateCase } from './checks';
import { buildTemplateCase, CI_TEMPLATE_OPTIONS, corpusFiles, templateRecipeArb } from './templates';

const SEED = 20250611;

if (corpusFiles().length === 0) {
  // eslint-disable-next-line no-console
  console.log('template fuzz: the corpus is not there, the cases start from empty templates');
}

describe('random templates', () => {
  test('never throw, give the same findings twice and under shuffled keys, and name resources of the graph', () => {
    fc.assert(
      fc.property(templateRecipeArb(CI_TEMPLATE_OPTIONS), fc.nat(), (recipe, shuffleSeed) => {
        const result = checkTemplateCase(buildTemplateCase(recipe), shuffleSeed);
        expect(result.problems).toEqual([]);
      }),
      { seed: SEED, numRuns: 250, endOnFailure: true },
    );
  });

  test('the generators reach the rules: some cases have findings', () => {
    let withFindings = 0;
    for (const recipe of fc.sample(templateRecipeArb(CI_TEMPLATE_OPTIONS), { seed: SEED, numRuns: 60 })) {
      if (checkTemplateCase(buildTemplateCase(recipe), 1).findings > 0) withFindings++;
    }
    expect(withFindings).toBeGreaterThan(5);
  });
});
