import { CfnResource, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HINT_HOLDER_RESOURCE_TYPES } from '../facts/callers';
import { HINTS_METADATA_KEY, HintsMetadata } from '../hints-metadata';

/**
 * Tells the checks about calls that the app cannot show: a caller that builds an API's URL at
 * run time, reads it from a parameter store, or calls an API of another app.
 *
 * ```ts
 * ApiReachability.of(fn).declareCall(paymentsApi);
 * ApiReachability.of(task).declareExternalCall('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
 * ```
 *
 * The hints are stored as metadata on the caller's CloudFormation resource (plain strings, no
 * references: they add no dependency between stacks), so checks of the synthesized `cdk.out` see
 * them too.
 *
 * The caller is a construct whose CloudFormation resource runs code: a Lambda function, ECS service,
 * EC2 instance, Auto Scaling group, CodeBuild project, Batch compute environment or job definition,
 * SageMaker notebook instance or model, EKS node group, App Runner service, Glue job, EMR cluster or
 * MWAA environment; or what such a caller runs, whose hints count for every caller that
 * runs it: an ECS task definition (for each service that runs it), an EC2 launch template or an Auto
 * Scaling launch configuration.
 *
 * A hint that cannot be right throws an error whose message starts with a stable code, then the
 * caller's construct path in brackets, what is wrong, the fix and a link, like the errors of this
 * library's constructs: `HintTargetNotAnApi: [Svc/Fn] declareCall: … Fix: … See: …`. The codes never
 * change once released:
 *
 * - `HintCallerNotAResource`: the caller is neither a CloudFormation resource of this app nor has one
 *   as its default child;
 * - `HintResourceNotACaller`: the caller's resource runs no code the checks read (an S3 bucket, an SNS
 *   topic …), so its hints would be ignored;
 * - `HintApiNotAResource`: the same, for the API given to `declareCall` (an imported API, say);
 * - `HintTargetNotAnApi`: the construct given to `declareCall` is not an API;
 * - `HintUrlIsToken`: the URL given to `declareExternalCall` is a token, not a literal;
 * - `HintUrlNotAUrl`: the URL given to `declareExternalCall` is not a URL.
 */
export class ApiReachability {
  /**
   * The hints of a caller: a Lambda function, ECS service or task definition, EC2 instance or launch
   * template, Auto Scaling group, CodeBuild project …
   *
   * @param caller the caller's construct, or its CloudFormation resource
   */
  public static of(caller: IConstruct): ApiReachability {
    return new ApiReachability(caller);
  }

  private constructor(private readonly caller: IConstruct) {}

  /**
   * Declares that the caller calls `api` on its default execute-api hostname.
   *
   * Throws `HintApiNotAResource` when `api` is not a resource of this app (imported), `HintTargetNotAnApi`
   * when it is not an API, `HintCallerNotAResource` when the caller has no CloudFormation resource, and
   * `HintResourceNotACaller` when that resource runs no code the checks read.
   *
   * @param api the API (a `RestApi`, `SpecRestApi`, `HttpApi`, `WebSocketApi` or their L1) defined in this app
   */
  public declareCall(api: IConstruct): void {
    const caller = this.callerResource();
    const target = cfnResourceOf(api);
    if (!target) {
      throw new HintError(this.caller, {
        code: 'HintApiNotAResource',
        message:
          `declareCall: the api ${pathOf(api)} is not a CloudFormation resource of this app and has none as its ` +
          'default child (imported constructs have none).',
        fix: 'For an API of another app use declareExternalCall(url).',
      });
    }
    if (!/^AWS::(ApiGateway::RestApi|ApiGatewayV2::Api|Serverless::(Http)?Api)$/.test(target.cfnResourceType)) {
      throw new HintError(this.caller, {
        code: 'HintTargetNotAnApi',
        message: `declareCall: ${pathOf(api)} is a ${target.cfnResourceType}, not an API.`,
        fix: 'Pass the RestApi, SpecRestApi, HttpApi or WebSocketApi (or its L1) that the caller calls.',
      });
    }
    update(caller, (h) => ({ ...h, calls: unique([...(h.calls ?? []), target.node.path]) }));
  }

  /**
   * Declares that the caller calls this URL, which the app does not define (an API of another app or account).
   *
   * Throws `HintUrlIsToken` when `url` is a token, `HintUrlNotAUrl` when it is not a URL,
   * `HintCallerNotAResource` when the caller has no CloudFormation resource, and `HintResourceNotACaller`
   * when that resource runs no code the checks read.
   *
   * @param url a literal URL, such as `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`
   */
  public declareExternalCall(url: string): void {
    const caller = this.callerResource();
    if (Token.isUnresolved(url)) {
      throw new HintError(this.caller, {
        code: 'HintUrlIsToken',
        message: 'declareExternalCall: the URL is a token.',
        fix: 'For an API defined in this app use declareCall(api); declareExternalCall takes a literal URL.',
      });
    }
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      host = '';
    }
    if (!host) {
      throw new HintError(this.caller, {
        code: 'HintUrlNotAUrl',
        message: `declareExternalCall: '${url}' is not a URL.`,
        fix: 'Pass a full URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod.',
      });
    }
    update(caller, (h) => ({ ...h, externalCalls: unique([...(h.externalCalls ?? []), url]) }));
  }

  /** The caller's CloudFormation resource, which must be of a type whose hints the checks read. */
  private callerResource(): CfnResource {
    const cfn = cfnResourceOf(this.caller);
    if (!cfn) {
      throw new HintError(this.caller, {
        code: 'HintCallerNotAResource',
        message:
          `ApiReachability.of: the caller ${pathOf(this.caller)} is not a CloudFormation resource of this app and has ` +
          'none as its default child.',
        fix:
          'Pass the construct of the caller itself (a Lambda function, ECS service, EC2 instance, Auto Scaling group, ' +
          'CodeBuild project …) or its CloudFormation resource.',
      });
    }
    if (!HINT_HOLDER_TYPES.has(cfn.cfnResourceType)) {
      throw new HintError(this.caller, {
        code: 'HintResourceNotACaller',
        message:
          `ApiReachability.of: ${pathOf(this.caller)} is a ${cfn.cfnResourceType}, which runs no code that the checks ` +
          'read, so its hints would be ignored.',
        fix:
          'Declare the call on the construct that runs the code: a Lambda function, ECS service or task definition, ' +
          'EC2 instance or launch template, Auto Scaling group, CodeBuild project … ' +
          `(the types read: ${[...HINT_HOLDER_TYPES].join(', ')}).`,
      });
    }
    return cfn;
  }
}

/** The CloudFormation types whose hints the checks read: the callers, and what callers run. */
const HINT_HOLDER_TYPES: ReadonlySet<string> = new Set(HINT_HOLDER_RESOURCE_TYPES);

/** Stores a hint as plain metadata on the caller's resource. */
function update(cfn: CfnResource, f: (h: HintsMetadata) => HintsMetadata): void {
  const current = (cfn.getMetadata(HINTS_METADATA_KEY) ?? {}) as HintsMetadata;
  cfn.addMetadata(HINTS_METADATA_KEY, f(current));
}

/** Where the hints are documented; their errors link to it. */
const HINTS_DOCS = 'https://github.com/cdk-api-reachability/cdk-api-reachability#calls-the-app-cannot-show';

/** What a hint error says: its stable code, what is wrong, and the fix. */
interface HintErrorDetails {
  /** Stable PascalCase code, `Hint…`. Part of the public contract: never reworded. */
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The error a hint throws: `<Code>: [<caller path>] <what is wrong> Fix: <fix> See: <docs>`, the shape of the
 * constructs' errors. Not exported from the package: users match on the code at the start of the message.
 */
class HintError extends Error {
  /** The stable code, e.g. `HintTargetNotAnApi`. */
  public readonly code: string;

  constructor(caller: IConstruct, details: HintErrorDetails) {
    super(`${details.code}: [${pathOf(caller)}] ${details.message} Fix: ${details.fix} See: ${HINTS_DOCS}`);
    this.name = 'ApiReachabilityHintError';
    this.code = details.code;
  }
}

function pathOf(c: IConstruct): string {
  return c.node.path || '(app)';
}

/** The CloudFormation resource of a construct: itself, or its default child. */
function cfnResourceOf(c: IConstruct): CfnResource | undefined {
  if (CfnResource.isCfnResource(c)) return c;
  const child = c.node.defaultChild;
  return child && CfnResource.isCfnResource(child) ? child : undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
