import { Annotations, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isAcknowledged } from './acknowledgements';
import { findingLabel, findingText, INTERNAL_ERROR_ID, internalErrorText } from './wording';
import { analyzeScope } from '../analyze';
import { Finding } from '../finding';

/** Properties of {@link ApiReachabilityAspect}. */
export interface ApiReachabilityAspectProps {
  /**
   * Add each rule's explanation to the messages.
   *
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * The same checks as {@link ApiReachabilityChecks}, for apps that use aspects and annotations
 * instead of cdk-nag: each finding becomes an error or warning annotation on the resource that must
 * change; error annotations fail `cdk synth`.
 *
 * ```ts
 * Aspects.of(app).add(new ApiReachabilityAspect());
 * ```
 *
 * The app is read once, on the first construct the aspect visits, so references across stacks are
 * followed. Findings acknowledged with `Validations.of(x).acknowledge({ id, reason })` are skipped.
 */
export class ApiReachabilityAspect implements IAspect {
  private readonly verbose: boolean;
  private readonly byRoot = new WeakMap<IConstruct, Map<string, Finding[]>>();

  constructor(props: ApiReachabilityAspectProps = {}) {
    this.verbose = props.verbose ?? false;
  }

  /** Visits one construct; the first visit reads the whole app. */
  public visit(node: IConstruct): void {
    const root = node.node.root;
    let byPath = this.byRoot.get(root);
    if (!byPath) {
      byPath = this.analyze(root);
      this.byRoot.set(root, byPath);
    }
    for (const f of byPath.get(node.node.path) ?? []) {
      if (isAcknowledged(node, f)) continue;
      const text = findingText(f, this.verbose);
      if (f.level === 'error') Annotations.of(node).addError(text);
      else Annotations.of(node).addWarningV2(findingLabel(f), text);
    }
  }

  private analyze(root: IConstruct): Map<string, Finding[]> {
    const analysis = analyzeScope(root);
    const byPath = new Map<string, Finding[]>();
    for (const f of analysis.findings) {
      if (!f.resource.path) continue;
      byPath.set(f.resource.path, [...(byPath.get(f.resource.path) ?? []), f]);
    }
    for (const d of analysis.diagnostics) {
      Annotations.of(root).addWarningV2(INTERNAL_ERROR_ID, internalErrorText(d));
    }
    return byPath;
  }
}
