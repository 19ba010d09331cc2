/**
 * Requests to an API or a private custom domain as the rules ask about them: which `Resource`
 * entries of a policy cover "a call to this API" (or domain), who the request's principal is, the
 * condition context of a call that comes through an execute-api endpoint, and whether a private
 * domain's access associations name an endpoint.
 *
 * Reads: policy `Resource` values in both forms API Gateway accepts — relative to the API
 * (`execute-api:/{stage}/{method}/{path}`, in resource policies) and full ARNs
 * (`arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{method}/{path}`).
 * Unknown: a resource that names a particular stage, method or path (whether it covers the call
 * depends on what the caller calls), an ARN whose API id is a literal (the ids of APIs created by
 * the app are not known at synth time).
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
 */
import { ApiFact, DomainFact } from './apis';
import { Caller } from './callers';
import { ExecuteApiEndpoint } from './endpoints';
import { ContextValue, RequestPrincipal } from './policies';
import { Tri } from './tri';
import { VpcRef } from './vpcs';
import { Opaque, ResRef, Value, partsOf } from '../graph/values';

/** Whether a policy `Resource` entry covers every call to `api`. */
export function coversApi(api: ApiFact): (pattern: Value) => Tri {
  return (pattern) => {
    const parts = partsOf(pattern);
    if (!parts) return 'unknown';
    const holes: Array<ResRef | Opaque> = [];
    const text = parts
      .map((p) => {
        if (typeof p === 'string') return p;
        holes.push(p);
        return `\u0000${holes.length - 1}\u0000`;
      })
      .join('');
    if (text === '*') return true;
    if (text.startsWith('execute-api:/')) return allWildcards(text.slice('execute-api:/'.length));
    const m = /^arn:[^:]*:execute-api:[^:]*:[^:]*:([^/]*)(\/.*)?$/.exec(text);
    if (!m) return text.includes('execute-api') ? 'unknown' : false;
    const id = m[1];
    const hole = /^\u0000(\d+)\u0000$/.exec(id);
    if (hole) {
      const ref = holes[Number(hole[1])];
      if (ref instanceof ResRef) {
        return ref.key === api.resource.key && ref.attr === undefined ? allWildcards(m[2] ?? '') : false;
      }
      return 'unknown';
    }
    if (id === '*') return allWildcards(m[2] ?? '');
    return 'unknown';
  };
}

function allWildcards(rest: string): Tri {
  const segments = rest.split('/').filter((s) => s !== '');
  return segments.every((s) => s === '*') ? true : 'unknown';
}

/** The condition context of a call made through an execute-api endpoint from a VPC. */
export function throughEndpoint(
  endpoint: ExecuteApiEndpoint | undefined,
  vpc: VpcRef | undefined,
): Map<string, ContextValue | 'unknown' | undefined> {
  const ctx = new Map<string, ContextValue | 'unknown' | undefined>();
  ctx.set('aws:sourcevpce', endpoint ? { ids: [`res:${endpoint.resource.key}`] } : 'unknown');
  ctx.set('aws:sourcevpc', vpc ? { ids: [vpc.id], text: vpc.literalId } : 'unknown');
  return ctx;
}

/** The condition context of a call from a stranger: an endpoint, VPC, account and organization no policy of the app names. */
export function fromStranger(): Map<string, ContextValue | 'unknown' | undefined> {
  const stranger: ContextValue = { ids: [], stranger: true };
  const ctx = new Map<string, ContextValue | 'unknown' | undefined>();
  for (const key of [
    'aws:sourcevpce',
    'aws:sourcevpc',
    'aws:principalorgid',
    'aws:sourceaccount',
    'aws:principalaccount',
    'aws:sourceorgid',
    'aws:principalarn',
  ]) {
    ctx.set(key, stranger);
  }
  return ctx;
}

/** Whether a domain's access associations name an endpoint of the app. */
export function associatedWith(domain: DomainFact, endpointKey: string): Tri {
  let unknown = false;
  for (const source of domain.accessAssociations) {
    if (source instanceof ResRef) {
      if (source.key === endpointKey && source.attr === undefined) return true;
    } else {
      unknown = true; // a literal vpce id or an import: it may be this endpoint
    }
  }
  return unknown ? 'unknown' : false;
}

/** Whether a `Resource` entry of a private domain's policy covers every call to it. */
export function coversDomain(domain: DomainFact): (pattern: Value) => Tri {
  return (pattern) => {
    const parts = partsOf(pattern);
    if (!parts) return 'unknown';
    if (parts.length === 1 && typeof parts[0] === 'string') {
      const text = parts[0];
      if (text === '*' || text === 'execute-api:/*') return true;
      return text.includes('execute-api') ? 'unknown' : false;
    }
    // The domain's own ARN (Fn::GetAtt Domain.DomainNameArn), possibly with a wildcard suffix.
    const ref = parts.find((p): p is ResRef => p instanceof ResRef);
    if (ref && ref.key === domain.resource.key) return true;
    return 'unknown';
  };
}

/** The principal a caller's requests carry: anonymous for APIs whose methods are all unsigned, else its role. */
export function principalOf(c: Caller, methodsAllUnsigned: boolean): RequestPrincipal {
  if (methodsAllUnsigned || c.roles.length === 0) return { kind: 'anonymous' };
  return { kind: 'aws', identity: c.roles[0] };
}
