import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { graphOfApp } from '../../src/analyze';
import { stacksFromConstructTree } from '../../src/graph/from-construct-tree';
import { ResRef } from '../../src/graph/values';
import { HINTS_METADATA_KEY } from '../../src/hints-metadata';

/** The construct-tree door renders only what the facts read (issue C), and each logical id once. */
describe('the construct-tree reader', () => {
  function app(): { app: App; stack: Stack; fn: lambda.Function; queue: sqs.Queue } {
    const a = new App();
    const stack = new Stack(a, 'Svc');
    const queue = new sqs.Queue(stack, 'Jobs');
    new sqs.Queue(stack, 'Unused');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('x'),
      environment: { QUEUE_URL: queue.queueUrl },
    });
    return { app: a, stack, fn, queue };
  }

  test('keeps a resource of a type the facts do not read when a read value names it, without its properties', () => {
    const { app: a } = app();
    const g = graphOfApp(a);
    const [queue] = g.ofType('AWS::SQS::Queue');
    expect(queue).toMatchObject({ path: 'Svc/Jobs/Resource', properties: {} });
    const [fn] = g.ofType('AWS::Lambda::Function');
    const url = (fn.properties.Environment as any).Variables.QUEUE_URL;
    expect(url).toBeInstanceOf(ResRef);
    expect(url.key).toBe(queue.key);
  });

  test('leaves out a resource of such a type that nothing read names', () => {
    const g = graphOfApp(app().app);
    expect(g.ofType('AWS::SQS::Queue').map((r) => r.path)).toEqual(['Svc/Jobs/Resource']);
  });

  test('keeps a resource of such a type that holds hints (written as metadata), whatever its type', () => {
    const { app: a, stack } = app();
    const topic = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    topic.addMetadata(HINTS_METADATA_KEY, {
      externalCalls: ['https://abc123.execute-api.eu-west-1.amazonaws.com/prod'],
    });
    expect(graphOfApp(a).ofType('AWS::SNS::Topic')).toHaveLength(1);
  });

  test('reads every type when told to, with the same logical ids', () => {
    const { app: a } = app();
    const all = stacksFromConstructTree(a);
    const ids = Object.keys(all[0].template.Resources ?? {}).sort();
    expect(ids.filter((id) => id.startsWith('Unused'))).toHaveLength(1);
    const selected = Object.keys(
      graphOfApp(a)
        .ofType('AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::IAM::Role')
        .reduce((o, r) => ({ ...o, [r.logicalId]: true }), {}),
    );
    for (const id of selected) expect(ids).toContain(id);
  });

  test('resolves overridden logical ids, in Stages too', () => {
    const a = new App();
    const stack = new Stack(new Stage(a, 'Beta'), 'Svc');
    const fn = new CfnResource(stack, 'Fn', { type: 'AWS::Lambda::Function' });
    fn.overrideLogicalId('MyFunction');
    const [s] = stacksFromConstructTree(a);
    expect(s.key).toBe('Beta/Svc');
    expect(Object.keys(s.template.Resources ?? {})).toEqual(['MyFunction']);
  });
});
