/** Three-valued logic for facts that the app may not show: true, false, or 'unknown'. */
export type Tri = true | false | 'unknown';

/** False if any is false, else unknown if any is unknown, else true. */
export function and(...xs: Tri[]): Tri {
  if (xs.includes(false)) return false;
  return xs.includes('unknown') ? 'unknown' : true;
}

/** True if any is true, else unknown if any is unknown, else false. */
export function or(...xs: Tri[]): Tri {
  if (xs.includes(true)) return true;
  return xs.includes('unknown') ? 'unknown' : false;
}

/** Negation; unknown stays unknown. */
export function not(x: Tri): Tri {
  return x === 'unknown' ? 'unknown' : !x;
}
