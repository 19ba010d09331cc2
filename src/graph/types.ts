/**
 * The plain data types of the graph layer, shared by the builders, the normalizer (intrinsics.ts)
 * and the graph itself (resource-graph.ts). It imports types only, so that every module of graph/
 * can depend on it without the modules depending on each other (resource-graph → intrinsics → types).
 */
import type { TemplatePositions } from './source-positions';
import type { ValueObject } from './values';

/**
 * One stack of an app, as either builder hands it over: its template as raw CloudFormation JSON
 * (long-form intrinsics), plus what is known about where it lives.
 */
export interface RawStack {
  /** Unique key in the app: the stack's construct path (`Svc`, `Stage/Svc`, `Svc/Nested`). */
  readonly key: string;
  /** The CloudFormation stack name, when known (used by `Fn::GetStackOutput`). */
  readonly name?: string;
  /** Region, when known (undefined for environment-agnostic stacks). */
  readonly region?: string;
  /** Account, when known. */
  readonly account?: string;
  /** For a nested stack: the parent's key and the logical id of its `AWS::CloudFormation::Stack`. */
  readonly parent?: { readonly key: string; readonly logicalId: string };
  /** The template (Resources, Outputs, Parameters, Mappings, Conditions). */
  readonly template: RawTemplate;
  /** Where the template came from (a file path), when it came from a file. */
  readonly templateFile?: string;
  /**
   * Where each part of the template sits in its file (for SARIF regions), when it was read from a
   * file: `positions.positionOf('Resources/Fn/Properties/Environment/Variables/URL')`. Undefined for
   * stacks read from the construct tree, and for files only the lenient YAML reader could read.
   */
  readonly positions?: TemplatePositions;
  /**
   * Construct paths by logical id, for resources whose template carries no `aws:cdk:path` (path
   * metadata off): from the `aws:cdk:logicalId` entries of the cloud assembly manifest.
   */
  readonly constructPaths?: { readonly [logicalId: string]: string };
  /**
   * Values bound to the parameters of a top-level stack (the command line's `--parameter`), as
   * CloudFormation would be given them at deploy time. A parameter without a bound value is unknown;
   * a nested stack's parameters come from its parent.
   */
  readonly parameterValues?: { readonly [name: string]: string };
  /**
   * Where the user's code created each resource, by logical id: the first frame outside
   * `node_modules` of the creation stack trace CDK records in the manifest: `aws:cdk:creationStack`
   * entries, which recent versions write unless `aws:cdk:disable-creation-stack-traces` is set (and
   * always in debug mode, `CDK_DEBUG=true`), or the `trace` of older versions' entries.
   */
  readonly sourceLocations?: { readonly [logicalId: string]: SourceFrame };
  /**
   * The construct paths of the Stages the stack is in, outermost first (`['Beta']`), when it was read
   * from a cloud assembly: an acknowledged finding id may be written relative to them.
   */
  readonly stages?: ReadonlyArray<string>;
  /**
   * The acknowledgements CDK recorded on the stack and the constructs in it
   * (`Validations.of(x).acknowledge()`), when it was read from a cloud assembly. Those made on a
   * Stage or on the app are not written into the cloud assembly, so they are not here.
   */
  readonly acknowledgements?: ReadonlyArray<RecordedAcknowledgement>;
}

/** An acknowledgement as CDK records it in a cloud assembly's metadata. */
export interface RecordedAcknowledgement {
  /** The construct path it was made on (`Beta/Svc/Fn`), without the leading `/`. */
  readonly at: string;
  /** The id as recorded (`Annotation::ApiReachability-…[…]`). */
  readonly id: string;
  readonly reason: string;
}

/** A place in a source file (1-based line and column). */
export interface SourceFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The parts of a CloudFormation template the graph reads. */
export interface RawTemplate {
  readonly Resources?: { [logicalId: string]: unknown };
  readonly Outputs?: { [name: string]: unknown };
  readonly Parameters?: { [name: string]: unknown };
  readonly Mappings?: { [name: string]: unknown };
  readonly Conditions?: { [name: string]: unknown };
  /** SAM's `Globals` (read for the implicit APIs the transform makes, see sam.ts). */
  readonly Globals?: { [section: string]: unknown };
}

/** A stack of the graph. */
export interface StackNode {
  readonly key: string;
  readonly name?: string;
  readonly region?: string;
  readonly account?: string;
  readonly parentKey?: string;
  readonly templateFile?: string;
}

/** A resource of the graph, with its properties normalized (see values.ts). */
export interface ResourceNode {
  /** Unique key: `<stack key>|<logical id>`. */
  readonly key: string;
  readonly stack: StackNode;
  readonly logicalId: string;
  readonly type: string;
  /** The construct path (`Svc/Fn/Resource`), when known (`aws:cdk:path` in templates). */
  readonly path?: string;
  /** Normalized properties; an empty object when the resource has none or they could not be read. */
  readonly properties: ValueObject;
  /** Raw `Metadata` of the resource (hints are read from it). */
  readonly metadata: { readonly [key: string]: unknown };
  /** True when the resource carries a `Condition`: it may not exist. */
  readonly conditional: boolean;
  /**
   * For a resource the SAM transform makes (see sam.ts) under a logical id the user did not write:
   * the SAM resource it comes from, and the part of it (`Properties.Events.GetPets`).
   */
  readonly origin?: { readonly logicalId: string; readonly property?: string };
}

/** Builds the key of a resource. */
export function resourceKey(stackKey: string, logicalId: string): string {
  return `${stackKey}|${logicalId}`;
}
