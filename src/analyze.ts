/**
 * The engine's entry points: graph → facts → rules → findings. Internal (not part of the jsii
 * surface); the doors call these.
 */
import { IConstruct } from 'constructs';
import { FactUnavailable, deriveFacts, errorText } from './facts';
import { readsResourceType } from './facts/read-types';
import { dedupeFindings, Finding, sortFindings } from './finding';
import {
  stacksFromCloudAssembly,
  stacksFromSynthesizedTemplates,
  stacksFromTemplateFiles,
  SynthesizedStack,
} from './graph/from-cloud-assembly';
import { stacksFromConstructTree } from './graph/from-construct-tree';
import { ResourceGraph } from './graph/resource-graph';
import { RULES, Rule } from './rules';

/** The resource types whose properties the facts read: the rest is neither rendered nor normalized. */
const READ = { readsType: readsResourceType };

/** What one run of the engine produced. */
export interface Analysis {
  readonly findings: Finding[];
  /** Internal problems (a rule that crashed): reported as warnings by the doors, never as errors. */
  readonly diagnostics: string[];
}

/**
 * Runs every rule over a graph. Never throws: a crash inside a rule becomes a diagnostic; a rule
 * that needs a fact family that could not be derived stays silent, named in that family's diagnostic.
 */
export function analyzeGraph(graph: ResourceGraph, rules: ReadonlyArray<Rule> = RULES): Analysis {
  let facts;
  try {
    facts = deriveFacts(graph);
  } catch (e) {
    return { findings: [], diagnostics: [`the facts could not be derived (${errorText(e)}); no rule ran`] };
  }
  const findings: Finding[] = [];
  const silenced = new Map<string, string[]>();
  const failures: string[] = [];
  for (const rule of rules) {
    try {
      findings.push(...rule.check(facts));
    } catch (e) {
      if (e instanceof FactUnavailable) silenced.set(e.family, [...(silenced.get(e.family) ?? []), rule.id]);
      else failures.push(`rule ${rule.id} failed (${errorText(e)}); its findings are missing`);
    }
  }
  const diagnostics = [
    ...facts.problems,
    ...[...silenced].map(([family, ids]) => `without the ${family} facts, ${ids.join(', ')} did not run`),
    ...failures,
  ];
  return { findings: sortFindings(dedupeFindings(findings)), diagnostics };
}

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

/** Analyzes a cloud assembly directory (`cdk.out`). Throws TemplateLoadError on unreadable input. */
export function analyzeCloudAssembly(dir: string): Analysis {
  return analyzeGraph(ResourceGraph.fromStacks(stacksFromCloudAssembly(dir), READ));
}

/** Analyzes CloudFormation / SAM template files as one app. Throws TemplateLoadError on unreadable input. */
export function analyzeTemplateFiles(files: ReadonlyArray<string>): Analysis {
  return analyzeGraph(ResourceGraph.fromStacks(stacksFromTemplateFiles(files), READ));
}

/**
 * Analyzes the templates a door was handed (CDK's validation context without a construct tree).
 * Never throws: templates that cannot be read become a diagnostic, like an app that cannot be read.
 */
export function analyzeSynthesizedTemplates(files: ReadonlyArray<string>): Analysis {
  try {
    return analyzeTemplateFiles(files);
  } catch (e) {
    return { findings: [], diagnostics: [`the templates could not be read (${errorText(e)}); no rule ran`] };
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
    return { findings: [], diagnostics: [`the templates could not be read (${errorText(e)}); no rule ran`] };
  }
  if (root && graph.resources.some((r) => r.path === undefined)) return analyzeScope(root);
  return analyzeGraph(graph);
}
