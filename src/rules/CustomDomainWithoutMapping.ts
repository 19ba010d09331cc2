import { defineRule, Report } from './define-rule';
import { domainLabel } from './labels';
import { routingModeName } from '../facts';
import { displayName } from '../graph/resource-graph';

type Messages = 'noMapping' | 'rulesIgnored' | 'mappingsIgnored';

export default defineRule<Messages>({
  name: 'CustomDomainWithoutMapping',
  level: 'error',
  summary:
    'A custom domain name (v1, v2 or private) has no base path mapping, API mapping or routing rule that its routing mode uses.',
  explanation:
    'A custom domain name only forwards requests to the APIs that its routes select: base path mappings (REST), API mappings (HTTP, ' +
    'WebSocket, or REST through v2 mappings) and routing rules (AWS::ApiGatewayV2::RoutingRule, REST). Its RoutingMode says which of ' +
    'them API Gateway uses: mappings only (BASE_PATH_MAPPING_ONLY / API_MAPPING_ONLY, the default), routing rules first and then ' +
    'mappings, or routing rules only. A domain with no route that its mode uses answers every request with 403 Forbidden.',
  troubleshooting: 'A custom domain name without a base path mapping → Forbidden',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
  since: '0.2.0',
  messages: {
    noMapping: {
      message: '{domain} maps no API: API Gateway answers every request on it with 403 Forbidden.',
      fix: 'Map an API stage on it (RegionalCustomDomain.addRestApi / addHttpApi, domain.addBasePathMapping(api), or apigwv2.ApiMapping).',
    },
    rulesIgnored: {
      message:
        '{domain} has routing mode {mode}, which ignores its routing rules ({routes}): no route leads to an API, and API Gateway answers ' +
        'every request on it with 403 Forbidden.',
      fix: 'Set RoutingMode to {both} or ROUTING_RULE_ONLY so that API Gateway uses the routing rules.',
    },
    mappingsIgnored: {
      message:
        '{domain} has routing mode ROUTING_RULE_ONLY, which ignores its mappings ({routes}), and no routing rule: no route leads to an API, ' +
        'and API Gateway answers every request on it with 403 Forbidden.',
      fix: 'Set RoutingMode to {both} (or leave it out) so that API Gateway uses the mappings, or add routing rules.',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const d of facts.domains) {
      if (d.mappingResources.length > 0 || d.mappingsUncertain || d.resource.conditional) continue;
      if (d.ignoredRoutes.length === 0) {
        reports.push({
          messageId: 'noMapping',
          data: { domain: domainLabel(d) },
          resource: d.resource,
          related: [],
          other: d.resource,
          location: 'Properties',
        });
        continue;
      }
      reports.push({
        messageId: d.routingMode === 'mappings-only' ? 'rulesIgnored' : 'mappingsIgnored',
        data: {
          domain: domainLabel(d),
          mode: routingModeName(d),
          routes: d.ignoredRoutes.map(displayName).sort().join(', '),
          both: routingModeName(d, 'rules-then-mappings'),
        },
        resource: d.resource,
        related: [...d.ignoredRoutes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
        other: d.resource,
        location: d.resource.properties.RoutingMode === undefined ? 'Properties' : 'Properties.RoutingMode',
      });
    }
    return reports;
  },
});
