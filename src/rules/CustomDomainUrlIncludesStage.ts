import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, domainLabel, evidenceWhere, linkLocation } from './labels';
import { routeFor } from '../facts';

type Messages = 'stageInPath';

export default defineRule<Messages>({
  name: 'CustomDomainUrlIncludesStage',
  level: 'warning',
  summary: "A caller's URL puts the stage name after a custom domain whose mapping already selects that stage.",
  explanation:
    'A base path mapping selects the API and the stage: the path after the base path is the resource path. A URL that repeats the stage ' +
    '(https://api.example.com/v1/prod/orders for a mapping of v1 to stage prod) asks for a resource /prod/orders that does not exist, ' +
    'and API Gateway answers 403 "Missing Authentication Token". A routing rule that strips its base path (StripBasePath) selects the ' +
    'API and stage in the same way. The route is the one the URL takes: the routing rules first, by priority, then the mapping with ' +
    'the longest base path; where that is not known (a routing rule that also matches headers), the rule stays silent.',
  troubleshooting: 'Missing Authentication Token (the stage name is in the custom-domain URL)',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
  since: '0.2.0',
  messages: {
    stageInPath: {
      message:
        '{caller} calls {domain} with the stage name "{stage}" in the path ({location}), but the {route} of "/{basePath}" to {api} already selects stage ' +
        '{stage}: API Gateway looks for a resource /{stage}/… and answers 403 "Missing Authentication Token".',
      fix: 'Drop the stage from the URL: https://{host}/{basePath} is already stage {stage} (RegionalCustomDomain.urlFor(basePath) builds it).',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, domain, api, path } = link;
      if (link.via !== 'domain' || !domain || !api || !path || caller.resource.conditional) continue;
      // The route the URL takes (a routing rule by priority, else the longest base path): when it is not known,
      // or leads to another API, the stage in the path is not this route's business.
      const choice = routeFor(domain, path);
      if (choice.kind !== 'route' || choice.api !== api) continue;
      const m = choice.route;
      if (m.basePath === undefined || m.stage === undefined) continue;
      // A routing rule selects an API stage as a mapping does when it strips its base path; one that keeps the
      // base path hands the API a path of its own.
      if (m.kind === 'routing-rule' && m.stripBasePath !== true) continue;
      const base = m.basePath.split('/').filter((s) => s !== '');
      if (path[base.length] !== m.stage) continue;
      reports.push({
        messageId: 'stageInPath',
        data: {
          caller: callerLabel(caller),
          domain: domainLabel(domain),
          stage: m.stage,
          route: m.kind === 'routing-rule' ? 'routing rule' : 'mapping',
          basePath: m.basePath,
          api: apiLabel(api),
          host: domain.name ?? 'domain',
          location: evidenceWhere(link),
        },
        resource: caller.resource,
        related: [domain.resource, api.resource],
        other: domain.resource,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
