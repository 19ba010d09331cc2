/**
 * `--parameter KEY=VALUE` and `--parameters FILE`: values for the parameters of the templates, as
 * CloudFormation would be given them at deploy time. Without a value a parameter is unknown, and
 * so is every value made from it (its `Default` is not assumed: a deployment may override it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError, UsageError } from './args';
import { RawStack } from '../graph/types';

/** The parameter values named on the command line: files first, in order, then `--parameter`s (the last wins). */
export function parameterValues(
  files: ReadonlyArray<string>,
  pairs: ReadonlyArray<string>,
  cwd: string,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) for (const [k, v] of readParameterFile(file, cwd)) out.set(k, v);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--parameter must be KEY=VALUE, not '${pair}'`);
    out.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return out;
}

/**
 * Reads a parameters file: CloudFormation's `[{ "ParameterKey": …, "ParameterValue": … }]` (as
 * `aws cloudformation create-stack --parameters file://…` takes it), or a template configuration
 * file `{ "Parameters": { KEY: VALUE } }` (as CodePipeline's CloudFormation action takes it).
 */
export function readParameterFile(file: string, cwd: string): Array<[string, string]> {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf-8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: is not valid JSON (${(e as Error).message})`);
  }
  const bad = (why: string) =>
    new InputError(
      `${file}: ${why}; a parameters file is [{"ParameterKey": "K", "ParameterValue": "V"}, …] or {"Parameters": {"K": "V"}}`,
    );
  const value = (v: unknown, key: string): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
    throw bad(`the value of ${key} is not a string`);
  };
  if (Array.isArray(doc)) {
    return doc.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null || typeof entry.ParameterKey !== 'string') {
        throw bad(`entry ${i + 1} has no ParameterKey`);
      }
      if (entry.UsePreviousValue === true && entry.ParameterValue === undefined) {
        throw bad(`${entry.ParameterKey} uses the previous value, which only the deployed stack knows`);
      }
      return [entry.ParameterKey, value(entry.ParameterValue, entry.ParameterKey)];
    });
  }
  if (typeof doc === 'object' && doc !== null && typeof (doc as { Parameters?: unknown }).Parameters === 'object') {
    const params = (doc as { Parameters: unknown }).Parameters;
    if (params === null || Array.isArray(params)) throw bad('"Parameters" is not an object');
    return Object.entries(params as { [k: string]: unknown }).map(([k, v]) => [k, value(v, k)]);
  }
  throw bad('it is neither a list of parameters nor an object with "Parameters"');
}

/**
 * Binds the values to every top-level stack whose template declares the parameter. A value no
 * template declares is an error: it is most often a typo, and it would silently change nothing.
 */
export function bindParameters(stacks: ReadonlyArray<RawStack>, values: ReadonlyMap<string, string>): RawStack[] {
  if (values.size === 0) return [...stacks];
  const used = new Set<string>();
  const out = stacks.map((s) => {
    if (s.parent) return s;
    const declared = s.template.Parameters ?? {};
    const bound: { [name: string]: string } = {};
    for (const [k, v] of values) {
      if (Object.prototype.hasOwnProperty.call(declared, k)) {
        bound[k] = v;
        used.add(k);
      }
    }
    return Object.keys(bound).length > 0 ? { ...s, parameterValues: { ...s.parameterValues, ...bound } } : s;
  });
  const unused = [...values.keys()].filter((k) => !used.has(k)).sort();
  if (unused.length > 0) {
    throw new UsageError(
      `no template declares the parameter${unused.length > 1 ? 's' : ''} ${unused.join(', ')} (given by --parameter or --parameters)`,
    );
  }
  return out;
}
