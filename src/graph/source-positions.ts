/**
 * Where each part of a template sits in its file: the source position of a property path, for the
 * regions of SARIF results. Positions are optional everywhere (stacks read from the construct tree
 * have none) and never needed by the engine itself, so they cost nothing until someone asks:
 *
 * - YAML: the loader has parsed the document with the `yaml` package anyway; its nodes keep their
 *   ranges, so the positions just hold on to that document.
 * - JSON: the loader reads JSON with `JSON.parse` (fast, no ranges). The positions keep the text
 *   and parse it again with the `yaml` parser (JSON is YAML 1.2) on the first lookup only. A check
 *   that never asks for a position never pays for the second parse; one that asks pays it once per
 *   file. A hand-written JSON scanner would be faster on that first lookup, but it would be a second
 *   parser to keep right (escapes, duplicate keys, comments the loader tolerates) for a cost paid
 *   at most once per file by the command line.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node as YamlNode, parseDocument } from 'yaml';
import { samGlobalsSection, SHORT_TAGS } from './template-syntax';

/** A region of a template file. Lines and columns start at 1; the end is exclusive (as in SARIF). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * A path into a template: `Resources/Fn/Properties/Environment/Variables/URL`, or its segments
 * (`['Resources', 'Fn', 'Properties', 'Environment', 'Variables', 'URL']`) when a key holds a `/`.
 * List items are numbered from 0. Long-form intrinsic names step into short-form tags:
 * `…/URL/Fn::GetAtt` is the `!GetAtt Api.Url` of `URL: !GetAtt Api.Url`.
 */
export type TemplatePath = string | ReadonlyArray<string | number>;

/** Looks up where the parts of one template sit in its file. */
export interface TemplatePositions {
  /** The template file. */
  readonly file: string;
  /**
   * The position of the part at `path`: for a key of a mapping, from the key to the end of its
   * value; for a list item or the document, the value itself. A property of a SAM resource that
   * comes from `Globals` is found there. Undefined when the template has no such part.
   */
  positionOf(path: TemplatePath): SourcePosition | undefined;
}

/** The positions of a YAML document the loader has parsed (no extra cost). */
export function yamlPositions(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  text: string,
  file: string,
): TemplatePositions {
  return new DocumentPositions(file, () => ({ doc, lineCounter, text }));
}

/** The positions of a JSON template, computed from its text on the first lookup only. */
export function lazyJsonPositions(text: string, file: string): TemplatePositions {
  return new DocumentPositions(file, () => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
      logLevel: 'silent',
    });
    return doc.errors.length > 0 ? undefined : { doc, lineCounter, text };
  });
}

interface Parsed {
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly text: string;
}

/** Deeper than this, a path is not followed (aliases can loop). */
const MAX_SEGMENTS = 200;

class DocumentPositions implements TemplatePositions {
  private parsed: Parsed | undefined;
  private load: (() => Parsed | undefined) | undefined;

  constructor(
    public readonly file: string,
    load: () => Parsed | undefined,
  ) {
    this.load = load;
  }

  public positionOf(path: TemplatePath): SourcePosition | undefined {
    const parsed = this.document();
    if (!parsed) return undefined;
    const segments = (typeof path === 'string' ? path.split('/').filter((s) => s !== '') : [...path]).map(String);
    if (segments.length > MAX_SEGMENTS) return undefined;
    return this.find(parsed, segments) ?? this.findInSamGlobals(parsed, segments);
  }

  /** Parses on the first call only (and lets go of the loader and what it holds). */
  private document(): Parsed | undefined {
    if (this.load) {
      try {
        this.parsed = this.load();
      } catch {
        this.parsed = undefined; // positions are a courtesy: a template we cannot place has none
      }
      this.load = undefined;
    }
    return this.parsed;
  }

  private find(parsed: Parsed, segments: ReadonlyArray<string>): SourcePosition | undefined {
    const { doc, text } = parsed;
    let node = resolve(doc.contents as YamlNode | null, doc);
    if (!node) return undefined;
    // Where the part starts: the key of the last mapping step, else the node (or its tag).
    let start = node.range![0];
    // Nothing of the current node's tag can sit before this offset (the end of the key or previous item).
    let floor = 0;
    for (const segment of segments) {
      const tag: string | undefined = (node as { tag?: string }).tag;
      if (tag && SHORT_TAGS[tag] === segment) {
        // `Fn::GetAtt` of `!GetAtt A.B`: the long-form key is the tag, the value is the same node.
        start = startOf(node, floor, text);
        floor = start + tag.length;
        continue;
      }
      if (tag === '!GetAtt' && isScalar(node) && (segment === '0' || segment === '1')) {
        // `!GetAtt A.B` stands for `['A', 'B']`: both halves sit in the one scalar.
        start = node.range![0];
        continue;
      }
      let next: YamlNode | null | undefined;
      if (isMap(node)) {
        const pair = [...node.items].reverse().find((p) => isPair(p) && keyText(p.key as YamlNode, doc) === segment);
        if (!pair) return undefined;
        const key = pair.key as YamlNode;
        next = resolve(pair.value as YamlNode | null, doc);
        start = key.range![0];
        floor = key.range![1];
        if (!next) return this.position(parsed, start, key.range![1]);
      } else if (isSeq(node)) {
        const i: number = /^\d+$/.test(segment) ? Number(segment) : -1;
        next = i >= 0 && i < node.items.length ? resolve(node.items[i] as YamlNode | null, doc) : undefined;
        if (!next) return undefined;
        floor = i > 0 ? ((node.items[i - 1] as YamlNode).range?.[1] ?? node.range![0]) : node.range![0];
        start = startOf(next, floor, text);
      } else {
        return undefined;
      }
      node = next;
    }
    return this.position(parsed, start, Math.max(start, node.range![1]));
  }

  /** `Resources/<id>/Properties/…` of a SAM resource, when the property is one of its `Globals`. */
  private findInSamGlobals(parsed: Parsed, segments: ReadonlyArray<string>): SourcePosition | undefined {
    if (segments.length < 4 || segments[0] !== 'Resources' || segments[2] !== 'Properties') return undefined;
    const resource = parsed.doc.getIn(['Resources', segments[1]]) as unknown;
    const type = isMap(resource) ? resource.get('Type') : undefined;
    const section = samGlobalsSection(type);
    return section ? this.find(parsed, ['Globals', section, ...segments.slice(3)]) : undefined;
  }

  private position(parsed: Parsed, start: number, end: number): SourcePosition {
    const from = parsed.lineCounter.linePos(start);
    const to = parsed.lineCounter.linePos(end);
    return { file: this.file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  }
}

/** Where a node starts in the text: at its tag (`!Ref`), when it has one written between `floor` and the node. */
function startOf(node: YamlNode, floor: number, text: string): number {
  const tag: string | undefined = (node as { tag?: string }).tag;
  const at = tag ? text.lastIndexOf(tag, node.range![0]) : -1;
  return at >= floor ? at : node.range![0];
}

function resolve(node: YamlNode | null | undefined, doc: Document.Parsed): YamlNode | undefined {
  let n = node ?? undefined;
  for (let i = 0; n && isAlias(n) && i < 20; i++) n = (n.resolve(doc) as YamlNode | undefined) ?? undefined;
  return n && !isAlias(n) && n.range ? n : undefined;
}

/** The text of a key as the loader turns it into a property name. */
function keyText(key: YamlNode | null, doc: Document.Parsed): string | undefined {
  const k = resolve(key, doc);
  if (!isScalar(k)) return undefined;
  let v = k.value;
  if (typeof v === 'bigint') v = Number(v);
  if (v instanceof Date) v = k.source ?? v.toISOString();
  return typeof v === 'string' ? v : JSON.stringify(v);
}
