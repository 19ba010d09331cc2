import { defineRule, Report } from './define-rule';
import {
  apiLabel,
  callerLabel,
  domainLabel,
  endpointsLabel,
  evidenceLabel,
  linkLocation,
  resolutionLabel,
  resolutionResources,
} from './labels';
import {
  ExecuteApiEndpoint,
  associatedWith,
  coversApi,
  coversDomain,
  domainHostname,
  evaluate,
  principalOf,
  routeFor,
  routesAllKnown,
  throughEndpoint,
} from '../facts';

type Messages = 'noAssociation' | 'policyExcludes' | 'apiPolicyExcludes' | 'noAssociationAtAll';

export default defineRule<Messages>({
  name: 'PrivateDomainWithoutAccessAssociation',
  level: 'error',
  summary:
    "A caller uses a private custom domain name through an execute-api endpoint that has no access association with that domain, or that the domain's own policy or the mapped API's policy leaves out; or a private custom domain has no access association at all.",
  explanation:
    'A private custom domain name (AWS::ApiGateway::DomainNameV2, endpoint type PRIVATE) starts closed: API Gateway serves it only to ' +
    'execute-api endpoints that have a DomainNameAccessAssociation with it, and only for requests that its own resource policy allows. ' +
    'A request through any other endpoint is answered with 403 Forbidden. The endpoint a caller goes through is the one the domain name ' +
    'resolves to inside its VPC: the alias of a private hosted zone associated with the VPC (also one that leads to a shared endpoint of ' +
    "another VPC), else the VPC's own execute-api endpoints. The private API that the caller's URL reaches (the route its path selects, " +
    'or the only API the domain maps) then checks its own resource policy with the same endpoint: it too must allow it. A private ' +
    'custom domain with no access association at all serves no one.',
  troubleshooting:
    'Forbidden from a private custom domain name (no access association, or its policy denies the endpoint)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains.html',
  since: '0.2.0',
  messages: {
    noAssociation: {
      message:
        '{caller} calls private {domain} ({evidence}) from VPC {vpc}{why}, but execute-api endpoint {endpoint} has no access association with the ' +
        'domain: API Gateway answers 403 Forbidden to every request through that endpoint.',
      fix:
        'Associate {endpoint} with the domain: PrivateCustomDomain with the endpoint in its endpoints, or a ' +
        'CfnDomainNameAccessAssociation (accessAssociationSourceType VPCE, accessAssociationSource the endpoint id).',
    },
    policyExcludes: {
      message:
        "{caller} calls private {domain} ({evidence}) from VPC {vpc}{why}, but the domain's resource policy does not allow calls through execute-api " +
        'endpoint {endpoint}: API Gateway answers 403 Forbidden.',
      fix: "Allow {endpoint} in the domain's policy (execute-api:Invoke with aws:SourceVpce), as PrivateCustomDomain writes for its endpoints.",
    },
    apiPolicyExcludes: {
      message:
        '{caller} calls private {domain} ({evidence}) from VPC {vpc}{why}; the domain lets execute-api endpoint {endpoint} in, but {api}, which it ' +
        'maps, has a resource policy that {decision} calls through that endpoint: API Gateway answers 403.',
      fix: "Allow {endpoint} in {api}'s resource policy (execute-api:Invoke with aws:SourceVpce), as PrivateApiAccess.allow writes.",
    },
    noAssociationAtAll: {
      message:
        '{domain} has no access association with any execute-api endpoint: a private custom domain name starts closed, and API Gateway ' +
        'answers 403 Forbidden to every request until an endpoint is associated with it.',
      fix:
        'Associate the execute-api endpoints that should reach it (PrivateCustomDomain endpoints, or a CfnDomainNameAccessAssociation). If the ' +
        "association lives in the consumer's account (a domain shared through AWS RAM), say so: PrivateCustomDomain with " +
        'createAccessAssociation: false records the endpoint (externalAccessAssociations); or acknowledge this warning.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, domain } = link;
      if (!domain || domain.version !== 'private' || !caller.vpc || caller.resource.conditional) continue;
      if (domain.resource.conditional || domain.accessAssociationsUncertain) continue;
      // The endpoint the call goes through: the one the name resolves to (a private hosted zone's alias);
      // where the app shows no zone for the name, the VPC's own endpoints, which is where it is meant to go.
      const resolved = facts.resolution.resolve(caller.vpc, domainHostname(domain));
      let endpoints: ExecuteApiEndpoint[];
      let why = '';
      if (resolved.kind === 'endpoint') {
        if (!resolved.endpoint.endpoint || resolved.endpoint.endpoint.resource.conditional) continue;
        endpoints = [resolved.endpoint.endpoint];
        why = `, ${resolutionLabel(resolved)}`;
      } else if (resolved.kind === 'public' && resolved.steps.length === 0) {
        endpoints = facts.endpoints.of(caller.vpc, domain.region).filter((e) => !e.resource.conditional);
      } else {
        continue; // no proof of the way in: a forwarding rule, a name that does not resolve (rule 20), or unknown
      }
      if (endpoints.length === 0) continue;
      const data = {
        caller: callerLabel(caller),
        domain: domainLabel(domain),
        evidence: evidenceLabel(link),
        vpc: caller.vpc.name,
        why,
        endpoint: endpointsLabel(endpoints),
      };
      const base = { resource: caller.resource, other: domain.resource, ...linkLocation(link) };
      const path = resolutionResources(resolved).filter((n) => !endpoints.some((e) => e.resource === n));
      const associated = endpoints.map((e) => associatedWith(domain, e.resource.key));
      if (associated.every((a) => a === false)) {
        reports.push({
          ...base,
          messageId: 'noAssociation',
          data,
          related: [domain.resource, ...endpoints.map((e) => e.resource), ...path],
        });
        continue;
      }
      if (domain.policy === 'unknown') continue;
      const unsigned = principalOf(caller, true);
      const decisions = endpoints.map((e) =>
        domain.policy === undefined
          ? 'implicit-deny'
          : evaluate(domain.policy, {
              action: 'execute-api:Invoke',
              resource: coversDomain(domain),
              principal: unsigned,
              context: throughEndpoint(e, caller.vpc),
            }),
      );
      if (decisions.every((x) => x === 'implicit-deny' || x === 'explicit-deny')) {
        reports.push({
          ...base,
          messageId: 'policyExcludes',
          data,
          related: [domain.resource, ...endpoints.map((e) => e.resource), ...path],
        });
        continue;
      }
      // The last link: the private API that the caller's URL reaches checks its own policy with the same endpoint.
      // That API is the one the URL's path selects (routeFor); where the path does not tell, the domain's only API
      // (every request it routes goes there). A path that selects another API, or no route, leaves this link out.
      const api = link.api;
      if (!api || api.endpointType !== 'PRIVATE' || api.resource.conditional) continue;
      const route = routeFor(domain, link.path);
      const reached =
        route.kind === 'route'
          ? route.api === api
          : route.kind === 'unknown' && domain.apis.length === 1 && routesAllKnown(domain);
      if (!reached) continue;
      const details = facts.apiDetails.get(api.resource.key);
      const apiPolicy = details?.policy;
      if (!details || apiPolicy === undefined || apiPolicy === 'unknown') continue; // no policy: rule 5's
      const open = endpoints.filter((_, i) => decisions[i] !== 'implicit-deny' && decisions[i] !== 'explicit-deny');
      const byApi = open.map((e) =>
        evaluate(apiPolicy, {
          action: 'execute-api:Invoke',
          resource: coversApi(api),
          principal: principalOf(caller, details.allMethodsUnsigned),
          context: throughEndpoint(e, caller.vpc),
        }),
      );
      if (byApi.length > 0 && byApi.every((x) => x === 'implicit-deny' || x === 'explicit-deny')) {
        reports.push({
          ...base,
          messageId: 'apiPolicyExcludes',
          data: {
            ...data,
            endpoint: endpointsLabel(open),
            api: apiLabel(api),
            decision: byApi.includes('explicit-deny') ? 'explicitly denies' : 'does not allow',
          },
          related: [domain.resource, api.resource, ...open.map((e) => e.resource), ...path],
        });
      }
    }
    // A private domain that no endpoint may reach at all, whether or not a caller of the app uses it.
    const reported = new Set(reports.map((r) => (typeof r.other === 'string' ? r.other : r.other.key)));
    for (const d of facts.domains) {
      if (d.version !== 'private' || d.resource.conditional || d.accessAssociationsUncertain) continue;
      if (d.accessAssociations.length > 0 || reported.has(d.resource.key)) continue;
      reports.push({
        messageId: 'noAssociationAtAll',
        level: 'warning',
        data: { domain: domainLabel(d) },
        resource: d.resource,
        related: [],
        other: d.resource,
        location: 'Properties',
      });
    }
    return reports;
  },
});
