/**
 * Reading an app from the command line, the same way for every command that reads one (`check`,
 * `report`, `explain --app`): the inputs as one app, the region of region-less stacks, and the
 * template parameters' values.
 */
import * as path from 'path';
import { CliIo, lastValue, OptionSpec, ParsedArgs, TOOL_NAME } from './args';
import { readInputs, resolveInputs } from './inputs';
import { bindParameters, parameterValues } from './parameters';
import { RawStack } from '../graph/types';

/** The options of every command that reads an app. */
export const APP_OPTIONS: OptionSpec = { '--region': true, '--parameter': true, '--parameters': true };

/** Their lines in a command's usage. */
export const APP_OPTIONS_USAGE = `  --region <region>               region of the stacks whose region is unknown
  --parameter <KEY=VALUE>         value of a template parameter (repeatable)
  --parameters <file>             parameter values: [{"ParameterKey","ParameterValue"}] or {"Parameters":{}}
`;

/**
 * The raw stacks of `inputs` (cdk.out directories, template files, folders) as one app, with the
 * region and parameters of `args`. A JSON or YAML file found in a folder that is no template is
 * skipped with one note on stderr, and so is each nested template that could not be followed (a
 * warning); unusable input throws InputError or TemplateLoadError.
 */
export function readApp(inputs: ReadonlyArray<string>, args: ParsedArgs, io: CliIo): RawStack[] {
  const parameters = parameterValues(
    args.values.get('--parameters') ?? [],
    args.values.get('--parameter') ?? [],
    io.cwd,
  );
  const skipped: string[] = [];
  const problems: string[] = [];
  const stacks = readInputs(resolveInputs(inputs, io.cwd), lastValue(args, '--region'), skipped, problems);
  for (const p of new Set(problems)) io.stderr(`${TOOL_NAME}: warning: ${p.split(`${io.cwd}${path.sep}`).join('')}\n`);
  if (skipped.length > 0) {
    const first = path.relative(io.cwd, skipped[0]) || skipped[0];
    io.stderr(
      `${TOOL_NAME}: skipped ${skipped.length} JSON or YAML file(s) found in folders that are not CloudFormation templates (${first}${skipped.length > 1 ? ', …' : ''})\n`,
    );
  }
  return bindParameters(stacks, parameters);
}
