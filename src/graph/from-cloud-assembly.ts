import * as fs from 'fs';
import * as path from 'path';
import { boundedJson, isRecord, own } from './bounded';
import { LoadedTemplate, readTemplateFile, TemplateLoadError } from './template-loader';
import { RawStack, RawTemplate, RecordedAcknowledgement, SourceFrame } from './types';
import { ACKNOWLEDGED_RULES_METADATA_KEY } from '../acknowledgement-ids';

/**
 * Reads a cloud assembly (`cdk.out`): every stack of `manifest.json`, the nested assemblies of
 * Stages, and nested stack templates (found through the `aws:asset:path` metadata CDK writes on
 * each `AWS::CloudFormation::Stack`, or its assets manifests). Each call uses a reader of its own: nothing is kept between calls.
 */
export function stacksFromCloudAssembly(dir: string): RawStack[] {
  return new StackReader().readCloudAssembly(dir);
}

/** Whether a directory looks like a cloud assembly. */
export function isCloudAssembly(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'manifest.json'));
}

/**
 * Reads loose template files as the stacks of one app. Each file is a stack named after the file;
 * exports and imports between them are linked; the templates they nest by a local path
 * (`AWS::CloudFormation::Stack` `TemplateURL`, `AWS::Serverless::Application` `Location`) are their
 * nested stacks. Region and account are unknown. Each call uses a
 * reader of its own.
 */
export function stacksFromTemplateFiles(files: ReadonlyArray<string>): RawStack[] {
  return new StackReader().readTemplateFiles(files);
}

/**
 * Reads the stacks a validation plugin is handed (CDK's `IPolicyValidationContext.stackTemplates`):
 * the synthesized, resolved templates, with their nested stacks, as one app. Each stack's key is its
 * construct path; names, environments and construct paths come from the cloud assembly manifest
 * beside each template, when there is one. Each call uses a reader of its own.
 */
export function stacksFromSynthesizedTemplates(stacks: ReadonlyArray<SynthesizedStack>): RawStack[] {
  return new StackReader().readSynthesizedStacks(stacks);
}

/** A stack as CDK hands it to a validation plugin. */
export interface SynthesizedStack {
  /** The stack's construct path (`Svc`, `Beta/Svc`). */
  readonly stackConstructPath: string;
  /** The template file, in the cloud assembly. */
  readonly templatePath: string;
  readonly accountId?: string;
  readonly region?: string;
}

interface Manifest {
  readonly artifacts?: { [id: string]: Artifact };
}
interface Artifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string; displayName?: string };
  /** Metadata entries by construct path (`/Svc/Fn/Resource`): inline, or in `additionalMetadataFile`. */
  readonly metadata?: MetadataEntries;
  readonly additionalMetadataFile?: string;
}
type MetadataEntries = {
  [constructPath: string]: ReadonlyArray<{ type?: unknown; data?: unknown; trace?: unknown }>;
};

/**
 * Construct paths by logical id, and where the user's code created each resource when the manifest
 * has creation stack traces, for each stack of one stack artifact (its nested stacks included), by stack key.
 */
type ConstructPaths = Map<
  string,
  { paths: { [logicalId: string]: string }; sources?: { [logicalId: string]: SourceFrame } }
>;

interface AssetManifest {
  readonly files?: { [hash: string]: { source?: { path?: unknown } } };
}

/**
 * Reads the stacks of one app from files. A reader belongs to one analysis: it owns what it caches
 * (the assets manifests of each directory, read once however many nested stacks look them up), and
 * a new analysis makes a new reader, so no state survives between runs (files change between them).
 */
export class StackReader {
  /** Assets manifests (`*.assets.json`) of each directory read so far, by directory. */
  private readonly assetManifestsByDir = new Map<string, AssetManifest[]>();
  /**
   * Templates read so far, by real path: a nested template reached by several paths (a diamond)
   * is several stacks, but its file is read and parsed once.
   */
  private readonly templates = new Map<string, LoadedTemplate>();
  /** The real paths of the templates read as nested stacks so far. */
  private readonly nestedFiles = new Set<string>();
  /** Nested stacks added so far, across the whole app (see MAX_NESTED_STACKS). */
  private nestedCount = 0;
  /** Each path's real path (links followed), resolved once per reader. */
  private readonly realPaths = new Map<string, string>();
  /**
   * What could not be followed while reading, one line each, naming the file (absolute): a nested
   * template whose local file is missing, nesting deeper than the limit. The rest of the app is
   * read and checked; the command line prints these as warnings.
   */
  public readonly problems: string[] = [];

  /** The stacks of a cloud assembly directory (`cdk.out`). Throws TemplateLoadError on unreadable input. */
  public readCloudAssembly(dir: string): RawStack[] {
    const out: RawStack[] = [];
    this.readAssembly(dir, out, 0, []);
    return out;
  }

  /**
   * The stacks of loose template files, as one app. Throws TemplateLoadError on unreadable input.
   * Files in `optional` (found by walking a folder) that are JSON or YAML but no CloudFormation
   * template (a `package.json`, an index) are skipped and added to `skipped` instead.
   */
  public readTemplateFiles(
    files: ReadonlyArray<string>,
    optional: ReadonlySet<string> = new Set(),
    skipped: string[] = [],
  ): RawStack[] {
    const out: RawStack[] = [];
    const used = new Set<string>();
    const inputs: Array<{ file: string; loaded: LoadedTemplate }> = [];
    for (const file of files) {
      try {
        inputs.push({ file, loaded: this.read(file) });
      } catch (e) {
        if (optional.has(file) && e instanceof TemplateLoadError && e.notATemplate) {
          skipped.push(file);
          continue;
        }
        throw e;
      }
    }
    // A template that another input nests (a folder holds the parent and its nested templates) is
    // that nested stack, with the parameters its parent passes: read on its own as well, it would be
    // a second stack with unknown parameters, and its findings would be reported twice. It is read on
    // its own only when no input reaches it (the inputs nest each other in a cycle: refused below).
    const nestedByOther = new Set<string>();
    for (const { file, loaded } of inputs) {
      const real = this.realPath(file);
      for (const child of this.nestedFilesOf(loaded.template, path.dirname(file))) {
        if (this.realPath(child) !== real) nestedByOther.add(this.realPath(child));
      }
    }
    const isNested = (file: string) => nestedByOther.has(this.realPath(file));
    const ordered = [...inputs.filter((i) => !isNested(i.file)), ...inputs.filter((i) => isNested(i.file))];
    for (const { file, loaded } of ordered) {
      if (isNested(file) && this.nestedFiles.has(this.realPath(file))) continue;
      const { template, positions } = loaded;
      let key = path.basename(file).replace(/\.(template\.)?(json|ya?ml|template)$/i, '');
      for (let i = 2; used.has(key); i++) key = `${path.basename(file)}#${i}`;
      used.add(key);
      out.push({ key, name: key, template, templateFile: file, positions });
      this.addNestedStacks(out, key, template, path.dirname(file), [file]);
    }
    return out;
  }

  /** The template files a template nests directly (those that exist), its folder being `dir`. */
  private nestedFilesOf(template: RawTemplate, dir: string): string[] {
    const out: string[] = [];
    const resources = template.Resources ?? {};
    for (const logicalId of Object.keys(resources).sort()) {
      const r = resources[logicalId] as { Type?: unknown; Metadata?: Record<string, unknown> } | null;
      if (!r || !NESTING_TYPES.has(r.Type)) continue;
      const found = this.nestedTemplateFile(r, dir, dir);
      if (found && 'file' in found) out.push(found.file);
    }
    return out;
  }

  /**
   * The stacks a validation plugin is handed, with their nested stacks. A template without a
   * readable manifest beside it is still read, with what the plugin was told about it.
   */
  public readSynthesizedStacks(stacks: ReadonlyArray<SynthesizedStack>): RawStack[] {
    const out: RawStack[] = [];
    const manifests = new Map<string, Map<string, [string, Artifact]>>();
    for (const s of stacks) {
      const dir = path.dirname(s.templatePath);
      let byTemplate = manifests.get(dir);
      if (!byTemplate) {
        byTemplate = new Map();
        let artifacts: Manifest['artifacts'];
        try {
          artifacts = readManifest(dir).artifacts;
        } catch {
          // no manifest: the stack is read from what the plugin was told
        }
        for (const [id, a] of Object.entries(artifacts ?? {})) {
          if (a?.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
            byTemplate.set(a.properties.templateFile, [id, a]);
          }
        }
        manifests.set(dir, byTemplate);
      }
      const [id, artifact] = byTemplate.get(path.basename(s.templatePath)) ?? [s.stackConstructPath, {}];
      const env = parseEnvironment(artifact.environment);
      this.readStack(out, dir, s.templatePath, artifact, {
        key: s.stackConstructPath,
        name: artifact.properties?.stackName ?? id,
        region: s.region ?? env.region,
        account: s.accountId ?? env.account,
      });
    }
    return out;
  }

  /** A cloud assembly; `stages` are the construct paths of the Stages it is nested in (innermost last). */
  private readAssembly(dir: string, out: RawStack[], depth: number, stages: ReadonlyArray<string>): void {
    const artifacts = readManifest(dir).artifacts ?? {};
    for (const id of Object.keys(artifacts).sort()) {
      const a = artifacts[id];
      if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
        const env = parseEnvironment(a.environment);
        this.readStack(out, dir, path.join(dir, a.properties.templateFile), a, {
          key: a.displayName ?? id,
          name: a.properties.stackName ?? id,
          ...env,
          ...(stages.length > 0 ? { stages } : {}),
        });
      } else if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName && depth < 20) {
        // A Stage's assembly: its display name is the Stage's construct path (`Beta`, `Prod/Eu`).
        const stage = a.properties.displayName ?? a.displayName;
        const inner = typeof stage === 'string' && stage !== '' ? [...stages, stage] : stages;
        this.readAssembly(path.join(dir, a.properties.directoryName), out, depth + 1, inner);
      }
    }
  }

  /** One stack of a cloud assembly and its nested stacks. */
  private readStack(
    out: RawStack[],
    dir: string,
    file: string,
    artifact: Artifact,
    stack: { key: string; name: string; region?: string; account?: string; stages?: ReadonlyArray<string> },
  ): void {
    const { template, positions } = this.read(file);
    const { paths, acknowledgements } = artifactMetadata(dir, stack.key, artifact);
    const env = { region: stack.region, account: stack.account };
    const mine = paths.get(stack.key);
    out.push({
      ...stack,
      template,
      templateFile: file,
      positions,
      constructPaths: mine?.paths,
      ...(mine?.sources ? { sourceLocations: mine.sources } : {}),
      ...(acknowledgements.length > 0 ? { acknowledgements } : {}),
    });
    this.addNestedStacks(out, stack.key, template, dir, [file], env, paths);
  }

  /** A path with its links followed (or made absolute when it does not exist), resolved once. */
  private realPath(file: string): string {
    let real = this.realPaths.get(file);
    if (real === undefined) {
      real = resolveRealPath(file);
      this.realPaths.set(file, real);
    }
    return real;
  }

  /** A template file, read once however many stacks it is the template of. */
  private read(file: string): LoadedTemplate {
    const id = this.realPath(file);
    let loaded = this.templates.get(id);
    if (!loaded) {
      loaded = readTemplateFile(file);
      this.templates.set(id, loaded);
    }
    return loaded;
  }

  /**
   * Adds the nested stacks of a template, and theirs. `chain` holds the template files from the top
   * stack down to this one: a template that nests one of them again would nest stacks forever
   * (CloudFormation could never deploy it, and CDK cannot write it: a template's asset hash covers
   * its own content), so that is unusable input, refused with the cycle named. Refusing beats
   * skipping: a skipped part would silently hide whatever the checks would have found there.
   */
  private addNestedStacks(
    out: RawStack[],
    parentKey: string,
    template: RawTemplate,
    dir: string,
    chain: ReadonlyArray<string>,
    env: { region?: string; account?: string } = {},
    paths: ConstructPaths = new Map(),
  ): void {
    const resources = template.Resources ?? {};
    const holder = chain[chain.length - 1];
    for (const logicalId of Object.keys(resources).sort()) {
      const r = resources[logicalId] as { Type?: unknown; Metadata?: Record<string, unknown> } | null;
      if (!r || !NESTING_TYPES.has(r.Type)) continue;
      const found = this.nestedTemplateFile(r, dir, path.dirname(holder));
      if (!found) continue;
      if ('missing' in found) {
        this.problems.push(
          `${holder}: ${logicalId} nests ${found.missing}, which ${found.reason}: the resources of that template are not checked`,
        );
        continue;
      }
      if (chain.length > MAX_NESTING) {
        this.problems.push(
          `${holder}: ${logicalId} nests a template more than ${MAX_NESTING} levels below the top stack: it is not read`,
        );
        continue;
      }
      const file = found.file;
      const real = this.realPath(file);
      const seen = chain.findIndex((f) => this.realPath(f) === real);
      if (seen >= 0) {
        const names = [...chain.slice(seen), file].map((f) => path.relative(dir, f) || f);
        throw new TemplateLoadError(
          chain[chain.length - 1],
          `nests itself: its nested stacks form a cycle (${names.join(' → ')})`,
        );
      }
      if (++this.nestedCount > MAX_NESTED_STACKS) {
        throw new TemplateLoadError(
          chain[0],
          `is not usable: it has more than ${MAX_NESTED_STACKS} nested stacks (templates nested by several parents, over many levels)`,
        );
      }
      const { template: nested, positions } = this.read(file);
      this.nestedFiles.add(real);
      const cdkPath = r.Metadata?.['aws:cdk:path'] ?? paths.get(parentKey)?.paths[logicalId];
      const key =
        typeof cdkPath === 'string' && cdkPath.includes('.NestedStack/')
          ? cdkPath.replace(/\.NestedStack\/.*$/, '')
          : `${parentKey}/${logicalId}`;
      out.push({
        key,
        region: env.region,
        account: env.account,
        parent: { key: parentKey, logicalId },
        template: nested,
        templateFile: file,
        positions,
        constructPaths: paths.get(key)?.paths,
        ...(paths.get(key)?.sources ? { sourceLocations: paths.get(key)!.sources } : {}),
      });
      this.addNestedStacks(out, key, nested, dir, [...chain, file], env, paths);
    }
  }

  /**
   * The file of a nested stack's template: from the `aws:asset:path` metadata (written when asset
   * metadata is on, as the CDK CLI does), else from the asset hash in `TemplateURL`, looked up in the
   * assets manifests (`*.assets.json`) of the assembly (`dir`), else from a local path in
   * `TemplateURL` (an `AWS::CloudFormation::Stack`) or `Location` (an `AWS::Serverless::Application`),
   * as `aws cloudformation package` and the SAM CLI take them before packaging: relative to the folder
   * of the template that holds the resource (`templateDir`), or absolute. A URL (`s3://`,
   * `https://`), an intrinsic or a Serverless Application Repository application is not followed
   * (undefined); a local path with no file there is `missing`.
   */
  private nestedTemplateFile(
    r: { Type?: unknown; Metadata?: Record<string, unknown>; Properties?: unknown },
    dir: string,
    templateDir: string,
  ): { file: string } | { missing: string; reason: string } | undefined {
    const asset = r.Metadata?.['aws:asset:path'];
    if (typeof asset === 'string' && /\.(json|ya?ml)$/i.test(asset) && fs.existsSync(path.join(dir, asset))) {
      return { file: path.join(dir, asset) };
    }
    const props =
      typeof r.Properties === 'object' && r.Properties !== null ? (r.Properties as { [key: string]: unknown }) : {};
    const location = own(props, r.Type === 'AWS::Serverless::Application' ? 'Location' : 'TemplateURL');
    const url = boundedJson(location ?? '') ?? '';
    const hash = /([a-f0-9]{64})\.json/.exec(url)?.[1];
    if (hash) {
      for (const manifest of this.assetManifests(dir)) {
        const source = manifest.files?.[hash]?.source?.path;
        if (typeof source === 'string' && fs.existsSync(path.join(dir, source))) {
          return { file: path.join(dir, source) };
        }
      }
    }
    if (typeof location !== 'string' || !isLocalPath(location)) return undefined;
    const file = path.resolve(templateDir, location);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        missing: location,
        reason: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`,
      };
    }
    return stat.isFile() ? { file } : { missing: location, reason: 'is not a file' };
  }

  private assetManifests(dir: string): AssetManifest[] {
    let found = this.assetManifestsByDir.get(dir);
    if (!found) {
      found = [];
      for (const f of fs
        .readdirSync(dir)
        .filter((n) => n.endsWith('.assets.json'))
        .sort()) {
        try {
          found.push(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8')) as AssetManifest);
        } catch {
          // an unreadable assets manifest only hides nested templates
        }
      }
      this.assetManifestsByDir.set(dir, found);
    }
    return found;
  }
}

/** The resource types that nest a template: CloudFormation's nested stack, and SAM's application. */
const NESTING_TYPES: ReadonlySet<unknown> = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);

/**
 * Whether a nested template's location is a path on this machine: not a URL (`s3://`, `https://`, any
 * `scheme:`, a Windows drive letter aside), not empty, and short enough to be a path.
 */
function isLocalPath(location: string): boolean {
  if (location.trim() === '' || location.length > 4096 || location.includes('\u0000')) return false;
  // A dynamic reference ({{resolve:ssm:...}}) is a value CloudFormation looks up at deploy time, not a path.
  if (location.includes('{{resolve:')) return false;
  return !/^[a-z][a-z0-9+.-]*:/i.test(location) || /^[a-z]:[\\/]/i.test(location);
}

/** Nested stacks deeper than this are not read (as before: 20 levels below the top stack). */
const MAX_NESTING = 21;

/**
 * More nested stacks than this in one app is not an app (CloudFormation's default quota is 2,000
 * stacks per account and region): a few templates that each nest the next one twice would otherwise
 * make millions of stacks.
 */
const MAX_NESTED_STACKS = 2_000;

/**
 * What the manifest says of a stack artifact's constructs (inline, or in `additionalMetadataFile`).
 *
 * The construct paths of the resources of the stack and its nested stacks, from the
 * `aws:cdk:logicalId` entries CDK writes whether or not path metadata is on in the templates. The
 * entries of nested stacks are the parent artifact's; each entry belongs to the deepest stack whose
 * construct path holds it (a nested stack `Svc/Inner` is known by its resource
 * `Svc/Inner.NestedStack/Inner.NestedStackResource`). Empty when there is no such metadata: paths are
 * then what the templates say.
 *
 * The acknowledgements CDK recorded on constructs of the stack (`Validations.of(x).acknowledge()`,
 * `aws:cdk:acknowledged-rules` entries), in the file's order (their reader orders them).
 */
function artifactMetadata(
  dir: string,
  stackKey: string,
  artifact: Artifact,
): { paths: ConstructPaths; acknowledgements: RecordedAcknowledgement[] } {
  const entries: Array<[string, string, SourceFrame | undefined]> = [];
  const acknowledgements: RecordedAcknowledgement[] = [];
  const collect = (metadata: unknown) => {
    if (!isRecord(metadata)) return;
    for (const [p, list] of Object.entries(metadata as MetadataEntries)) {
      if (!Array.isArray(list) || !p.startsWith('/')) continue;
      // Where CDK recorded the construct's creation: an `aws:cdk:creationStack` entry beside the
      // logical id (recent versions), or a `trace` on the entry itself (older ones, in debug mode).
      const creation = list.find((e) => e?.type === 'aws:cdk:creationStack')?.data;
      for (const e of list) {
        if (e?.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
          entries.push([p.slice(1), e.data, userFrame(creation) ?? userFrame(e.trace)]);
        } else if (e?.type === ACKNOWLEDGED_RULES_METADATA_KEY && isRecord(e.data)) {
          for (const [id, reason] of Object.entries(e.data)) {
            acknowledgements.push({ at: p.slice(1), id, reason: typeof reason === 'string' ? reason : '' });
          }
        }
      }
    }
  };
  collect(artifact.metadata);
  if (typeof artifact.additionalMetadataFile === 'string') {
    try {
      collect(JSON.parse(fs.readFileSync(path.join(dir, artifact.additionalMetadataFile), 'utf-8')));
    } catch {
      // unreadable metadata only leaves construct paths unknown
    }
  }
  const keys = [stackKey];
  for (const [p] of entries) {
    const nested = /^(.+)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(p)?.[1];
    if (nested && nested.startsWith(`${stackKey}/`)) keys.push(nested);
  }
  keys.sort((a, b) => b.length - a.length);
  const byStack: ConstructPaths = new Map();
  for (const [p, logicalId, frame] of entries) {
    const owner = keys.find((k) => p.startsWith(`${k}/`));
    if (!owner) continue;
    let stack = byStack.get(owner);
    if (!stack) byStack.set(owner, (stack = { paths: Object.create(null) as { [logicalId: string]: string } }));
    // Of two paths with one logical id (CDK never writes that), the first in path order wins, whatever the file's order.
    const seen = stack.paths[logicalId];
    if (seen === undefined || p < seen) {
      stack.paths[logicalId] = p;
      if (frame) (stack.sources ??= Object.create(null) as { [logicalId: string]: SourceFrame })[logicalId] = frame;
      else if (stack.sources) delete stack.sources[logicalId];
    }
  }
  return { paths: byStack, acknowledgements };
}

/**
 * The first frame of a creation stack trace that is the user's code: not in `node_modules`, not
 * Node's own (`node:…`, `internal/…`). Frames read `new Svc (/app/lib/svc.ts:12:5)`, with or
 * without a leading `at`, or a bare `/app/lib/svc.ts:12:5`.
 */
export function userFrame(trace: unknown): SourceFrame | undefined {
  if (!Array.isArray(trace)) return undefined;
  for (const raw of trace) {
    if (typeof raw !== 'string') continue;
    const text = raw.trim();
    const place = /\(([^()]*)\)$/.exec(text)?.[1] ?? text.replace(/^at\s+/, '');
    const m = /^(.*):(\d+):(\d+)$/.exec(place);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? decodeURI(m[1].slice('file://'.length)) : m[1];
    if (/[\\/]node_modules[\\/]/.test(file) || /^(node:|internal[\\/])/.test(file) || !/[\\/]/.test(file)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** The cloud assembly manifest of a directory. Throws TemplateLoadError when it cannot be read. */
function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8')) as Manifest;
  } catch (e) {
    throw new TemplateLoadError(
      file,
      `is not a readable cloud assembly manifest (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

function resolveRealPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function parseEnvironment(env: string | undefined): { region?: string; account?: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env ?? '');
  if (!m) return {};
  return {
    account: m[1] === 'unknown-account' ? undefined : m[1],
    region: m[2] === 'unknown-region' ? undefined : m[2],
  };
}
