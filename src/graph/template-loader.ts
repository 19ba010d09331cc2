import * as fs from 'fs';
import * as jsyaml from 'js-yaml';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Node as YamlNode } from 'yaml';
import { lazyJsonPositions, TemplatePositions, yamlPositions } from './source-positions';
import { longForm, samGlobalsSection, SHORT_TAGS } from './template-syntax';
import { RawTemplate } from './types';
import { isObject } from './values';

/** A template that cannot be read; the message is one line that says what to change. */
export class TemplateLoadError extends Error {
  constructor(
    public readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TemplateLoadError';
  }
}

/** A template read from a file, with where its parts sit in that file when that can be known. */
export interface LoadedTemplate {
  readonly template: RawTemplate;
  /** Undefined when only the lenient YAML reader could read the file. */
  readonly positions?: TemplatePositions;
}

/** Reads a CloudFormation or SAM template (JSON or YAML with short-form tags) from a file. */
export function loadTemplateFile(file: string): RawTemplate {
  return readTemplateFile(file).template;
}

/** Reads a template file with the source positions of its parts (see source-positions.ts). */
export function readTemplateFile(file: string): LoadedTemplate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new TemplateLoadError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseTemplateSource(text, file);
}

/** Parses the text of a CloudFormation or SAM template (JSON or YAML). */
export function parseTemplate(text: string, file = '<template>'): RawTemplate {
  return parseTemplateSource(text, file).template;
}

/**
 * Parses the text of a template, with the source positions of its parts. For JSON the positions
 * are computed on the first lookup only; for YAML they come from the parse the loader does anyway.
 */
export function parseTemplateSource(text: string, file = '<template>'): LoadedTemplate {
  let value: unknown;
  let positions: TemplatePositions | undefined;
  if (text.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(text);
      positions = lazyJsonPositions(text, file); // no second parse unless a position is asked for
    } catch {
      ({ value, positions } = parseYaml(text, file)); // JSON with comments or trailing commas is rare, but YAML may read it
    }
  } else {
    ({ value, positions } = parseYaml(text, file));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TemplateLoadError(file, 'is not a CloudFormation template (the document is not a mapping)');
  }
  const t = value as Record<string, unknown>;
  if (
    t.Resources !== undefined &&
    (typeof t.Resources !== 'object' || t.Resources === null || Array.isArray(t.Resources))
  ) {
    throw new TemplateLoadError(file, 'is not a CloudFormation template (Resources is not a mapping)');
  }
  if (t.Resources === undefined && t.AWSTemplateFormatVersion === undefined && t.Transform === undefined) {
    throw new TemplateLoadError(
      file,
      'is not a CloudFormation template (no Resources, AWSTemplateFormatVersion or Transform)',
    );
  }
  return { template: applySamGlobals(t) as RawTemplate, positions };
}

/**
 * Applies a SAM template's `Globals` to its resources, as the SAM transform does: a resource's own
 * value wins over a global primitive, mappings are merged, lists are added to. Without it, a VPC
 * placement, an environment or a custom domain given once under `Globals` would be invisible.
 * See: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
 */
function applySamGlobals(t: Record<string, unknown>): Record<string, unknown> {
  // Only SAM reads Globals; a template with SAM resources is one even when it omits its Transform line.
  if (!isObject(t.Globals) || !isObject(t.Resources)) return t;
  const globals = t.Globals;
  const resources: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(t.Resources)) {
    const section = isObject(r) ? samGlobalsSection(r.Type) : undefined;
    const g = section !== undefined ? globals[section] : undefined;
    if (!isObject(r) || !isObject(g)) {
      resources[id] = r;
      continue;
    }
    const own = isObject(r.Properties) ? r.Properties : {};
    resources[id] = { ...r, Properties: mergeGlobal(g, own) };
  }
  return { ...t, Resources: resources };
}

function mergeGlobal(global: unknown, own: unknown): unknown {
  if (own === undefined) return global;
  if (Array.isArray(global) && Array.isArray(own)) return [...global, ...own];
  if (isObject(global) && isObject(own) && !isIntrinsic(global) && !isIntrinsic(own)) {
    const out: Record<string, unknown> = { ...global };
    for (const [k, v] of Object.entries(own)) out[k] = mergeGlobal(global[k], v);
    return out;
  }
  return own;
}

function isIntrinsic(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function parseYaml(text: string, file: string): { value: unknown; positions?: TemplatePositions } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
      logLevel: 'error',
    });
  } catch (e) {
    throw new TemplateLoadError(file, `is not valid YAML or JSON (${firstLine(String((e as Error).message))})`);
  }
  if (doc.errors.length > 0) {
    // Strict YAML 1.2 says no; CloudFormation's own reader is more lenient. Try a lenient reader
    // before refusing, so that templates that deploy are also templates we read.
    try {
      return { value: jsyaml.load(text, { schema: lenientSchema(), json: true }) };
    } catch (e) {
      const err = doc.errors[0];
      const pos = lineCounter.linePos(err.pos[0]);
      const lenient =
        e instanceof jsyaml.YAMLException && e.mark
          ? ` / line ${e.mark.line + 1}, column ${e.mark.column + 1}: ${e.reason}`
          : '';
      throw new TemplateLoadError(
        file,
        `is not valid YAML or JSON (line ${pos.line}, column ${pos.col}: ${firstLine(err.message)}${lenient})`,
      );
    }
  }
  return {
    value: toJs(doc.contents as YamlNode | null, doc, 0),
    positions: yamlPositions(doc, lineCounter, text, file),
  };
}

let schema: jsyaml.Schema | undefined;

/** js-yaml's schema with CloudFormation's short-form tags, in every node kind. */
function lenientSchema(): jsyaml.Schema {
  if (!schema) {
    const kinds: Array<'scalar' | 'sequence' | 'mapping'> = ['scalar', 'sequence', 'mapping'];
    const types = Object.keys(SHORT_TAGS).flatMap((tag) =>
      kinds.map((kind) => new jsyaml.Type(tag, { kind, construct: (data: unknown) => longForm(tag, data) })),
    );
    schema = jsyaml.DEFAULT_SCHEMA.extend(types);
  }
  return schema;
}

const MAX_DEPTH = 200;

/** Converts a YAML node to plain JSON, turning short-form tags into long-form intrinsics. */
function toJs(node: YamlNode | null | undefined, doc: Document.Parsed, depth: number): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_DEPTH) return null;
  if (isAlias(node)) return toJs(node.resolve(doc) as YamlNode | undefined, doc, depth + 1);
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
    if (typeof value === 'bigint') value = Number(value);
    if (value instanceof Date) value = node.source ?? value.toISOString();
  } else if (isSeq(node)) {
    value = node.items.map((i) => toJs(i as YamlNode, doc, depth + 1));
  } else if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = toJs(pair.key as YamlNode, doc, depth + 1);
      const key = typeof k === 'string' ? k : JSON.stringify(k);
      obj[key] = toJs(pair.value as YamlNode, doc, depth + 1);
    }
    value = obj;
  }
  const tag = (node as { tag?: string }).tag;
  return tag && SHORT_TAGS[tag] ? longForm(tag, value) : value;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
