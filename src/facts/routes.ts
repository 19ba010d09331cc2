/**
 * Which route a request on a custom domain takes: the one answer that the report and the rules about
 * a domain's routes (13, 19) share.
 *
 * Reads: nothing of the graph; a domain's routes as apis.ts reads them (`mappings`: only the kinds its
 * `RoutingMode` uses, routing rules with their priority, base paths and whether they match headers;
 * the routes that mode ignores are in `ignoredRoutes` and never selected) and the URL path of a call
 * (calls.ts).
 *
 * How API Gateway routes a request on a custom domain: first the routing rules its routing mode uses,
 * in priority order (lowest first), the first whose base path (a prefix of the request's path, segment
 * by segment; a rule with no base path condition matches any path) and headers match; then, where the
 * mode uses them, the mapping with the longest base path that the request's path starts with (the
 * root mapping, base path '', matches any path). Nothing matches: API Gateway answers 403 (no route).
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-routing-rules.html
 *
 * Unknown: the path is not known; the routing mode is not a literal; some route of the domain leads to
 * an API the app does not show, or a route of the app may name the domain unseen (`routesAllKnown`); a
 * base path that may decide is not literal, or the path is not literal where it would be compared; two
 * routing rules whose order is not known (a priority that is not literal); a routing rule that matches
 * the path and also matches headers, which a call's evidence never shows.
 */
import { ApiFact, DomainFact, DomainMapping, routesAllKnown } from './apis';
import type { PathSegment } from './calls';

/** The route a request on a custom domain takes, by its URL path. */
export type RouteChoice =
  | {
      /** This route serves the request. */
      readonly kind: 'route';
      readonly route: DomainMapping;
      /** The API the route leads to. */
      readonly api: ApiFact;
      /** Its stage name, when literal or a Stage of the app. */
      readonly stage?: string;
    }
  | {
      /** No route of the domain matches the path: API Gateway has nowhere to send the request. */
      readonly kind: 'none';
      /** The path's literal beginning, as `/a/b`. */
      readonly path: string;
    }
  | { readonly kind: 'unknown' };

const UNKNOWN: RouteChoice = { kind: 'unknown' };

/**
 * The route that a request on `domain` with this URL path (segments after the hostname) takes.
 *
 * @param domain the custom domain the request is sent to
 * @param path the URL's path as segments; undefined when not known
 */
export function routeFor(domain: DomainFact, path: ReadonlyArray<PathSegment> | undefined): RouteChoice {
  if (!path || domain.routingMode === undefined || !routesAllKnown(domain)) return UNKNOWN;
  /** Whether the path starts with a base path; undefined when that cannot be told. */
  const selects = (basePath: string | undefined): boolean | undefined => {
    if (basePath === undefined) return undefined;
    const base = basePath.split('/').filter((s) => s !== '');
    for (let i = 0; i < base.length; i++) {
      if (i >= path.length) return false;
      const seg = path[i];
      if (typeof seg !== 'string') return undefined;
      if (seg !== base[i]) return false;
    }
    return true;
  };
  const chosen = (route: DomainMapping): RouteChoice => ({ kind: 'route', route, api: route.api, stage: route.stage });
  const rules = domain.mappings.filter((m) => m.kind === 'routing-rule');
  if (rules.some((r) => r.priority === undefined) && new Set(rules.map((r) => r.resource)).size > 1) {
    return UNKNOWN; // which rule comes first is not known
  }
  for (const r of [...rules].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))) {
    const hit = selects(r.basePath);
    if (hit === undefined) return UNKNOWN;
    if (!hit) continue;
    if (r.headers) return UNKNOWN; // it depends on the request's headers
    return chosen(r);
  }
  let best: DomainMapping | undefined;
  let bestLength = -1;
  for (const m of domain.mappings) {
    if (m.kind !== 'mapping') continue;
    const hit = selects(m.basePath);
    if (hit === undefined) return UNKNOWN;
    const length = m.basePath!.split('/').filter((s) => s !== '').length;
    if (hit && length > bestLength) {
      best = m;
      bestLength = length;
    }
  }
  if (best) return chosen(best);
  const literalPrefix: string[] = [];
  for (const seg of path) {
    if (typeof seg !== 'string') break;
    literalPrefix.push(seg);
  }
  return { kind: 'none', path: `/${literalPrefix.join('/')}` };
}
