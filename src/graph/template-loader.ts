import * as fs from 'fs';
import * as jsyaml from 'js-yaml';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Node as YamlNode } from 'yaml';
import { boundedJson, expandedSize, MAX_VALUE_DEPTH, own, setOwn } from './bounded';
import { lazyJsonPositions, TemplatePositions, yamlPositions } from './source-positions';
import { longForm, samGlobalsSection, SHORT_TAGS } from './template-syntax';
import { RawTemplate } from './types';
import { isObject } from './values';

/**
 * How many nodes the aliases of one YAML document may produce, all together. An alias stands for
 * a copy of its anchor's value, and anchors may hold aliases of other anchors: nine levels of nine
 * aliases are 9^9 copies from a 600-byte file ("billion laughs"). Templates that use aliases to
 * share a few settings stay far below this.
 */
export const MAX_ALIAS_NODES = 100_000;

/** A template that cannot be read; the message is one line that says what to change. */
export class TemplateLoadError extends Error {
  /**
   * True when the file is JSON or YAML that is no CloudFormation template at all (not a mapping, or
   * none of Resources, AWSTemplateFormatVersion, Transform), rather than a broken one.
   */
  public readonly notATemplate: boolean;

  constructor(
    public readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TemplateLoadError';
    this.notATemplate = /^is not a CloudFormation template \((the document is not a mapping|no Resources,)/.test(
      reason,
    );
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
  const json = text.trimStart().startsWith('{');
  if (json || /\.json$/i.test(file)) {
    try {
      value = JSON.parse(text);
      positions = lazyJsonPositions(text, file); // no second parse unless a position is asked for
    } catch (jsonError) {
      try {
        // JSON with comments or trailing commas is rare, but YAML may read it (and a `.json` file may be YAML)
        ({ value, positions } = parseYaml(text, file));
      } catch {
        // A file that is JSON is told what is wrong in JSON terms, not in those of the YAML reader.
        throw new TemplateLoadError(file, `is not valid JSON: ${jsonSyntaxError(text, jsonError)}`);
      }
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
    const section = isObject(r) ? samGlobalsSection(own(r, 'Type')) : undefined;
    const g = section !== undefined ? own(globals, section) : undefined;
    if (!isObject(r) || !isObject(g)) {
      setOwn(resources, id, r);
      continue;
    }
    const props = own(r, 'Properties');
    setOwn(resources, id, { ...r, Properties: mergeGlobal(g, isObject(props) ? props : {}, 0) });
  }
  return { ...t, Resources: resources };
}

/** Deeper than `MAX_VALUE_DEPTH`, the resource's own value wins (the normalizer leaves it unknown anyway). */
function mergeGlobal(global: unknown, mine: unknown, depth: number): unknown {
  if (mine === undefined) return global;
  if (depth > MAX_VALUE_DEPTH) return mine;
  if (Array.isArray(global) && Array.isArray(mine)) return [...global, ...mine];
  if (isObject(global) && isObject(mine) && !isIntrinsic(global) && !isIntrinsic(mine)) {
    const out: Record<string, unknown> = { ...global };
    for (const [k, v] of Object.entries(mine)) setOwn(out, k, mergeGlobal(own(global, k), v, depth + 1));
    return out;
  }
  return mine;
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
    let value: unknown;
    try {
      value = jsyaml.load(text, { schema: lenientSchema(), json: true });
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
    // The lenient reader shares one object among the uses of an anchor: every walk over the
    // template would expand them, so the expansion is held to the same budget.
    // Without aliases a document has fewer nodes than characters, so what lies beyond came from them.
    const budget = text.length + MAX_ALIAS_NODES;
    const size = expandedSize(value, budget);
    if (size === Infinity) throw new TemplateLoadError(file, 'is not usable: a YAML anchor holds an alias of itself');
    if (size > budget) throw tooManyAliases(file);
    return { value };
  }
  return {
    value: toJs(doc.contents as YamlNode | null, doc, 0, { file, aliasNodes: 0, expanding: false }),
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

function tooManyAliases(file: string): TemplateLoadError {
  return new TemplateLoadError(
    file,
    `is not usable: its YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes (anchors of aliases of anchors); write the values out instead`,
  );
}

interface ToJsState {
  readonly file: string;
  /** Nodes produced so far by expanding aliases. */
  aliasNodes: number;
  /** Whether the node being converted is (inside) the expansion of an alias. */
  expanding: boolean;
}

/**
 * Converts a YAML node to plain JSON, turning short-form tags into long-form intrinsics. Aliases
 * are expanded within the budget {@link MAX_ALIAS_NODES} (past it the file is refused: the
 * `yaml` package's own limit does not apply to this conversion); deeper than `MAX_VALUE_DEPTH`, a value is null.
 */
function toJs(node: YamlNode | null | undefined, doc: Document.Parsed, depth: number, state: ToJsState): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_VALUE_DEPTH) return null;
  if (state.expanding && ++state.aliasNodes > MAX_ALIAS_NODES) throw tooManyAliases(state.file);
  if (isAlias(node)) {
    const outer = state.expanding;
    state.expanding = true;
    try {
      return toJs(node.resolve(doc) as YamlNode | undefined, doc, depth + 1, state);
    } finally {
      state.expanding = outer;
    }
  }
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
    if (typeof value === 'bigint') value = Number(value);
    if (value instanceof Date) value = node.source ?? value.toISOString();
  } else if (isSeq(node)) {
    value = node.items.map((i) => toJs(i as YamlNode, doc, depth + 1, state));
  } else if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = toJs(pair.key as YamlNode, doc, depth + 1, state);
      const key = typeof k === 'string' ? k : String(boundedJson(k));
      setOwn(obj, key, toJs(pair.value as YamlNode, doc, depth + 1, state));
    }
    value = obj;
  }
  const tag = (node as { tag?: string }).tag;
  return tag && SHORT_TAGS[tag] ? longForm(tag, value) : value;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/**
 * What is wrong with a text that `JSON.parse` refused, with its line and column: "unexpected token }
 * at line 3, column 5". The messages of `JSON.parse` differ between Node versions and often give no
 * position, so the text is scanned again here (only on this error path).
 */
function jsonSyntaxError(text: string, parseError: unknown): string {
  const found = findJsonError(text);
  if (!found) return firstLine(String((parseError as Error).message ?? parseError));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < found.offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${found.what} at line ${line}, column ${found.offset - lineStart + 1}`;
}

const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The first syntax error of a JSON text (iterative: any depth), or undefined when there is none. */
function findJsonError(text: string): { offset: number; what: string } | undefined {
  const open: string[] = [];
  let i = 0;
  let state: 'value' | 'first-value' | 'first-key' | 'key' | 'after' = 'value';
  const skip = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const unexpected = () =>
    i >= text.length
      ? { offset: i, what: 'unexpected end of input' }
      : { offset: i, what: `unexpected token ${text[i]}` };
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  for (;;) {
    skip();
    const c = text[i];
    if (state === 'first-value' || state === 'first-key') {
      if (c === (state === 'first-value' ? ']' : '}')) {
        open.pop();
        i++;
        state = 'after';
        continue;
      }
      state = state === 'first-value' ? 'value' : 'key';
      continue;
    }
    if (state === 'key') {
      if (c !== '"') return unexpected();
      if (!match(JSON_STRING)) return { offset: i, what: 'unterminated or malformed string' };
      skip();
      if (text[i] !== ':') return unexpected();
      i++;
      state = 'value';
      continue;
    }
    if (state === 'value') {
      if (c === '{' || c === '[') {
        open.push(c);
        i++;
        state = c === '{' ? 'first-key' : 'first-value';
        continue;
      }
      if (c === '"') {
        if (!match(JSON_STRING)) return { offset: i, what: 'unterminated or malformed string' };
      } else if (!(
        match(JSON_NUMBER) || ['true', 'false', 'null'].some((w) => text.startsWith(w, i) && (i += w.length))
      )) {
        return unexpected();
      }
      state = 'after';
      continue;
    }
    // after a value
    const top = open[open.length - 1];
    if (top === undefined) return i < text.length ? unexpected() : undefined;
    if (c === ',') {
      i++;
      state = top === '{' ? 'key' : 'value';
    } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
      open.pop();
      i++;
    } else {
      return unexpected();
    }
  }
}
