import type { IConstruct } from 'constructs';

/**
 * The page that lists every error code of the constructs with its cause and fix (docs/constructs/errors.md in
 * this repository; test/constructs/errors-doc.test.ts checks that it exists and has an entry for each code).
 */
export const ERRORS_DOC_URL =
  'https://github.com/cdk-api-reachability/cdk-api-reachability/blob/main/docs/constructs/errors.md';

/**
 * The link to the entry of one error code on {@link ERRORS_DOC_URL}: GitHub's anchor of the heading `## <code>`.
 */
export function errorDocUrl(code: string): string {
  return `${ERRORS_DOC_URL}#${code.toLowerCase()}`;
}

/**
 * What an error of the constructs says: the stable code, what is wrong (naming the bad value), and the fix.
 */
interface ConstructErrorDetails {
  /** Stable PascalCase code, e.g. `BasePathAlreadyMapped`. Part of the public contract: never reworded. */
  readonly code: string;
  /** What is wrong, naming the offending value. */
  readonly message: string;
  /** What to change, as an imperative sentence. */
  readonly fix: string;
  /** The AWS documentation that states the rule (defaults to the code's entry in this library's error list). */
  readonly see?: string;
}

/**
 * The error thrown by the constructs of this library for an explicit bad configuration.
 *
 * Same shape as aws-cdk's (internal) `ValidationError(lit\`Code\`, message, scope)`: the message starts
 * with the stable code, then names the construct path, the bad value and the fix, and ends with a link.
 * Not exported from the package: users match on the code at the start of the message.
 */
export class ConstructConfigurationError extends Error {
  /** The stable code, e.g. `BasePathAlreadyMapped`. */
  public readonly code: string;
  /** The path of the construct that rejected the configuration. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, details: ConstructErrorDetails) {
    super(
      `${details.code}: [${scope.node.path}] ${details.message} Fix: ${details.fix} See: ${details.see ?? errorDocUrl(details.code)}`,
    );
    this.name = 'ConstructConfigurationError';
    this.code = details.code;
    this.constructPath = scope.node.path;
  }
}

/**
 * Throws a {@link ConstructConfigurationError}.
 */
export function fail(scope: IConstruct, details: ConstructErrorDetails): never {
  throw new ConstructConfigurationError(scope, details);
}

/**
 * The message text of a synth-time validation (for `node.addValidation`), in the same shape as the thrown errors.
 */
export function validationMessage(details: ConstructErrorDetails): string {
  return `${details.code}: ${details.message} Fix: ${details.fix} See: ${details.see ?? errorDocUrl(details.code)}`;
}
