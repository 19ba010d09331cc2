import { defineRule, Report } from './define-rule';
import { apiLabel, callerLabel, evidenceWhere, linkLocation } from './labels';

type Messages = 'unknownStage';

export default defineRule<Messages>({
  name: 'UnknownStageInUrl',
  level: 'error',
  summary: "A caller's default URL names a stage that the API does not have.",
  explanation:
    'On the default endpoint of a REST or WebSocket API, the first path segment is the stage. A stage the API does not have is answered with ' +
    '403 ("Missing Authentication Token" for REST APIs).',
  troubleshooting: 'Stage in request URL is not valid / Missing Authentication Token',
  sourceUrl: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html',
  since: '0.2.0',
  messages: {
    unknownStage: {
      message:
        '{caller} calls {api} on stage "{stage}" ({location}), but the API has only the stage(s) {stages}: API Gateway answers 403.',
      fix: 'Use one of the stages {stages} in the URL (api.url or api.urlForPath() build it), or create stage "{stage}".',
    },
  },
  check(facts) {
    const reports: Array<Report<Messages>> = [];
    for (const link of facts.calls) {
      const { caller, api, path } = link;
      if (!api || api.kind === 'HTTP' || link.via !== 'default-host' || !path || caller.resource.conditional) continue;
      const stage = path[0];
      if (typeof stage !== 'string') continue;
      const d = facts.apiDetails.get(api.resource.key);
      if (!d || !d.stagesKnown || d.stages.length === 0) continue;
      const names = d.stages.map((s) => s.name!);
      if (names.includes(stage)) continue;
      reports.push({
        messageId: 'unknownStage',
        data: {
          caller: callerLabel(caller),
          api: apiLabel(api),
          stage,
          stages: [...new Set(names)]
            .sort()
            .map((n) => `"${n}"`)
            .join(', '),
          location: evidenceWhere(link),
        },
        resource: caller.resource,
        related: [api.resource],
        other: api.resource,
        ...linkLocation(link),
      });
    }
    return reports;
  },
});
