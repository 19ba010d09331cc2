import * as fs from 'fs';
import * as jsyaml from 'js-yaml';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Node as YamlNode } from 'yaml';
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

/** Short-form intrinsic tags of CloudFormation YAML and the long form each stands for. */
const SHORT_TAGS: { [tag: string]: string } = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAtt': 'Fn::GetAtt',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Sub': 'Fn::Sub',
  '!Transform': 'Fn::Transform',
  '!And': 'Fn::And',
  '!Equals': 'Fn::Equals',
  '!If': 'Fn::If',
  '!Not': 'Fn::Not',
  '!Or': 'Fn::Or',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
  '!GetStackOutput': 'Fn::GetStackOutput',
  '!ForEach': 'Fn::ForEach',
};

/** Reads a CloudFormation or SAM template (JSON or YAML with short-form tags) from a file. */
export function loadTemplateFile(file: string): RawTemplate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new TemplateLoadError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseTemplate(text, file);
}

/** Parses the text of a CloudFormation or SAM template (JSON or YAML). */
export function parseTemplate(text: string, file = '<template>'): RawTemplate {
  let value: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch {
      value = parseYaml(text, file); // JSON with comments or trailing commas is rare, but YAML may read it
    }
  } else {
    value = parseYaml(text, file);
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
  return applySamGlobals(t) as RawTemplate;
}

/** SAM's `Globals` sections and the resource types they apply to. */
const SAM_GLOBALS: { [section: string]: string } = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
};

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
    const section = isObject(r) ? Object.keys(SAM_GLOBALS).find((k) => SAM_GLOBALS[k] === r.Type) : undefined;
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

function parseYaml(text: string, file: string): unknown {
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
      return jsyaml.load(text, { schema: lenientSchema(), json: true });
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
  return toJs(doc.contents as YamlNode | null, doc, 0);
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

/** The long form of a short-form tag applied to a value. */
function longForm(tag: string, value: unknown): unknown {
  const fn = SHORT_TAGS[tag];
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [fn]: dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : value };
  }
  return { [fn]: value };
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
