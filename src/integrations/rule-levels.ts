/**
 * The `ruleLevels` option of both doors: each rule's findings at another level, or none. Internal
 * (not exported from the package): the doors call it.
 */
import { RuleLevel } from './rule-ids';
import { Finding } from '../finding';
import { RULES } from '../rules';

/** The levels a door was given, checked: one clear line for an id that is no rule or a level that is none. */
export function checkRuleLevels(
  door: string,
  levels: { [ruleId: string]: RuleLevel } | undefined,
): Map<string, RuleLevel> {
  const out = new Map<string, RuleLevel>();
  const known = new Set(RULES.map((r) => r.id));
  const values = new Set<string>(Object.values(RuleLevel));
  for (const [id, level] of Object.entries(levels ?? {})) {
    if (!known.has(id)) {
      throw new Error(
        `${door}: ruleLevels names '${id}', which is no rule; use an id of ApiReachabilityRule (e.g. 'ApiReachability-PrivateDnsShadowsPublicApi').`,
      );
    }
    if (!values.has(level)) {
      throw new Error(
        `${door}: ruleLevels['${id}'] is '${level}'; use RuleLevel.ERROR, RuleLevel.WARNING or RuleLevel.OFF.`,
      );
    }
    out.set(id, level);
  }
  return out;
}

/** The findings at the levels set: `OFF` drops a rule's findings, the others set their level. */
export function applyRuleLevels(findings: ReadonlyArray<Finding>, levels: ReadonlyMap<string, RuleLevel>): Finding[] {
  if (levels.size === 0) return [...findings];
  const out: Finding[] = [];
  for (const f of findings) {
    const level = levels.get(f.rule);
    if (level === undefined) out.push(f);
    else if (level !== RuleLevel.OFF) out.push({ ...f, level });
  }
  return out;
}
