/**
 * The reachability matrix as a person reads it in a design review (Markdown with a Mermaid
 * flowchart, a table of the links and one table per link) and as a program reads it (JSON,
 * schema version 1, docs/cli-report.md). Both keep the matrix's order, so the same app gives the
 * same bytes on every run.
 */
import { TOOL_NAME } from './args';
import { MatrixLink, MatrixNode, MatrixStep, ReachabilityMatrix, Verdict } from './matrix';

/** What a formatted matrix says besides the matrix. */
export interface MatrixFormatContext {
  /** The tool's version, for the JSON document. */
  readonly version: string;
}

/** How many links reach, fail and are unknown, and how many of them are callers with no call found. */
export function verdictCounts(
  m: ReachabilityMatrix,
): { readonly [v in Verdict]: number } & { readonly links: number; readonly withoutCall: number } {
  const count = (v: Verdict) => m.links.filter((l) => l.verdict === v).length;
  return {
    links: m.links.length,
    reaches: count('reaches'),
    fails: count('fails'),
    unknown: count('unknown'),
    withoutCall: m.links.filter((l) => l.via === 'none').length,
  };
}

/** The JSON document (schema version 1). */
export function matrixJson(m: ReachabilityMatrix, ctx: MatrixFormatContext): string {
  const doc = {
    version: 1,
    tool: { name: TOOL_NAME, version: ctx.version },
    summary: verdictCounts(m),
    nodes: m.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      label: n.label,
      resource: n.resource
        ? { stack: n.resource.stack, logicalId: n.resource.logicalId, constructPath: n.resource.constructPath ?? null }
        : null,
      vpc: n.vpc ?? null,
      ...(n.type === 'endpoint' ? { privateDns: n.privateDns ?? 'unknown' } : {}),
    })),
    links: m.links.map((l) => ({
      caller: l.caller,
      target: l.target,
      hostname: l.hostname ?? null,
      urlPath: l.urlPath ?? null,
      via: l.via,
      evidence: l.evidence
        ? {
            kind: l.evidence.kind,
            resource: {
              stack: l.evidence.resource.stack,
              logicalId: l.evidence.resource.logicalId,
              constructPath: l.evidence.resource.constructPath ?? null,
            },
            property: l.evidence.property,
          }
        : null,
      path: {
        vpc: step(l.path.vpc),
        dns: step(l.path.dns),
        egress: step(l.path.egress),
        domain: l.path.domain ? step(l.path.domain) : null,
        api: l.path.api ? step(l.path.api) : null,
        policies: step(l.path.policies),
      },
      verdict: l.verdict,
      findings: l.findings.map((f) => ({ label: f.label, ruleId: f.rule, level: f.level, message: f.message })),
      notes: l.notes.map((f) => ({ label: f.label, ruleId: f.rule, level: f.level, message: f.message })),
      unknown: l.unknown,
      conditional: l.conditional,
    })),
    unlinkedFindings: m.unlinked.map((f) => ({ label: f.label, ruleId: f.rule, level: f.level, message: f.message })),
    problems: m.problems,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function step(s: MatrixStep): { value: string; known: boolean; text: string; node: string | null } {
  return { value: s.value, known: s.known, text: s.text, node: s.node ?? null };
}

/** Text inside a Mermaid quoted label: quotes and the characters Mermaid reads as markup become entity codes. */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>[\]{}|`]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s+/g, ' ');
}

/** Text inside a Markdown table cell. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** Text inside an inline code span of a table cell. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const SHAPES: { readonly [t in MatrixNode['type']]: [string, string] } = {
  vpc: ['[', ']'],
  caller: ['[', ']'],
  endpoint: ['{{', '}}'],
  domain: ['([', '])'],
  api: ['(', ')'],
  external: ['(', ')'],
  unknown: ['[/', '/]'],
};

/**
 * The edges of the diagram: each hop of each link once. The hop into a link's target carries the
 * link's verdict (the worst of the links that end on it, with the rules of those that fail).
 */
function edges(m: ReachabilityMatrix): Array<{ from: string; to: string; verdict: Verdict; labels: string[] }> {
  const rank: { readonly [v in Verdict]: number } = { reaches: 0, unknown: 1, fails: 2 };
  const byHop = new Map<string, { from: string; to: string; verdict: Verdict; labels: Set<string> }>();
  for (const l of m.links) {
    const hops = [
      l.caller,
      l.path.dns.value === 'endpoint' ? l.path.dns.node : undefined,
      l.path.domain?.node,
      l.target,
    ]
      .filter((n): n is string => n !== undefined)
      .filter((n, i, all) => i === 0 || all[i - 1] !== n);
    for (let i = 1; i < hops.length; i++) {
      const key = `${hops[i - 1]}\u0000${hops[i]}`;
      const e = byHop.get(key) ?? { from: hops[i - 1], to: hops[i], verdict: 'reaches' as Verdict, labels: new Set() };
      // The hops before the last are the way the request takes; the last one, into the target, carries the verdict.
      if (i === hops.length - 1) {
        if (rank[l.verdict] > rank[e.verdict]) e.verdict = l.verdict;
        for (const f of l.findings) e.labels.add(f.ruleName);
      }
      byHop.set(key, e);
    }
  }
  return [...byHop.values()].map((e) => ({ ...e, labels: [...e.labels].sort() }));
}

/** The Mermaid flowchart: VPCs as subgraphs around their callers and endpoints; hops into failing targets red, labelled by rule. */
export function mermaid(m: ReachabilityMatrix): string {
  const lines = ['flowchart LR'];
  const node = (n: MatrixNode) => `${n.id}${SHAPES[n.type][0]}"${mermaidText(nodeText(n))}"${SHAPES[n.type][1]}`;
  const used = new Set(m.links.flatMap((l) => [l.caller, l.target, l.path.dns.node, l.path.domain?.node]));
  const shown = m.nodes.filter((n) => n.type !== 'vpc' && (used.has(n.id) || n.type !== 'unknown'));
  for (const vpc of m.nodes.filter((n) => n.type === 'vpc')) {
    lines.push(`  subgraph ${vpc.id}["${mermaidText(vpc.label)}"]`);
    for (const n of shown.filter((x) => x.vpc === vpc.id)) lines.push(`    ${node(n)}`);
    lines.push('  end');
  }
  for (const n of shown.filter((x) => x.vpc === undefined)) lines.push(`  ${node(n)}`);
  const styles: string[] = [];
  edges(m).forEach((e, i) => {
    const label = e.verdict === 'fails' ? e.labels.join(', ') : e.verdict === 'unknown' ? 'unknown' : '';
    const arrow = e.verdict === 'unknown' ? '-.->' : '-->';
    lines.push(`  ${e.from} ${arrow}${label ? `|"${mermaidText(label)}"|` : ''} ${e.to}`);
    if (e.verdict === 'fails') styles.push(`  linkStyle ${i} stroke:#d62728,stroke-width:2px,color:#d62728`);
  });
  lines.push(...styles);
  return lines.join('\n');
}

function nodeText(n: MatrixNode): string {
  if (n.type === 'endpoint') {
    const dns = n.privateDns === true ? 'on' : n.privateDns === false ? 'off' : 'not known';
    return `${n.label} (private DNS ${dns})`;
  }
  return n.label;
}

const VERDICT_TEXT: { readonly [v in Verdict]: string } = {
  reaches: 'reaches',
  fails: '**fails**',
  unknown: '_unknown_',
};

function hostCell(l: MatrixLink): string {
  return l.hostname ? code(`${l.hostname}${l.urlPath ?? ''}`) : '_not known_';
}

function verdictCell(l: MatrixLink): string {
  if (l.verdict === 'fails') return `${VERDICT_TEXT.fails}: ${l.findings.map((f) => code(f.label)).join(', ')}`;
  if (l.verdict === 'unknown') return `${VERDICT_TEXT.unknown}: ${cell(l.unknown.join('; '))}`;
  return VERDICT_TEXT.reaches;
}

/** The Markdown report: a summary, the diagram, a table of the links, then one table per link that has a call. */
export function matrixMarkdown(m: ReachabilityMatrix): string {
  const label = new Map(m.nodes.map((n) => [n.id, n.label]));
  const c = verdictCounts(m);
  const out: string[] = [];
  out.push('# API reachability');
  out.push('');
  out.push(
    `${c.links} link${c.links === 1 ? '' : 's'} from callers to APIs and custom domains: ` +
      `${c.reaches} reach${c.reaches === 1 ? 'es' : ''}, ${c.fails} fail${c.fails === 1 ? 's' : ''}, ${c.unknown} unknown` +
      (c.withoutCall > 0
        ? ` (of which ${c.withoutCall} caller${c.withoutCall === 1 ? '' : 's'} with no call found).`
        : '.'),
  );
  out.push('');
  out.push('```mermaid');
  out.push(mermaid(m));
  out.push('```');
  out.push('');
  out.push('## Links');
  out.push('');
  out.push('| # | Caller | Target | Hostname and path | Verdict |');
  out.push('| --- | --- | --- | --- | --- |');
  m.links.forEach((l, i) => {
    out.push(
      `| ${i + 1} | ${cell(label.get(l.caller)!)} | ${cell(label.get(l.target)!)} | ${hostCell(l)} | ${verdictCell(l)} |`,
    );
  });
  m.links.forEach((l, i) => {
    // A caller with no call found has nothing to show beyond its row.
    if (l.via === 'none') return;
    out.push('');
    out.push(`### ${i + 1}. ${label.get(l.caller)} → ${label.get(l.target)}`);
    out.push('');
    out.push('| Step | What the app says |');
    out.push('| --- | --- |');
    if (l.evidence) {
      const holder =
        l.evidence.resource.constructPath ?? `${l.evidence.resource.stack}/${l.evidence.resource.logicalId}`;
      out.push(`| Evidence | ${cell(`${l.evidence.kind} (${l.via}): ${holder} ${l.evidence.property}`)} |`);
    }
    out.push(`| Hostname and path | ${hostCell(l)} |`);
    const row = (name: string, s: MatrixStep | undefined) => {
      if (s) out.push(`| ${name} | ${cell(s.text)}${s.known ? '' : ' _(not known)_'} |`);
    };
    row('VPC', l.path.vpc);
    row('DNS', l.path.dns);
    row('Egress', l.path.egress);
    row('Custom domain', l.path.domain);
    row('API', l.path.api);
    row('Policies', l.path.policies);
    out.push(`| Verdict | ${verdictCell(l)} |`);
    for (const f of l.findings) out.push(`| ${code(f.label)} | ${cell(f.message)} |`);
    for (const f of l.notes) out.push(`| Note ${code(f.label)} | ${cell(f.message)} |`);
    if (l.conditional) {
      out.push(
        '| Condition | the caller carries a CloudFormation Condition: it may not exist, and the rules do not check it |',
      );
    }
  });
  if (m.unlinked.length > 0) {
    out.push('');
    out.push('## Findings on no link');
    out.push('');
    for (const f of m.unlinked) out.push(`- ${code(f.label)} (${f.level}): ${f.message}`);
  }
  if (m.problems.length > 0) {
    out.push('');
    out.push('## What could not be read');
    out.push('');
    for (const p of m.problems) out.push(`- ${p}`);
  }
  return `${out.join('\n')}\n`;
}
