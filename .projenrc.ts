import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-api-reachability',
  description:
    'Finds, at cdk synth time, the infrastructure mistakes that make Amazon API Gateway answer 403 Forbidden (private DNS of execute-api VPC endpoints shadowing public APIs, and more), and L3 constructs that build the fixes.',
  keywords: ['cdk', 'aws-cdk', 'api-gateway', 'vpc-endpoint', 'private-dns', 'cdk-nag', '403', 'validation'],
  author: 'cdk-api-reachability maintainers',
  authorAddress: 'maintainers@cdk-api-reachability.dev',
  repositoryUrl: 'https://github.com/cdk-api-reachability/cdk-api-reachability',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // What the tests and CI run on; aws-cdk-lib 2.276 itself needs Node 20 or later.
  minNodeVersion: '20.0.0',
  projenrcTs: true,

  // IPolicyValidationContext.appConstruct / stackTemplates and Validations.of() exist from 2.276.0;
  // cdk-nag v3 itself needs >= 2.257.0 (its MIGRATION.md).
  cdkVersion: '2.276.0',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  // @microsoft/jest-sarif ships the published SARIF 2.1.0 schema (validated with ajv); @xmldom/xmldom
  // parses the JUnit report in the tests.
  devDeps: [
    'cdk-nag@^3.0.2',
    'fast-check@^4.10.2',
    '@types/js-yaml@^4',
    '@microsoft/jest-sarif@1.0.0-beta.0',
    'ajv@^6.12.6',
    '@xmldom/xmldom@^0.8.10',
  ],
  // The template reader (cdk.out and hand-written CloudFormation/SAM) needs a YAML parser that
  // understands short-form intrinsic tags; bundled because jsii only allows bundled non-jsii deps.
  // `yaml` is strict YAML 1.2 with source positions; `js-yaml` (a PyYAML port) is the lenient
  // fallback for templates CloudFormation accepts that strict YAML 1.2 rejects (flow-collection
  // indentation, multi-line quoted scalars).
  bundledDeps: ['yaml@^2.8.1', 'js-yaml@^4.1.0'],

  // Python bindings (`pip install cdk-api-reachability`, `import cdk_api_reachability`): built by every build
  // (the package:python task below) and published by the release workflow.
  publishToPypi: { distName: 'cdk-api-reachability', module: 'cdk_api_reachability' },

  // This project's CI is `.ci/run` (see README), not a hosted build workflow. The release workflow projen
  // writes (.github/workflows/release.yml) is ready for npm and PyPI: it bumps the version from the
  // conventional commits on main and publishes with the NPM_TOKEN / TWINE_* secrets once the repository
  // has them. No other hosted workflow.
  github: true,
  buildWorkflow: false,
  githubOptions: { pullRequestLint: false, mergify: false },
  stale: false,
  release: true,
  releaseToNpm: true,
  depsUpgrade: false,
  pullRequestTemplate: false,

  eslintOptions: { dirs: ['src', 'test'], prettier: true },
  prettier: true,
  prettierOptions: { settings: { printWidth: 120, singleQuote: true, trailingComma: javascript.TrailingComma.ALL } },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // Istanbul instrumentation at transform time (cached by jest): the suite with coverage takes ~8 min
      // on 2 cores; v8's coverage took ~22 min there, most of it merging each suite's coverage in one process.
      coverageProvider: 'babel',
      coverageThreshold: { statements: 90, branches: 80, functions: 90, lines: 90 },
    },
  },
  gitignore: ['cdk.out', '*.cdk.out', '/examples/**/cdk.out', '/bench/.build/', '/bench/results.json'],
  npmignoreEnabled: true,
  // The GitHub Action and the pre-commit hooks are used from the repository, not from the package.
  npmIgnoreOptions: {
    ignorePatterns: ['/examples/', '/bench/', '.ci/', '/action.yml', '/.github-action/', '/.pre-commit-hooks.yaml'],
  },
});

// The command line (docs/cli.md): loads the template-only engine, never aws-cdk-lib or cdk-nag.
project.addBins({ 'api-reachability': 'lib/cli/main.js' });

project.addTask('demo', {
  description: 'Synthesize the bundled example app (broken and fixed) with the checks and print the findings',
  // Transpile only: the example's types are checked by the tests (test/examples.test.ts) and by the
  // build; type-checking aws-cdk-lib here kept a newcomer waiting most of two minutes.
  exec: 'ts-node --transpile-only examples/demo.ts',
});

project.addTask('budget', {
  description: 'Check the engine against its time budget: a 1 MB template and a 10,000-resource app each within 1 s',
  exec: 'ts-node --transpile-only bench/budget.ts',
});

project.addTask('bench', {
  description:
    'What the checks add to cdk synth on generated apps of 250 to 8,000 resources, against cdk-nag (docs/performance.md)',
  // Compiled without type checks (bench/tsconfig.json): ts-node's source-map support would slow every
  // stack trace CDK captures, in the bare synth as in the checked ones, and blur the comparison.
  exec: 'tsc -p bench/tsconfig.json --noCheck && node bench/.build/bench/bench.js',
});

// The long fuzz run (test/fuzz/run.ts); FUZZ_TEMPLATES, FUZZ_APPS, FUZZ_SEED... size it (docs/testing.md).
project.addTask('fuzz', {
  description: 'Run the engine over many random templates and apps and print the figures (docs/testing.md)',
  exec: 'ts-node --transpile-only test/fuzz/run.ts',
});

// The rule pages show real, tested example apps, and docs/rules/README.md is the catalog: both are
// generated from the code (see projenrc/docgen-rules.ts); test/docs.test.ts fails when they are stale.
const docgenRules = project.addTask('docgen:rules', {
  description: 'Copy the rule examples into docs/rules/<Rule>.md and regenerate the rule catalog',
  exec: 'ts-node --transpile-only projenrc/docgen-rules.ts',
});
project.postCompileTask.spawn(docgenRules);

// The README's sample `cdk synth` output of each door, from a real run of the bundled example;
// test/readme-output.test.ts fails when it drifts.
const docgenSynthOutput = project.addTask('docgen:synth-output', {
  description: "Regenerate the README's sample cdk synth output from a run of examples/payments/broken.ts",
  exec: 'ts-node --transpile-only projenrc/docgen-synth-output.ts',
});
project.postCompileTask.spawn(docgenSynthOutput);

// ts-jest runs the tests with isolated modules and does not report type errors: check the tests,
// their fixtures and the rule examples (shown in the docs) before they run.
const typecheckTests = project.addTask('typecheck:test', {
  description: 'Type-check the tests, fixtures and rule examples',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.prependSpawn(typecheckTests);

// The Python bindings (publishToPypi above), built by every build, in CI as on a laptop. projen's own
// package:python runs jsii-pacmak's full Python build, which pins a setuptools (75) that this project's CI
// machines cannot install; instead: generate the sources only, byte-compile them, build the wheel with
// pip in a throwaway venv whose setuptools pip upgrades from whatever index it has, and check the wheel
// (projenrc/check-python-wheel.py: the module, the jsii assembly, a class per exported type, byte-compiled).
// The wheel lands in dist/python, where the release workflow's publib-pypi takes it from.
const PY_BUILD = 'dist/.python-build';
const packagePython = project.tasks.tryFind('package:python')!;
packagePython.reset(
  "node -e \"require('child_process').spawnSync('python3', ['--version']).error && " +
    "(console.error('package:python: python3 not found: the build makes the Python wheel (dist/python) and needs " +
    "Python 3.10 or later with pip and venv; install it, or run npx projen package:js for the npm package alone.'), " +
    'process.exit(1))"',
);
packagePython.exec(`rm -rf dist/python ${PY_BUILD}`);
packagePython.exec(`jsii-pacmak -v --target python --code-only --outdir ${PY_BUILD}`);
packagePython.exec(`python3 -m compileall -q ${PY_BUILD}/python/src`);
packagePython.exec(
  `python3 -m venv ${PY_BUILD}/venv && ${PY_BUILD}/venv/bin/pip install --quiet --retries 0 --upgrade setuptools`,
);
packagePython.exec(
  `${PY_BUILD}/venv/bin/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist/python ${PY_BUILD}/python`,
);
packagePython.exec('python3 projenrc/check-python-wheel.py dist/python .jsii');
packagePython.exec(`rm -rf ${PY_BUILD}`);

// projen builds only the npm package when CI is set (its release workflow packages each language in a job
// of its own); this project's CI is .ci/run, which must build and check the Python wheel too.
const packageAll = project.tasks.tryFind('package-all')!;
project.packageTask.reset();
project.packageTask.spawn(packageAll);

project.synth();
