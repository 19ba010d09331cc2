/**
 * IAM roles and the statements of the identity policies attached to them.
 *
 * Reads: AWS::IAM::Role (inline `Policies`, `ManagedPolicyArns` that are managed policies of the
 * app), AWS::IAM::Policy and AWS::IAM::ManagedPolicy (`Roles`).
 * Unknown: imported roles and AWS managed policies (their statements are not in the app; a role
 * that is not a resource of the app has no entry).
 */
import { Policy, PolicyStatement, parsePolicy, policyDocument, wildcardMatch } from './policies';
import { ResourceNode, ResourceGraph } from '../graph/resource-graph';
import { Opaque, ResRef, Value, at, list, literal, partsOf } from '../graph/values';

/** Stands for a policy document whose statements the app does not show. */
const UNKNOWN_DOCUMENT = 'cdk-api-reachability:unknown-document';

/** One statement of an identity policy. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: Value[];
  readonly resources: Value[];
  /** The resource that holds the statement (role, policy, managed policy). */
  readonly holder: ResourceNode;
  /** The property path of its policy document in the holder's template (`Properties.Policies.0.PolicyDocument`). */
  readonly location: string;
}

/** Indexes the identity-policy statements of every role of the app. */
export class RoleIndex {
  private readonly statements = new Map<string, Statement[]>();
  private readonly documents = new Map<string, Value[]>();

  constructor(private readonly graph: ResourceGraph) {
    const managed = new Map<string, Statement[]>();
    for (const p of graph.ofType('AWS::IAM::ManagedPolicy')) {
      managed.set(p.key, statementsOf(p.properties.PolicyDocument, p, 'Properties.PolicyDocument'));
    }
    for (const role of graph.ofType('AWS::IAM::Role')) {
      const own: Statement[] = [];
      const docs: Value[] = [];
      list(role.properties.Policies).forEach((p, i) => {
        own.push(...statementsOf(at(p, 'PolicyDocument'), role, `Properties.Policies.${i}.PolicyDocument`));
        docs.push(at(p, 'PolicyDocument') ?? null);
      });
      for (const arn of list(role.properties.ManagedPolicyArns)) {
        const m = arn instanceof ResRef ? graph.get(arn.key) : undefined;
        if (m?.type === 'AWS::IAM::ManagedPolicy') {
          own.push(...(managed.get(m.key) ?? []));
          docs.push(m.properties.PolicyDocument ?? null);
        } else if (!grantsNoApiAccess(arn)) {
          docs.push(UNKNOWN_DOCUMENT); // an AWS managed policy, or one of another app: its statements are unknown
        }
      }
      this.add(role.key, own);
      this.documents.set(role.key, docs);
    }
    for (const p of graph.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
      const stmts =
        p.type === 'AWS::IAM::ManagedPolicy'
          ? managed.get(p.key)!
          : statementsOf(p.properties.PolicyDocument, p, 'Properties.PolicyDocument');
      for (const r of list(p.properties.Roles)) {
        const key = this.roleKeyOf(r);
        if (!key) continue;
        this.add(key, stmts);
        this.documents.set(key, [...(this.documents.get(key) ?? []), p.properties.PolicyDocument ?? null]);
      }
    }
  }

  /** The key of the role a value names (`Ref` = name, `Fn::GetAtt Role.Arn`), if it is a role of the app. */
  public roleKeyOf(v: Value): string | undefined {
    if (!(v instanceof ResRef)) return undefined;
    const r = this.graph.get(v.key);
    return r?.type === 'AWS::IAM::Role' && (v.attr === undefined || v.attr === 'Arn') ? r.key : undefined;
  }

  /** The role resource of the app that a value names, if any. */
  public roleOf(v: Value): ResourceNode | undefined {
    const key = this.roleKeyOf(v);
    return key === undefined ? undefined : this.graph.get(key);
  }

  /**
   * All identity-policy statements of a role of the app, for the evaluator; 'unknown' when some
   * policy attached to it cannot be read (an AWS managed policy, a document that is not literal).
   */
  public identityPolicy(roleKey: string): Policy {
    const out: PolicyStatement[] = [];
    for (const doc of this.documents.get(roleKey) ?? []) {
      if (doc === UNKNOWN_DOCUMENT) return 'unknown';
      const p = parsePolicy(doc);
      if (p === 'unknown') return 'unknown';
      out.push(...(p ?? []));
    }
    return out;
  }

  /** The statements of a role's identity policies. */
  public statementsOf(roleKey: string): Statement[] {
    return this.statements.get(roleKey) ?? [];
  }

  private add(key: string, stmts: Statement[]): void {
    const cur = this.statements.get(key);
    if (cur) cur.push(...stmts);
    else this.statements.set(key, [...stmts]);
  }
}

function statementsOf(doc: Value | undefined, holder: ResourceNode, location: string): Statement[] {
  const d = doc === undefined ? undefined : policyDocument(doc); // a document may be a JSON string
  return list(d === 'unknown' ? undefined : at(d, 'Statement')).flatMap((s) => {
    const effect = literal(at(s, 'Effect'));
    if (effect !== 'Allow' && effect !== 'Deny') return [];
    return [{ effect, actions: list(at(s, 'Action')), resources: list(at(s, 'Resource')), holder, location }];
  });
}

/**
 * AWS managed policies that CDK and common templates attach to callers' roles and that allow no
 * API Gateway action (checked against their published documents): they cannot grant
 * execute-api:Invoke, so they leave the evaluation known. Every other AWS managed policy is unknown.
 * See: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
const NO_API_ACCESS_POLICIES = new Set([
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AmazonECSTaskExecutionRolePolicy',
  'AmazonSSMManagedInstanceCore',
  'CloudWatchAgentServerPolicy',
  'AWSXRayDaemonWriteAccess',
  'AmazonEC2ContainerRegistryReadOnly',
]);

function grantsNoApiAccess(arn: Value): boolean {
  const parts = partsOf(arn);
  const last = parts?.[parts.length - 1];
  if (typeof last !== 'string') return false;
  const m = /:iam::aws:policy\/(.+)$/.exec(last);
  return (
    m !== null &&
    NO_API_ACCESS_POLICIES.has(m[1]) &&
    parts!.slice(0, -1).every((p) => typeof p === 'string' || isPartition(p))
  );
}

function isPartition(p: Value): boolean {
  return p instanceof Opaque && p.kind === 'pseudo' && /Partition/.test(p.id);
}

/** Whether an IAM action pattern (with `*` and `?`) surely covers the given action (case-insensitive). */
export function actionMatches(pattern: Value, action: string): boolean {
  return wildcardMatch(pattern, action, true) === true;
}
