import {
  App,
  CfnElement,
  CfnOutput,
  CfnResource,
  DefaultTokenResolver,
  Fn,
  IFragmentConcatenator,
  IPostProcessor,
  IResolvable,
  IResolveContext,
  Lazy,
  Reference,
  Stack,
  Token,
  Tokenization,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { newTreeReadStats, stacksFromConstructTree, TreeReadStats } from '../../src/graph/from-construct-tree';
import { encodeCrossStackRef } from '../../src/graph/intrinsics';

/**
 * The construct-tree door's own token resolution (issue 9): logical ids asked of the elements
 * directly, same-stack `Ref` / `Fn::GetAtt` answered without a resolution of their own, every other
 * token resolved as CDK does. Each form is checked against what CDK writes in the template.
 */
describe("the construct-tree reader's token resolution", () => {
  /** A reference that upper-cases what it resolves to, through a post-processor it registers. */
  class ShoutingRef extends Reference {
    constructor(target: CfnElement) {
      super({ Ref: target.logicalId }, target, 'Shouting');
    }

    public resolve(context: IResolveContext): unknown {
      const pp: IPostProcessor = { postProcess: (x) => (typeof x === 'object' ? { Shouted: x } : x) };
      context.registerPostProcessor(pp);
      return super.resolve(context);
    }
  }

  /** One stack holding every token form the reader handles; built anew for each use (same ids). */
  function build(): { app: App; stack: Stack } {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Svc', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const queue = new sqs.Queue(stack, 'Jobs');
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('x'),
      vpc,
      environment: {
        // Ref inside a string, GetAtt, a joined string, a lazy string.
        QUEUE_URL: queue.queueUrl,
        QUEUE_ARN: queue.queueArn,
        API_URL: `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/prod`,
        LAZY: Lazy.string({ produce: () => `lazy-${queue.queueName}` }),
      },
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    const raw = new CfnResource(stack, 'Raw', {
      type: 'AWS::Lambda::Function',
      properties: {
        // List tokens, an intrinsic object, a Lazy list and a Lazy any, a number token.
        Subnets: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
        Azs: Fn.getAzs(),
        Split: Fn.split(',', Fn.importValue('Shared-Subnets')),
        First: Fn.select(0, Fn.split(',', queue.queueArn)),
        Listed: Lazy.list({ produce: () => [queue.queueUrl, 'b'] }),
        Anything: Lazy.any({ produce: () => ({ Arn: queue.queueArn, N: 1 }) }),
        Memory: Lazy.number({ produce: () => 256 }),
        Shouted: new ShoutingRef(queue.node.defaultChild as CfnElement),
        GetAtt: Fn.getAtt((queue.node.defaultChild as CfnElement).logicalId, 'Arn'),
      },
    });
    raw.addPropertyOverride('Timeout', 30);
    raw.addOverride('Properties.Environment.Variables.FROM_OVERRIDE', queue.queueName);
    raw.addDeletionOverride('Properties.Memory');
    raw.addOverride('UpdateReplacePolicy', 'Retain');
    raw.addResourceDependency(queue.node.defaultChild as CfnResource);
    const renamed = new CfnResource(stack, 'Renamed', { type: 'AWS::SQS::Queue' });
    renamed.overrideLogicalId('MyQueue');
    new CfnResource(stack, 'UsesRenamed', { type: 'AWS::Lambda::Function', properties: { Q: renamed.ref } });
    new CfnOutput(stack, 'Out', { value: queue.queueArn, exportName: 'JobsArn' });
    return { app, stack };
  }

  /** Joins as the reader does (literals concatenate, the rest becomes a `Fn::Join`), for CDK's default resolver. */
  const concat: IFragmentConcatenator = {
    join: (l, r) =>
      l === undefined
        ? r
        : r === undefined
          ? l
          : typeof l === 'string' && typeof r === 'string'
            ? l + r
            : { 'Fn::Join': ['', [l, r]] },
  };

  /** Each element of the stack as CDK's default resolver renders it (the reader before issue 9), by section and id. */
  function renderedByCdk(stack: Stack): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = { Resources: {}, Outputs: {} };
    for (const c of stack.node.findAll()) {
      if (!CfnElement.isCfnElement(c)) continue;
      const fragment = Tokenization.resolve((c as any)._toCloudFormation(), {
        scope: c,
        resolver: new DefaultTokenResolver(concat),
        preparing: false,
      });
      for (const [id, def] of Object.entries(fragment.Resources ?? {})) {
        const d = def as any;
        out.Resources[id] = { ...d, Metadata: { ...(d.Metadata ?? {}), 'aws:cdk:path': c.node.path } };
      }
      Object.assign(out.Outputs, fragment.Outputs ?? {});
    }
    return out;
  }

  function read(stats?: TreeReadStats) {
    const [s] = stacksFromConstructTree(build().app, { stats });
    return s.template;
  }

  test("renders every resource of a stack exactly as CDK's default resolver does", () => {
    const resources = read().Resources!;
    const expected = renderedByCdk(build().stack).Resources;
    expect(Object.keys(resources).sort()).toEqual(Object.keys(expected).sort());
    // Every resource rendered, none left unread (an unread one has no Properties).
    expect(Object.values(resources).filter((r: any) => r.Properties === undefined).length).toBeLessThan(4);
    expect(resources).toEqual(expected);
  });

  test("renders outputs as CDK's default resolver does", () => {
    const outputs = read().Outputs!;
    expect(Object.keys(outputs).length).toBeGreaterThan(1);
    expect(outputs).toEqual(renderedByCdk(build().stack).Outputs);
  });

  test('answers logical ids and same-stack references directly, and resolves the rest as CDK does', () => {
    const stats = newTreeReadStats();
    read(stats);
    expect(stats.logicalIdFallbacks).toBe(0);
    expect(stats.tokensDirect).toBeGreaterThan(stats.logicalIds);
    expect(stats.tokensResolved).toBeGreaterThan(0);
  });

  test('applies the post-processor a reference registers (not answered directly)', () => {
    const raw = read().Resources!.Raw as any;
    const queueId = Object.keys(read().Resources!).find((id) => id.startsWith('Jobs'))!;
    expect(raw.Properties.Shouted).toEqual({ Shouted: { Ref: queueId } });
  });

  test('keeps raw overrides, deletion overrides and overridden logical ids', () => {
    const r = read().Resources as any;
    expect(r.Raw.Properties.Timeout).toBe(30);
    expect(r.Raw.Properties.Memory).toBeUndefined();
    expect(r.Raw.UpdateReplacePolicy).toBe('Retain');
    expect(r.Raw.Properties.Environment.Variables.FROM_OVERRIDE).toEqual({
      'Fn::GetAtt': [expect.any(String), 'QueueName'],
    });
    expect(r.UsesRenamed.Properties).toEqual({ Q: { Ref: 'MyQueue' } });
  });

  test('an element that cannot say its logical id itself is resolved through CDK, and counted', () => {
    /** An element as another aws-cdk-lib might make it: a logical-id token, and no method behind it. */
    class Odd extends CfnResource {
      constructor(scope: Stack, id: string) {
        super(scope, id, { type: 'AWS::SQS::Queue' });
        Object.defineProperty(this, 'logicalId', { value: Lazy.uncachedString({ produce: () => 'OddOne' }) });
        Object.defineProperty(this, '_synthesizeLogicalId', { value: undefined });
      }
    }
    const { app, stack } = build();
    const odd = new Odd(stack, 'Odd');
    new CfnResource(stack, 'UsesOdd', { type: 'AWS::Lambda::Function', properties: { Q: odd.ref } });
    const stats = newTreeReadStats();
    const [s] = stacksFromConstructTree(app, { stats });
    expect(stats.logicalIdFallbacks).toBe(1);
    expect(s.template.Resources!.OddOne).toMatchObject({ Type: 'AWS::SQS::Queue' });
    expect((s.template.Resources!.UsesOdd as any).Properties).toEqual({ Q: { Ref: 'OddOne' } });
  });

  test('a reference to another stack becomes a cross-stack marker holding the producer’s intrinsic', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer');
    const queue = new sqs.Queue(producer, 'Jobs');
    const consumer = new Stack(app, 'Consumer');
    new CfnResource(consumer, 'Fn', {
      type: 'AWS::Lambda::Function',
      properties: { Ref: queue.queueUrl, Arn: queue.queueArn, Joined: `arn=${queue.queueArn}` },
    });
    const stacks = stacksFromConstructTree(app);
    const fn = stacks.find((s) => s.key === 'Consumer')!.template.Resources!.Fn as any;
    const queueId = producer.resolve((queue.node.defaultChild as CfnElement).logicalId);
    const arn = encodeCrossStackRef('Producer', { 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(fn.Properties).toEqual({
      Ref: encodeCrossStackRef('Producer', { Ref: queueId }),
      Arn: arn,
      // The marker is a string: it concatenates with the literal around it.
      Joined: `arn=${arn}`,
    });
  });

  test('a token that fails to resolve leaves its resource unread, never the whole read', () => {
    const { app, stack } = build();
    const failing: IResolvable = {
      creationStack: [],
      resolve: () => {
        throw new Error('no');
      },
      toString: () => Token.asString(failing),
    };
    new CfnResource(stack, 'Broken', { type: 'AWS::Lambda::Function', properties: { X: failing } });
    const [s] = stacksFromConstructTree(app);
    expect(s.template.Resources!.Broken).toEqual({
      Type: 'AWS::Lambda::Function',
      Metadata: { 'aws:cdk:path': 'Svc/Broken' },
    });
    expect(Object.keys(s.template.Resources!).length).toBeGreaterThan(10);
  });
});
