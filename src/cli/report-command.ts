/**
 * `api-reachability report`: the reachability matrix of cloud assemblies and templates, as
 * Markdown with a Mermaid diagram or as JSON (docs/cli-report.md).
 */
import { analyzeGraph, READ } from '../engine';
import { deriveFacts } from '../facts';
import { APP_OPTIONS, APP_OPTIONS_USAGE, readApp } from './app-inputs';
import {
  choice,
  CliIo,
  Command,
  EXIT_OK,
  lastValue,
  ParsedArgs,
  TOOL_NAME,
  toolVersion,
  UsageError,
  writeOutput,
} from './args';
import { buildMatrix, ReachabilityMatrix } from './matrix';
import { matrixJson, matrixMarkdown } from './matrix-format';
import { ResourceGraph } from '../graph/resource-graph';
import { RawStack } from '../graph/types';

const FORMATS = ['md', 'json'] as const;

/**
 * The matrix of raw stacks read as one app: the facts and the findings of every rule on one graph.
 *
 * @param stacks the stacks of the app
 * @returns the matrix, and the engine's diagnostics (internal problems, reported as warnings)
 */
export function matrixOf(stacks: ReadonlyArray<RawStack>): { matrix: ReachabilityMatrix; diagnostics: string[] } {
  const graph = ResourceGraph.fromStacks([...stacks], READ);
  const analysis = analyzeGraph(graph);
  // The same graph gives the same facts the rules read: the findings name the resources of these facts.
  const matrix = buildMatrix(deriveFacts(graph), analysis.findings);
  return { matrix, diagnostics: analysis.diagnostics };
}

/** The `report` command. */
export const REPORT: Command = {
  name: 'report',
  summary: 'the reachability matrix: every caller → API link, the way it takes, and whether it gets through',
  usage: `Usage: ${TOOL_NAME} report [options] <cdk.out dir | template file | folder>...

Shows every link from a caller to an API or custom domain that the engine finds, the hostname it
uses, the way its request takes (VPC, DNS, egress, custom domain, API, policies) and its verdict:
reaches, fails (with the findings that say why) or unknown (with what the app does not show).
Several inputs are read as one app. Exit 0 whatever the verdicts; 2 on unusable input.

Options:
  --format <md|json>              Markdown with a Mermaid diagram (default), or JSON
  -o, --out <file>                write the report to this file instead of stdout
${APP_OPTIONS_USAGE}  --debug                         print stack traces of internal errors
`,
  options: { '--format': true, '--out': true, ...APP_OPTIONS },
  run(args: ParsedArgs, io: CliIo): number {
    const format = choice(args, '--format', FORMATS, 'md');
    if (args.positional.length === 0) {
      throw new UsageError('report needs a cdk.out directory, a template file or a folder');
    }
    const stacks = readApp(args.positional, args, io);
    const { matrix, diagnostics } = matrixOf(stacks);
    for (const d of [...diagnostics, ...matrix.problems]) io.stderr(`${TOOL_NAME}: warning: ${d}\n`);
    const text = format === 'json' ? matrixJson(matrix, { version: toolVersion() }) : matrixMarkdown(matrix);
    writeOutput(io, lastValue(args, '--out'), text);
    return EXIT_OK;
  },
};
