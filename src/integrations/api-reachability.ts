import { CfnResource, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HINTS_METADATA_KEY, HintsMetadata } from '../facts/calls';

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
 */
export class ApiReachability {
  /** The hints of a caller: a Lambda function, ECS service, EC2 instance, Auto Scaling group, CodeBuild project … */
  public static of(caller: IConstruct): ApiReachability {
    return new ApiReachability(caller);
  }

  private constructor(private readonly caller: IConstruct) {}

  /**
   * Declares that the caller calls `api` on its default execute-api hostname.
   *
   * @param api the API (a `RestApi`, `SpecRestApi`, `HttpApi`, `WebSocketApi` or their L1) defined in this app
   */
  public declareCall(api: IConstruct): void {
    const target = cfnResourceOf(api, 'declareCall', 'api');
    if (!/^AWS::(ApiGateway::RestApi|ApiGatewayV2::Api|Serverless::(Http)?Api)$/.test(target.cfnResourceType)) {
      throw new Error(
        `declareCall: ${api.node.path} is a ${target.cfnResourceType}, not an API. Pass the RestApi, HttpApi or WebSocketApi the caller calls.`,
      );
    }
    this.update((h) => ({ ...h, calls: unique([...(h.calls ?? []), target.node.path]) }));
  }

  /**
   * Declares that the caller calls this URL, which the app does not define (an API of another app or account).
   *
   * @param url a literal URL, such as `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`
   */
  public declareExternalCall(url: string): void {
    if (Token.isUnresolved(url)) {
      throw new Error(
        `declareExternalCall on ${this.caller.node.path}: the URL is a token. For an API defined in this app use declareCall(api); declareExternalCall takes a literal URL.`,
      );
    }
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      host = '';
    }
    if (!host) {
      throw new Error(
        `declareExternalCall on ${this.caller.node.path}: '${url}' is not a URL. Pass a full URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod.`,
      );
    }
    this.update((h) => ({ ...h, externalCalls: unique([...(h.externalCalls ?? []), url]) }));
  }

  private update(f: (h: HintsMetadata) => HintsMetadata): void {
    const cfn = cfnResourceOf(this.caller, 'ApiReachability.of', 'caller');
    const current = (cfn.getMetadata(HINTS_METADATA_KEY) ?? {}) as HintsMetadata;
    cfn.addMetadata(HINTS_METADATA_KEY, f(current));
  }
}

function cfnResourceOf(c: IConstruct, method: string, what: string): CfnResource {
  if (CfnResource.isCfnResource(c)) return c;
  const child = c.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new Error(
    `${method}: the ${what} ${c.node.path || '(app)'} is not a CloudFormation resource of this app and has none as its default child ` +
      '(imported constructs have none). For an API of another app use declareExternalCall(url).',
  );
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
