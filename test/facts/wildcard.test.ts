import fc from 'fast-check';
import { wildcardMatch } from '../../src/facts/policies';
import { actionMatches } from '../../src/facts/roles';
import { globMatch } from '../../src/facts/wildcard';

/** The textbook definition, by recursion over the pattern: the reference the linear matcher must agree with. */
function reference(p: string, t: string): boolean {
  if (p === '') return t === '';
  if (p[0] === '*') return reference(p.slice(1), t) || (t !== '' && reference(p, t.slice(1)));
  return t !== '' && (p[0] === '?' || p[0] === t[0]) && reference(p.slice(1), t.slice(1));
}

describe('globMatch', () => {
  test.each<[string, string, boolean]>([
    ['execute-api:*', 'execute-api:Invoke', true],
    ['execute-api:Inv?ke', 'execute-api:Invoke', true],
    ['execute-api:Invoke', 'execute-api:Invoke', true],
    ['execute-api:Invoke*', 'execute-api:Invoke', true],
    ['*', '', true],
    ['', '', true],
    ['?', '', false],
    ['execute-api:Get*', 'execute-api:Invoke', false],
    ['s3:*', 'execute-api:Invoke', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbYd', false],
    ['*.example.com', 'api.example.com', true],
    ['(x)[y]{z}.+^$|\\', '(x)[y]{z}.+^$|\\', true],
    ['a.c', 'abc', false],
  ])('%s ~ %s = %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text, false)).toBe(expected);
  });

  test('case folding only when asked', () => {
    expect(globMatch('EXECUTE-API:invoke', 'execute-api:Invoke', true)).toBe(true);
    expect(globMatch('EXECUTE-API:invoke', 'execute-api:Invoke', false)).toBe(false);
  });

  // Regression (issue B): dozens of stars used to be turned into a regular expression that
  // backtracked for minutes (past the test timeout); a very long pattern made `new RegExp` throw.
  test('many stars, and no match, finish at once', () => {
    const pattern = 'a' + '*a'.repeat(40) + 'b';
    const text = 'a'.repeat(5_000);
    expect(globMatch(pattern, text, true)).toBe(false);
    expect(wildcardMatch(pattern, text, true)).toBe(false);
    expect(actionMatches(pattern, text)).toBe(false);
  });

  test('a pattern of a million characters', () => {
    const pattern = 'execute-api:' + '?'.repeat(1_000_000);
    expect(() => globMatch(pattern, 'execute-api:Invoke', true)).not.toThrow();
    expect(globMatch(pattern, 'execute-api:Invoke', true)).toBe(false);
    expect(globMatch('*' + 'x'.repeat(1_000_000), 'x'.repeat(1_000_000), false)).toBe(true);
  });

  test('agrees with the recursive definition on any short pattern and text', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?');
    const text = fc.constantFrom('a', 'b');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(text, { maxLength: 10 }), (p, t) => {
        expect(globMatch(p.join(''), t.join(''), false)).toBe(reference(p.join(''), t.join('')));
      }),
      { seed: 20261202, numRuns: 2_000 },
    );
  });
});
