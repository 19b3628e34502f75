// CI's check of the package as a user gets it: pack it, install the tarball into a scratch ESM project,
// type-check and run a quick start, import and require every entry point, run the bin, and see what
// an older Node.js says. Entry points come from package.json `exports` and `bin`, so new ones are
// checked without editing this file. Runs on the project's pinned Node (`npm run check-package`).

import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOlderNode } from './older-node.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * What the tarball's declarations may weigh in total without their TSDoc: readable types, not
 * expanded models (issue 15). The TSDoc is what hovers show and grows with the documented API (the
 * Client and kubecache/controller doubled it), so it is reported but not budgeted; the type text
 * is what an expanded model blows up.
 */
const DECLARATION_BUDGET_BYTES = 200_000;
/**
 * What one declaration file may weigh. An inferred type printed in full is what blows a file up
 * (kinds.d.ts was 347 KB of expanded client-node models); the largest hand-written one is ~9 KB.
 */
const DECLARATION_FILE_BUDGET_BYTES = 20_000;

interface PackageJson {
  readonly name: string;
  readonly exports: Record<string, { readonly types: string; readonly default: string }>;
  readonly bin: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly repository?: { readonly url?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
}

interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
/** `kubecache`, `kubecache/testing`, …: what a user imports, one per `exports` entry. */
const specifiers = Object.keys(pkg.exports).map((subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`));
const facts: string[] = [];

/** Runs a command to completion; throws with its output unless it exits 0. */
function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${String(result.stdout)}\n${String(result.stderr)}`);
  }
  return String(result.stdout);
}

/** A PATH on which `node` is `nodeDir`'s, for bins whose shebang is `#!/usr/bin/env node`. */
function pathWith(nodeDir: string): string {
  return [nodeDir, process.env['PATH'] ?? ''].join(delimiter);
}

async function step<T>(name: string, body: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`check-package: ${name} ... `);
  try {
    const result = await body();
    process.stdout.write(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return result;
  } catch (err) {
    process.stdout.write('FAILED\n');
    throw err;
  }
}

function pack(dir: string): PackResult {
  // Not --ignore-scripts: `prepack` must build dist/ on a fresh clone.
  const out = run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  // The prepack build prints a line first; npm's JSON follows.
  const [result] = JSON.parse(out.slice(out.indexOf('\n[') + 1)) as PackResult[];
  return result ?? assert.fail('npm pack printed no result');
}

function checkContents(tarball: PackResult): void {
  const paths = new Set(tarball.files.map((f) => f.path));
  for (const required of ['LICENSE', 'README.md', 'package.json']) assert.ok(paths.has(required), `the tarball lacks ${required}`);
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const file of [target.types, target.default]) assert.ok(paths.has(file.replace(/^\.\//, '')), `exports["${subpath}"]: ${file} is not in the tarball`);
  }
  for (const [name, file] of Object.entries(pkg.bin)) assert.ok(paths.has(file.replace(/^\.\//, '')), `bin ${name}: ${file} is not in the tarball`);
  const strays = [...paths].filter((p) => !/^(?:LICENSE|README\.md|package\.json|dist\/.*\.(?:js|js\.map|d\.ts))$/.test(p));
  assert.deepEqual(strays, [], 'files outside dist/ or of unexpected kinds');
  const declarations = tarball.files.filter((f) => f.path.endsWith('.d.ts'));
  const heavy = declarations.filter((f) => f.size > DECLARATION_FILE_BUDGET_BYTES).map((f) => `${f.path} (${f.size} bytes)`);
  assert.deepEqual(heavy, [], `declaration files over ${DECLARATION_FILE_BUDGET_BYTES} bytes: give the types they print in full a name`);
  const declarationBytes = declarations.reduce((sum, f) => sum + f.size, 0);
  const typeBytes = declarations.reduce((sum, f) => sum + Buffer.byteLength(withoutComments(readFileSync(join(ROOT, f.path), 'utf8'))), 0);
  assert.ok(
    typeBytes < DECLARATION_BUDGET_BYTES,
    `declarations hold ${typeBytes} bytes of types (TSDoc aside), over the ${DECLARATION_BUDGET_BYTES} budget: name the types that print expanded`,
  );
  facts.push(
    `tarball ${tarball.filename}: ${tarball.size} bytes, ${tarball.entryCount} files, ${tarball.unpackedSize} bytes unpacked`,
    `declarations: ${declarations.length} files, ${declarationBytes} bytes with TSDoc, ${typeBytes} bytes of types (budget ${DECLARATION_BUDGET_BYTES}), ` +
      `largest ${Math.max(...declarations.map((f) => f.size))} bytes (budget ${DECLARATION_FILE_BUDGET_BYTES})`,
  );
}

/**
 * The registry page resolves the README's relative links against `repository`, and users find
 * issues through `bugs`; a stack trace or debugger maps into sources only if each map carries them
 * (`src/` is not shipped).
 */
function checkMetadataAndSourceMaps(tarball: PackResult): void {
  assert.ok(pkg.repository?.url?.startsWith('git+https://') === true, 'package.json: repository.url is missing');
  assert.ok(pkg.homepage !== undefined && pkg.homepage !== '', 'package.json: homepage is missing');
  assert.ok(pkg.bugs?.url !== undefined && pkg.bugs.url !== '', 'package.json: bugs.url is missing');
  const maps = tarball.files.filter((f) => f.path.endsWith('.js.map'));
  for (const { path } of maps) {
    const map = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { sources: readonly string[]; sourcesContent?: readonly (string | null)[] };
    const inlined = map.sourcesContent?.filter((content) => typeof content === 'string').length ?? 0;
    assert.equal(inlined, map.sources.length, `${path}: ${map.sources.length - inlined} of its sources are not inlined (sourcesContent)`);
  }
  facts.push(`package.json names repository, homepage and bugs; ${maps.length} source maps, every source inlined`);
}

/** Declaration text without its block and line comments (declarations hold no string literal with a comment marker that matters here). */
function withoutComments(declaration: string): string {
  return declaration.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** A scratch ESM project depending on the tarball, with the TypeScript and Node types this repository uses. */
function createProject(dir: string, tarball: string): void {
  const installed = (name: string): string =>
    (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'kubecache-consumer',
      private: true,
      type: 'module',
      dependencies: { [pkg.name]: `file:${tarball}` },
      // @types/ws: client-node's declarations import 'ws', which ships none; a consumer that checks
      // library declarations (skipLibCheck off, as here) needs it.
      devDependencies: { typescript: installed('typescript'), '@types/node': installed('@types/node'), '@types/ws': '^8' },
    }),
  );
  // The cache `npm ci` filled answers most of it; the registry the rest.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(ROOT, 'scripts/consumer/quickstart.ts'), join(dir, 'src/quickstart.ts'));
  // skipLibCheck off: kubecache's declarations themselves are checked, as a strict consumer would.
  const common = { strict: true, target: 'ES2023', lib: ['ES2023'], types: ['node'], skipLibCheck: false, rootDir: 'src' };
  const tsconfig = (options: Record<string, unknown>): string => JSON.stringify({ compilerOptions: { ...common, ...options }, include: ['src'] });
  writeFileSync(join(dir, 'tsconfig.node16.json'), tsconfig({ module: 'node16', moduleResolution: 'node16', outDir: 'out' }));
  writeFileSync(join(dir, 'tsconfig.bundler.json'), tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }));
}

function typeCheck(dir: string): void {
  const tsc = join(dir, 'node_modules/typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: dir });
  run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], { cwd: dir });
  facts.push('quick start type-checks under moduleResolution node16 and bundler (strict, skipLibCheck off)');
}

function runQuickStart(dir: string): void {
  const out = run(process.execPath, ['out/quickstart.js'], { cwd: dir, timeout: 60_000 });
  assert.match(out, /^quickstart ok: 1 pod on node-1, phase Running, added web-0, missing is NotFound: true, created string$/m);
}

/** Every entry point through `import` and through `require` (Node ≥ 22.12 loads ES modules synchronously). */
function importAndRequire(dir: string): void {
  const probe = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    for (const specifier of ${JSON.stringify(specifiers)}) {
      const imported = await import(specifier);
      const required = require(specifier);
      const keys = Object.keys(imported).sort().join();
      if (keys === '') throw new Error(specifier + ' exports nothing');
      if (Object.keys(required).sort().join() !== keys) throw new Error(specifier + ': require() and import see different exports');
      if (required[Object.keys(imported)[0]] !== imported[Object.keys(imported)[0]]) throw new Error(specifier + ': require() loaded a second copy');
    }`;
  run(process.execPath, ['--input-type=module', '-e', probe], { cwd: dir });
  writeFileSync(join(dir, 'require.cjs'), `for (const s of ${JSON.stringify(specifiers)}) console.log(s, Object.keys(require(s)).length);\n`);
  const out = run(process.execPath, ['require.cjs'], { cwd: dir });
  for (const specifier of specifiers) assert.match(out, new RegExp(`^${specifier} [1-9]\\d*$`, 'm'), 'a CommonJS file requires it');
  facts.push(`import and require: ${specifiers.join(', ')}`);
}

/** Each bin: `npx <bin> --help`, then a server started as `<bin> --port 0 --kubeconfig FILE`, stopped by SIGTERM. */
async function runBins(dir: string): Promise<void> {
  const env = { ...process.env, PATH: pathWith(dirname(process.execPath)) };
  for (const name of Object.keys(pkg.bin)) {
    assert.match(run('npx', ['--no-install', name, '--help'], { cwd: dir, env }), /^usage: /m, `npx ${name} --help`);
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    // The bin itself (what npx runs), so that SIGTERM reaches it and not a wrapper.
    const child = spawn(join(dir, 'node_modules/.bin', name), ['--port', '0', '--kubeconfig', kubeconfig], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!stdout.includes('\n')) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`${name} printed no URL; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = stdout.trim();
      // The kubeconfig it wrote works with client-node (installed as kubecache's dependency).
      const list = `
        import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
        const kc = new KubeConfig();
        kc.loadFromFile(${JSON.stringify(kubeconfig)});
        const list = await kc.makeApiClient(CoreV1Api).listNamespace();
        console.log(list.items.map((ns) => ns.metadata?.name).join(','));`;
      assert.match(run(process.execPath, ['--input-type=module', '-e', list], { cwd: dir }), /\bdefault\b/, `client-node through ${name}'s kubeconfig`);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `${name} exits 0 on SIGTERM; stderr: ${stderr}`);
      facts.push(`bin ${name}: npx --help, served ${url}, client-node listed through its kubeconfig, exit 0 on SIGTERM`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
}

/** On a Node.js older than kubecache supports: the typed error from every entry point and the bin. */
function olderNode(dir: string): void {
  const old = findOlderNode();
  if (old === undefined) {
    facts.push('older Node: none on PATH, not checked');
    return;
  }
  const expected = `kubecache needs Node.js ≥ 22.19 (found ${old.version})`;
  for (const specifier of specifiers) {
    const imported = spawnSync(old.path, ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(imported.status, 0, `import ${specifier} on Node ${old.version}`);
    assert.ok(imported.stderr.includes(`NodeVersionError: ${expected}`), `import ${specifier} on Node ${old.version}: ${imported.stderr}`);
    const required = spawnSync(old.path, ['-e', `require(${JSON.stringify(specifier)})`], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(required.status, 0, `require ${specifier} on Node ${old.version}`);
    // Node 20.19+ can require() ES modules and then shows our error; older ones say ERR_REQUIRE_ESM.
    assert.ok(/NodeVersionError|ERR_REQUIRE_ESM/.test(required.stderr), `require ${specifier} on Node ${old.version}: ${required.stderr}`);
  }
  // What `npx <bin>` does where the system Node is the old one: the shebang finds it on PATH.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWith(dirname(old.path)) };
  for (const name of Object.keys(pkg.bin)) {
    const bin = spawnSync(join(dir, 'node_modules/.bin', name), ['--port', '0'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(bin.status, 1, `${name} on Node ${old.version}`);
    assert.equal(bin.stderr, `${name}: ${expected}\n`);
  }
  facts.push(`Node ${old.version} (${old.path}): NodeVersionError "${expected}" from every entry point and bin`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubecache-package-'));
  const project = join(dir, 'consumer');
  mkdirSync(project);
  try {
    const tarball = await step('npm pack (prepack builds dist/)', () => {
      const packed = pack(dir);
      checkContents(packed);
      checkMetadataAndSourceMaps(packed);
      return packed;
    });
    const file = join(dir, tarball.filename);
    await step('install the tarball into a scratch ESM project', () => createProject(project, file));
    await step('type-check the quick start (node16, bundler)', () => typeCheck(project));
    await step('run the quick start on the fake APIServer', () => runQuickStart(project));
    await step('import and require every entry point', () => importAndRequire(project));
    await step('run every bin', () => runBins(project));
    await step('an older Node.js gets NodeVersionError', () => olderNode(project));
    for (const fact of facts) process.stdout.write(`  ${fact}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
