/**
 * IAM wildcard matching (`*` = any run of characters, `?` = one character), in time linear in
 * the pattern times the text and constant extra memory: no regular expression is ever built from
 * user text, so a policy with dozens of `*` cannot make a match backtrack for minutes, and a very
 * long pattern cannot make a `RegExp` constructor throw.
 */

/** Whether `pattern` (with `*` and `?`) matches the whole of `text`. */
export function globMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  // The last `*` seen, and the text position it has been stretched to: on a mismatch, let that
  // star swallow one more character and retry. Earlier stars never need to move again.
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && (c === 63 /* ? */ || c === t.charCodeAt(ti))) {
      pi++;
      ti++;
    } else if (pi < p.length && c === 42 /* * */) {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

/** Whether a text holds a wildcard character. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
