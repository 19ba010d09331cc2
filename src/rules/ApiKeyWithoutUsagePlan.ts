import { defineRule, Report } from './define-rule';
import { apiLabel, methodsLabel, displayName } from './labels';

type Messages = 'noPlan' | 'planWithoutKey';

const FIX =
  'Add a usage plan for stage {stage} of {api} with an API key: api.addUsagePlan(id).addApiStage({ stage }) and ' +
  'plan.addApiKey(key) (or api.addApiKey + plan.addApiKey), or stop requiring the key (apiKeyRequired: false).';

export default defineRule<Messages>({
  name: 'ApiKeyWithoutUsagePlan',
  level: 'error',
  summary: 'A method requires an API key while no usage plan with at least one key covers that API stage.',
  explanation:
    'API Gateway accepts an API key only when the key is in a usage plan that includes the API stage being called. A method with ' +
    'apiKeyRequired on a stage that no usage plan with a key covers answers every request with 403 Forbidden: no key can ever be valid there.',
  troubleshooting: 'Invalid API Key identifier specified',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html',
  since: '0.2.0',
  messages: {
    noPlan: {
      message:
        '{api} requires an API key on {methods}, but no usage plan of the app includes stage {stage}: a key is only accepted through a usage ' +
        'plan of that stage, so API Gateway answers every request on {stage} with 403 Forbidden.',
      fix: FIX,
    },
    planWithoutKey: {
      message:
        '{api} requires an API key on {methods}, and usage plan {plan} includes stage {stage}, but no API key is attached to any such plan: ' +
        'API Gateway answers every request on {stage} with 403 Forbidden.',
      fix: FIX,
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const api of facts.apis) {
      if (api.kind === 'HTTP' || api.resource.conditional) continue; // HTTP APIs have no API keys
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || d.usagePlansUncertain) continue;
      const keyed = d.methods.filter((m) => m.apiKeyRequired === true);
      if (keyed.length === 0) continue;
      // A plan whose stage cannot be told may be for any stage.
      if (d.usagePlans.some((p) => !p.stageKnown)) continue;
      for (const stage of d.stages) {
        // SAM's extra stage `Stage`: nobody calls it, and SAM's usage plans never cover it (RULES.md decisions).
        if (stage.name === undefined || stage.samExtra) continue;
        const plans = d.usagePlans.filter((p) => p.stage === stage.name);
        if (plans.some((p) => p.hasKey)) continue;
        reports.push({
          messageId: plans.length ? 'planWithoutKey' : 'noPlan',
          data: {
            api: apiLabel(api),
            methods: methodsLabel(keyed),
            stage: stage.name,
            plan: plans.map((p) => displayName(p.plan)).join(', '),
          },
          resource: api.resource,
          related: [
            stage.resource,
            ...keyed.flatMap((m) => (m.resource ? [m.resource] : [])),
            ...plans.map((p) => p.plan),
          ],
          other: `${displayName(api.resource)}/${stage.name}`,
          // The API's template holds the methods only in an OpenAPI body; a method resource holds its own flag.
          ...(keyed[0].resource
            ? {
                location: 'Properties',
                evidence: { resource: keyed[0].resource, location: 'Properties.ApiKeyRequired' },
              }
            : { location: 'Properties.Body' }),
        });
      }
    }
    return reports;
  },
});
