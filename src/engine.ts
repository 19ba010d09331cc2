/**
 * The template-only entry points of the engine: graph → facts → rules → findings, from raw stacks,
 * template files or a cloud assembly. Internal (not part of the jsii surface). This module, and
 * everything it imports, loads neither aws-cdk-lib nor cdk-nag: the command line imports only this.
 */
import { FactUnavailable, deriveFacts, errorText } from './facts';
import { readsResourceType } from './facts/read-types';
import { dedupeFindings, Finding, sortFindings } from './finding';
import { StackReader } from './graph/from-cloud-assembly';
import { ResourceGraph } from './graph/resource-graph';
import { RawStack } from './graph/types';
import { RULES, Rule } from './rules';

/** The resource types whose properties the facts read: the rest is neither rendered nor normalized. */
export const READ = { readsType: readsResourceType };

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

/**
 * Analyzes a cloud assembly directory (`cdk.out`). Throws TemplateLoadError on unreadable input; what
 * could not be followed (a nested template whose local file is missing, nesting too deep) is a diagnostic.
 */
export function analyzeCloudAssembly(dir: string): Analysis {
  const reader = new StackReader();
  return withReadProblems(reader, analyzeGraph(ResourceGraph.fromStacks(reader.readCloudAssembly(dir), READ)));
}

/**
 * Analyzes CloudFormation / SAM template files as one app. Throws TemplateLoadError on unreadable input;
 * what could not be followed (a nested template whose local file is missing, nesting too deep) is a diagnostic.
 */
export function analyzeTemplateFiles(files: ReadonlyArray<string>): Analysis {
  const reader = new StackReader();
  return withReadProblems(reader, analyzeGraph(ResourceGraph.fromStacks(reader.readTemplateFiles(files), READ)));
}

function withReadProblems(reader: StackReader, analysis: Analysis): Analysis {
  if (reader.problems.length === 0) return analysis;
  return { ...analysis, diagnostics: [...reader.problems, ...analysis.diagnostics] };
}

/** Analyzes raw stacks (read by any of the readers, possibly several combined) as one app. */
export function analyzeRawStacks(stacks: ReadonlyArray<RawStack>, rules: ReadonlyArray<Rule> = RULES): Analysis {
  return analyzeGraph(ResourceGraph.fromStacks([...stacks], READ), rules);
}
