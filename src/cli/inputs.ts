/**
 * What the command line reads: cloud assemblies, template files and folders, as the raw stacks of
 * one app. Imports no aws-cdk-lib.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './args';
import { isCloudAssembly, StackReader } from '../graph/from-cloud-assembly';
import { TemplatePositions } from '../graph/source-positions';
import { RawStack, SourceFrame } from '../graph/types';

export { InputError };

/** The file name endings of template files. */
const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;

/** What the inputs name once folders are walked: template files and cloud assembly directories. */
export interface ResolvedInputs {
  readonly templateFiles: string[];
  readonly assemblies: string[];
  /** The template files found by walking a folder: skipped when they turn out to be no template. */
  readonly walked: ReadonlySet<string>;
}

/** Resolves the inputs given on the command line, from `cwd` (absolute, sorted, without repeats). */
export function resolveInputs(inputs: ReadonlyArray<string>, cwd: string = process.cwd()): ResolvedInputs {
  const files = new Set<string>();
  const assemblies = new Set<string>();
  const named = new Set<string>();
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`${input}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code})`}`);
    }
    if (stat.isDirectory()) {
      if (isCloudAssembly(abs)) {
        assemblies.add(abs);
        continue;
      }
      const before = files.size + assemblies.size;
      walk(abs, input, files, assemblies);
      if (files.size + assemblies.size === before) {
        throw new InputError(
          `${input}: no template files (.json, .yaml, .yml, .template) and no cloud assembly in this folder`,
        );
      }
    } else if (TEMPLATE_FILE.test(abs)) {
      files.add(abs);
      named.add(abs);
    } else {
      throw new InputError(`${input}: not a template file (expected a .json, .yaml, .yml or .template file)`);
    }
  }
  const walked = new Set([...files].filter((f) => !named.has(f)));
  return { templateFiles: [...files].sort(), assemblies: [...assemblies].sort(), walked };
}

/** Collects the template files under `dir`, recursively; skips node_modules; a folder with manifest.json is an assembly. */
function walk(dir: string, shown: string, files: Set<string>, assemblies: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      if (isCloudAssembly(full)) assemblies.add(full);
      else walk(full, path.join(shown, entry.name), files, assemblies);
    } else if (entry.isFile() && TEMPLATE_FILE.test(entry.name) && !isCdkSideFile(entry.name)) {
      files.add(full);
    }
  }
}

/** Files CDK writes beside templates that are not templates (only met in folders that are not assemblies). */
function isCdkSideFile(name: string): boolean {
  return /\.assets\.json$|^tree\.json$|^cdk\.json$|^package(-lock)?\.json$|^tsconfig.*\.json$/i.test(name);
}

/**
 * The stacks of the inputs as one app, with `region` for the stacks whose region is unknown. A file
 * found by walking a folder that is JSON or YAML but no template is skipped (named in `skipped`);
 * a file named on the command line must be a template. What could not be followed (a nested
 * template whose local file is missing, nesting too deep) is added to `problems`, one line each,
 * and the rest is read.
 */
export function readInputs(
  inputs: ResolvedInputs,
  region?: string,
  skipped: string[] = [],
  problems: string[] = [],
): RawStack[] {
  const stacks: RawStack[] = [];
  for (const dir of inputs.assemblies) {
    const reader = new StackReader();
    stacks.push(...reader.readCloudAssembly(dir));
    problems.push(...reader.problems);
  }
  if (inputs.templateFiles.length > 0) {
    const reader = new StackReader();
    stacks.push(...reader.readTemplateFiles(inputs.templateFiles, inputs.walked, skipped));
    problems.push(...reader.problems);
  }
  if (stacks.length === 0 && skipped.length > 0) {
    throw new InputError(
      `${path.relative(process.cwd(), skipped[0]) || skipped[0]}: no CloudFormation template among the files found (${skipped.length} JSON or YAML files that are not templates)`,
    );
  }
  return region ? stacks.map((s) => (s.region ? s : { ...s, region })) : stacks;
}

/** Where the parts of each template file sit, by file. */
export function positionsByFile(stacks: ReadonlyArray<RawStack>): Map<string, TemplatePositions> {
  const out = new Map<string, TemplatePositions>();
  for (const s of stacks) {
    if (s.templateFile && s.positions && !out.has(s.templateFile)) out.set(s.templateFile, s.positions);
  }
  return out;
}

/** Where the user's code created each resource (cdk.out with creation stack traces), by `stack|logicalId`. */
export function sourcesByResource(stacks: ReadonlyArray<RawStack>): Map<string, SourceFrame> {
  const out = new Map<string, SourceFrame>();
  for (const s of stacks) {
    for (const [logicalId, frame] of Object.entries(s.sourceLocations ?? {})) out.set(`${s.key}|${logicalId}`, frame);
  }
  return out;
}
