/**
 * The engine's entry points: graph → facts → rules → findings. Internal (not part of the jsii
 * surface); the doors call these. The template-only entry points live in engine.ts, which loads
 * no aws-cdk-lib (the command line imports only that); they are re-exported here.
 */
import { IConstruct } from 'constructs';
import { Analysis, analyzeGraph, analyzeTemplateFiles, READ } from './engine';
import { errorText } from './facts';
import { Finding } from './finding';
import { stacksFromSynthesizedTemplates, SynthesizedStack } from './graph/from-cloud-assembly';
import { stacksFromConstructTree } from './graph/from-construct-tree';
import { ResourceGraph } from './graph/resource-graph';
import { RULES, Rule } from './rules';

export type { Analysis } from './engine';
export { analyzeCloudAssembly, analyzeGraph, analyzeRawStacks, analyzeTemplateFiles } from './engine';

/** Reads the construct tree of the app that holds `scope` (all stacks: references cross them). */
export function graphOfApp(scope: IConstruct): ResourceGraph {
  return ResourceGraph.fromStacks(stacksFromConstructTree(scope.node.root, READ), READ);
}

/** Analyzes the whole app that holds `scope` and returns the findings on resources under `scope`. */
export function analyzeScope(scope: IConstruct, rules: ReadonlyArray<Rule> = RULES): Analysis {
  let graph: ResourceGraph;
  try {
    graph = graphOfApp(scope);
  } catch (e) {
    return { findings: [], diagnostics: [`the app could not be read (${errorText(e)}); no rule ran`] };
  }
  const result = analyzeGraph(graph, rules);
  const prefix = scope.node.path;
  if (prefix === '') return result;
  return {
    ...result,
    findings: result.findings.filter((f) => f.resource.path === prefix || f.resource.path?.startsWith(`${prefix}/`)),
  };
}

/** The findings of the app that holds `scope`, on resources under `scope`. */
export function analyzeApp(scope: IConstruct): Finding[] {
  return analyzeScope(scope).findings;
}

/**
 * Analyzes the templates a door was handed (CDK's validation context without a construct tree).
 * Never throws: templates that cannot be read become a diagnostic, like an app that cannot be read.
 */
export function analyzeSynthesizedTemplates(files: ReadonlyArray<string>): Analysis {
  try {
    return analyzeTemplateFiles(files);
  } catch (e) {
    return unreadableTemplates(e);
  }
}

/**
 * Analyzes the stacks CDK hands a validation plugin after synthesis: their templates, already
 * resolved, and the construct paths the cloud assembly manifest records, with nothing resolved again.
 * When those templates cannot be read, or do not say the construct path of every resource (an app
 * that turned logical-id metadata off), and the construct tree is at hand, it reads the tree instead:
 * a finding must be on a construct to be acknowledged. Never throws.
 */
export function analyzeSynthesizedStacks(stacks: ReadonlyArray<SynthesizedStack>, root?: IConstruct): Analysis {
  let graph: ResourceGraph;
  try {
    graph = ResourceGraph.fromStacks(stacksFromSynthesizedTemplates(stacks), READ);
  } catch (e) {
    if (root) return analyzeScope(root);
    return unreadableTemplates(e);
  }
  if (root && graph.resources.some((r) => r.path === undefined)) return analyzeScope(root);
  return analyzeGraph(graph);
}

/** What the engine says when the templates a door was handed cannot be read. */
function unreadableTemplates(e: unknown): Analysis {
  return { findings: [], diagnostics: [`the templates could not be read (${errorText(e)}); no rule ran`] };
}
