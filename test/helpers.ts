import * as fs from 'fs';
import { App, aws_iam as iam } from 'aws-cdk-lib';
import { analyzeApp, analyzeCloudAssembly } from '../src/analyze';
import { Finding } from '../src/finding';

/** The findings of an app (read from the construct tree), optionally of one rule only. */
export function findings(app: App, ruleName?: string): Finding[] {
  return analyzeApp(app).filter((f) => ruleName === undefined || f.ruleName === ruleName);
}

/** The same findings, read from the synthesized cloud assembly. */
export function findingsFromAssembly(app: App, ruleName?: string): Finding[] {
  const asm = app.synth({ force: true });
  try {
    return analyzeCloudAssembly(asm.directory).findings.filter(
      (f) => ruleName === undefined || f.ruleName === ruleName,
    );
  } finally {
    fs.rmSync(asm.directory, { recursive: true, force: true });
  }
}

/** The comparable part of a finding (template files differ between the two paths). */
export function summary(f: Finding) {
  return {
    rule: f.rule,
    level: f.level,
    messageId: f.messageId,
    path: f.resource.path,
    findingId: f.findingId,
    message: f.message,
  };
}

/** A statement on `execute-api:Invoke` over the whole API (`execute-api:/*`) for everyone, unless told otherwise. */
export function invokeStatement(props: Partial<iam.PolicyStatementProps> = {}): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    ...props,
  });
}

/** A resource policy of such statements. */
export function invokePolicy(...statements: Array<Partial<iam.PolicyStatementProps>>): iam.PolicyDocument {
  return new iam.PolicyDocument({ statements: statements.map(invokeStatement) });
}
