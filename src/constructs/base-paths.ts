// The base-path bookkeeping of the custom domain constructs. Internal: not exported from the package.
import { Names, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { urlOf } from './common';
import { fail, validationMessage } from './errors';

// See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html (Restrictions)
// "API mappings must contain only letters, numbers, and the following characters: $-_.+!*'()/" and
// "The maximum length for the path in an API mapping is 300 characters."
const BASE_PATH_SEGMENT = "[A-Za-z0-9$\\-_.+!*'()]+";
const SINGLE_LEVEL = new RegExp(`^${BASE_PATH_SEGMENT}$`);
const MULTI_LEVEL = new RegExp(`^${BASE_PATH_SEGMENT}(/${BASE_PATH_SEGMENT})*$`);
const MAX_BASE_PATH_LENGTH = 300;
const MAPPINGS_DOC = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html';

/**
 * The key used for "no base path" (the domain root) in the bookkeeping of mapped base paths.
 */
const ROOT_KEY = '(none)';

/** How a custom domain takes base paths. */
export interface BasePathRulesOptions {
  /** Whether base paths may have several levels (`orders/v1`): regional and private domains, not edge ones. */
  readonly allowMultiLevel: boolean;
  /** The methods of the domain construct that map an API, named in the fix of `UrlForUnmappedBasePath`. */
  readonly mapMethods: readonly string[];
}

/**
 * The base paths of one custom domain: which are valid, which are taken, which API stages are mapped, and
 * which were asked for with `urlFor` (checked when the app is synthesized).
 *
 * One instance per domain construct, created in its constructor; it registers the synth-time validation of
 * `urlFor` on that construct. Errors name that construct.
 */
export class BasePathRegistry {
  private readonly mappedBasePaths = new Set<string>();
  private readonly mappedStages = new Set<string>();
  private readonly requestedBasePaths = new Set<string>();

  constructor(
    private readonly scope: IConstruct,
    private readonly options: BasePathRulesOptions,
  ) {
    scope.node.addValidation({ validate: () => this.validateRequestedBasePaths() });
  }

  /**
   * Checks a base path against what API Gateway accepts on this domain. Unresolved tokens are left to
   * CloudFormation.
   *
   * @returns true when the base path has more than one level (`orders/v1`).
   */
  public validate(basePath: string | undefined): boolean {
    return validateBasePath(this.scope, basePath, this.options.allowMultiLevel);
  }

  /**
   * Takes `basePath` for a stage of an API: validates it, and fails when the base path (or the domain root)
   * is already mapped, or when that stage of that API already is.
   *
   * @returns the child id for the mapping resource: aws-cdk's DomainName scheme (`Map:<basePath>=>…`),
   * stable per base path and API.
   */
  public claim(basePath: string | undefined, api: IConstruct, stage: IConstruct): string {
    this.validate(basePath);
    const key = basePath ?? ROOT_KEY;
    if (!Token.isUnresolved(key) && this.mappedBasePaths.has(key)) {
      fail(this.scope, {
        code: 'BasePathAlreadyMapped',
        message:
          basePath === undefined
            ? 'the domain root (no base path) is already mapped to another API.'
            : `base path '${basePath}' is already mapped to another API.`,
        fix: 'Give each API its own `basePath`.',
      });
    }
    const stageKey = `${api.node.path}#${stage.node.path}`;
    if (this.mappedStages.has(stageKey)) {
      fail(this.scope, {
        code: 'ApiAlreadyMapped',
        message: `stage '${stage.node.path}' of API '${api.node.path}' is already mapped on this domain.`,
        fix: 'Map each API stage once per domain; to publish another version under another base path, map another stage.',
      });
    }
    this.mappedBasePaths.add(key);
    this.mappedStages.add(stageKey);
    return mappingId(basePath, api, stage);
  }

  /**
   * The URL of the API mapped at `basePath` on `host`, `https://<host>/<basePath>/`. Synthesis fails when no
   * API is mapped at `basePath` by then.
   */
  public urlFor(host: string, basePath: string): string {
    this.requestedBasePaths.add(basePath);
    return urlOf(host, basePath);
  }

  private validateRequestedBasePaths(): string[] {
    return [...this.requestedBasePaths]
      .filter((basePath) => !Token.isUnresolved(basePath) && !this.mappedBasePaths.has(basePath))
      .map((basePath) =>
        validationMessage({
          code: 'UrlForUnmappedBasePath',
          message: `urlFor('${basePath}') was called, but no API is mapped at base path '${basePath}'.`,
          fix: `Map an API there with ${this.options.mapMethods
            .map((method) => `${method}(api, { basePath: '${basePath}' })`)
            .join(' or ')}, or fix the base path.`,
        }),
      );
  }
}

/**
 * Checks a base path against what API Gateway accepts. Unresolved tokens are left to CloudFormation.
 *
 * @returns true when the base path has more than one level (`orders/v1`).
 */
function validateBasePath(scope: IConstruct, basePath: string | undefined, allowMultiLevel: boolean): boolean {
  if (basePath === undefined || Token.isUnresolved(basePath)) {
    return false;
  }
  const shown = JSON.stringify(basePath);
  if (basePath === '' || basePath.startsWith('/') || basePath.endsWith('/')) {
    fail(scope, {
      code: 'InvalidBasePath',
      message: `base path ${shown} is empty or starts or ends with '/'; API Gateway rejects it.`,
      fix: "Leave basePath undefined to map the domain root, or give it without leading/trailing '/' (e.g. 'v1' or 'orders/v1').",
      see: MAPPINGS_DOC,
    });
  }
  if (basePath.length > MAX_BASE_PATH_LENGTH) {
    fail(scope, {
      code: 'InvalidBasePath',
      message: `base path ${shown} is ${basePath.length} characters long; API Gateway allows at most ${MAX_BASE_PATH_LENGTH}.`,
      fix: 'Use a shorter base path.',
      see: MAPPINGS_DOC,
    });
  }
  const pattern = allowMultiLevel ? MULTI_LEVEL : SINGLE_LEVEL;
  if (!pattern.test(basePath)) {
    const multi = basePath.includes('/') && MULTI_LEVEL.test(basePath);
    fail(scope, {
      code: 'InvalidBasePath',
      message: multi
        ? `base path ${shown} has several levels, which this kind of domain does not support.`
        : `base path ${shown} contains characters API Gateway rejects (allowed: letters, digits and $-_.+!*'()${allowMultiLevel ? ' with / between levels' : ''}).`,
      fix: multi
        ? "Use a single-level base path (no '/'), or a regional domain (RegionalCustomDomain) for multi-level base paths."
        : 'Remove the other characters from the base path.',
      see: MAPPINGS_DOC,
    });
  }
  return basePath.includes('/');
}

/**
 * The child id of a mapping: aws-cdk's DomainName scheme (`Map:<basePath>=>…`), stable per base path and API.
 * A base path that is a token cannot go into an id; the stage then tells mappings apart.
 */
function mappingId(basePath: string | undefined, api: IConstruct, stage: IConstruct): string {
  const path =
    basePath === undefined
      ? ROOT_KEY
      : Token.isUnresolved(basePath)
        ? `(token@${Names.nodeUniqueId(stage.node)})`
        : basePath;
  return `Map:${path}=>${Names.nodeUniqueId(api.node)}`;
}
