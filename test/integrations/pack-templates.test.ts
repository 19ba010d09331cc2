import { App, CfnResource, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { ApiReachabilityChecks } from '../../src';
import { stacksFromCloudAssembly } from '../../src/graph/from-cloud-assembly';
import * as treeReader from '../../src/graph/from-construct-tree';
import { scenario, ScenarioOptions } from '../fixtures/apps/scenario';
import { synthPackReport } from '../fixtures/helpers';

/**
 * The pack reads the synthesized templates CDK hands it (issue C: nothing is resolved twice), and
 * reports what reading the construct tree reports, whatever metadata the app writes.
 */

type Reported = Array<{ rule: string; path: string; severity: string }>;

/** Runs the pack through `app.synth()`; returns its violations and whether it read the construct tree. */
function synthWithPack(app: App): { reported: Reported; readTree: boolean } {
  Validations.of(app).addPlugins(new ApiReachabilityChecks(app));
  const tree = jest.spyOn(treeReader, 'stacksFromConstructTree');
  const reported = synthPackReport(app);
  const readTree = tree.mock.calls.length > 0;
  tree.mockRestore();
  return { reported: reported.sort((a, b) => `${a.path}${a.rule}`.localeCompare(`${b.path}${b.rule}`)), readTree };
}

/** What reading the construct tree of the same app reports. */
function fromTree(o: ScenarioOptions): Reported {
  const s = scenario(o);
  return new ApiReachabilityChecks()
    .validateScope(s.app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath!, severity: v.severity ?? '' })),
    )
    .sort((a, b) => `${a.path}${a.rule}`.localeCompare(`${b.path}${b.rule}`));
}

const LAYOUTS: Array<ScenarioOptions['layout']> = ['cross-stack', 'one-stack', 'nested', 'stage'];

describe.each(LAYOUTS)('the pack, layout %s', (layout) => {
  test.each([['paths'], ['logical-ids-only']] as const)(
    'reads the synthesized templates (metadata: %s) and reports what the construct tree shows',
    (metadata) => {
      const { reported, readTree } = synthWithPack(scenario({ layout, metadata }).app);
      expect(readTree).toBe(false);
      expect(reported.length).toBeGreaterThan(0);
      expect(reported).toEqual(fromTree({ layout }));
    },
  );

  test('reads the construct tree when the templates cannot tell construct paths, with the same findings', () => {
    const { reported, readTree } = synthWithPack(scenario({ layout, metadata: 'none' }).app);
    expect(readTree).toBe(true);
    expect(reported).toEqual(fromTree({ layout }));
  });
});

test('an acknowledgement is honoured on a finding read from the templates', () => {
  const s = scenario({ metadata: 'logical-ids-only' });
  Validations.of(s.caller).acknowledge({ id: 'ApiReachability-PrivateDnsShadowsPublicApi', reason: 'test' });
  expect(synthWithPack(s.app)).toEqual({ reported: [], readTree: false });
});

describe('construct paths from the cloud assembly manifest', () => {
  test('go to the stack that holds each resource, nested stacks included, when templates carry none', () => {
    const app = new App();
    const svc = new Stack(app, 'Svc');
    new CfnResource(svc, 'Top', { type: 'AWS::SNS::Topic' });
    const inner = new NestedStack(svc, 'Inner');
    // The same logical id in the parent and in the nested stack.
    new CfnResource(inner, 'Top', { type: 'AWS::SNS::Topic' });
    new CfnResource(new NestedStack(inner, 'Deeper'), 'Queue', { type: 'AWS::SQS::Queue' });
    new CfnResource(new Stack(new Stage(app, 'Beta'), 'Svc'), 'Queue', { type: 'AWS::SQS::Queue' });
    const dir = app.synth().directory;
    const paths = stacksFromCloudAssembly(dir).flatMap((s) =>
      Object.entries(s.template.Resources ?? {})
        .filter(([, r]) => (r as { Type: string }).Type !== 'AWS::CDK::Metadata')
        .map(([id]) => [s.key, id, s.constructPaths?.[id]]),
    );
    expect(paths.sort()).toEqual(
      [
        ['Beta/Svc', 'Queue', 'Beta/Svc/Queue'],
        ['Svc', 'Top', 'Svc/Top'],
        ['Svc', expect.stringMatching(/^InnerNestedStack/), 'Svc/Inner.NestedStack/Inner.NestedStackResource'],
        ['Svc/Inner', 'Top', 'Svc/Inner/Top'],
        [
          'Svc/Inner',
          expect.stringMatching(/^DeeperNestedStack/),
          'Svc/Inner/Deeper.NestedStack/Deeper.NestedStackResource',
        ],
        ['Svc/Inner/Deeper', 'Queue', 'Svc/Inner/Deeper/Queue'],
      ].sort(),
    );
  });

  test('are left unknown when the manifest has no logical-id metadata', () => {
    const app = new App({ context: { 'aws:cdk:disable-logicalId-metadata': true } });
    new CfnResource(new Stack(app, 'Svc'), 'Top', { type: 'AWS::SNS::Topic' });
    const [svc] = stacksFromCloudAssembly(app.synth().directory);
    expect(svc.constructPaths).toBeUndefined();
  });
});
