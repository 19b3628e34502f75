// The package build: a clean dist/ from tsconfig.build.json, keeping only the declarations a user can reach.
//
// tsc emits a .d.ts beside every .js, internals included (the fake APIServer's handlers, the wire
// renderer, …). The package's `exports` let no one import those, so declarations no entry point's
// `types` file reaches through its imports are dead weight in the tarball; they are removed. The
// .js files all stay: the runtime needs them.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

interface PackageJson {
  readonly exports: Record<string, { readonly types?: string }>;
}

/** Every `types` file the package's `exports` name, as absolute paths. */
function entryDeclarations(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  return Object.entries(pkg.exports).map(([subpath, target]) => {
    if (target.types === undefined) throw new Error(`package.json exports["${subpath}"] has no "types"`);
    return resolve(root, target.types);
  });
}

/** The declaration files reachable from `entries` through relative imports and re-exports. */
function reachableDeclarations(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // `from './x.ts'` (imports and re-exports) and `import('./x.ts')` (inline type references).
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const specifier = match[1] ?? '';
      const target = resolve(dirname(file), specifier).replace(/\.(?:ts|js)$/, '.d.ts');
      if (!statSync(target, { throwIfNoEntry: false })?.isFile()) {
        throw new Error(`${relative(ROOT, file)} imports ${specifier}, but ${relative(ROOT, target)} was not emitted`);
      }
      pending.push(target);
    }
  }
  return seen;
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
}

function main(): void {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
  const keep = reachableDeclarations(entryDeclarations(ROOT));
  let kept = 0;
  let removed = 0;
  for (const file of declarationFiles(DIST)) {
    if (keep.has(file)) {
      kept += statSync(file).size;
    } else {
      rmSync(file);
      removed++;
    }
  }
  process.stdout.write(`build: dist/ with ${keep.size} declaration files (${kept} bytes); ${removed} unreachable ones removed\n`);
}

main();
