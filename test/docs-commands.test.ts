// The commands the docs show: each names something that exists, and runs on the pinned Node, not the system one.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };

/** Every Markdown file of the repository outside node_modules, dist and the generated API reference. */
function markdownFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', '.git', 'api'].includes(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

interface Command {
  readonly where: string;
  readonly text: string;
  /** Whether an earlier line of the same code block put node_modules/.bin first on PATH. */
  readonly pinnedPath: boolean;
}

/** Shell commands in code blocks and `npm …`/`npx …`/`node …` code spans, with where they are. */
function commandsIn(file: string): Command[] {
  const commands: Command[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let inBlock = false;
  let shellBlock = false;
  let pinnedPath = false;
  lines.forEach((line, i) => {
    const where = `${relative(ROOT, file)}:${i + 1}`;
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence !== null) {
      shellBlock = !inBlock && ['', 'sh', 'bash', 'shell'].includes(fence[1] ?? '');
      inBlock = !inBlock;
      pinnedPath = false;
      return;
    }
    if (inBlock) {
      if (!shellBlock) return;
      const text = line.replace(/\s+#.*$/, '').trim();
      if (/^export PATH=.*node_modules\/\.bin/.test(text)) pinnedPath = true;
      if (/^(?:npm|npx|node)\s/.test(text)) commands.push({ where, text, pinnedPath });
      return;
    }
    for (const span of line.matchAll(/`((?:npm|npx|node) [^`]+)`/g)) commands.push({ where, text: span[1] ?? '', pinnedPath: false });
  });
  return commands;
}

const commands = markdownFiles().flatMap(commandsIn);

void describe('the commands the docs show', () => {
  void it('finds the README commands at all (the scan works)', () => {
    const readme = commands.filter((c) => c.where.startsWith('README.md:')).map((c) => c.text);
    for (const expected of ['npm start', 'npm test', 'npm install kubecache @kubernetes/client-node']) assert.ok(readme.includes(expected), expected);
  });

  void it('name npm scripts that exist', () => {
    const missing: string[] = [];
    for (const { where, text } of commands) {
      const words = text.split(/\s+/);
      if (words[0] !== 'npm') continue;
      const [verb, ...rest] = words.slice(1);
      let script: string | undefined;
      if (verb === 'start' || verb === 'test') script = verb;
      else if (verb === 'run') script = rest.find((w) => !w.startsWith('-'));
      if (script === undefined || script.includes('<')) continue;
      if (!(script in pkg.scripts)) missing.push(`${where}: npm run ${script}`);
    }
    assert.deepEqual(missing, []);
  });

  void it('run Node through npm or with the pinned Node on PATH, never the bare system Node', () => {
    // The system Node may be older than the project needs (the pinned one is node_modules/.bin/node).
    const bare = commands.filter((c) => c.text.startsWith('node ') && !c.pinnedPath).map((c) => `${c.where}: ${c.text}`);
    assert.deepEqual(bare, []);
  });

  void it('npx only bins the package ships or the project installs', () => {
    const unknown = commands
      .filter((c) => c.text.startsWith('npx '))
      .map((c) => ({ c, bin: c.text.split(/\s+/).find((w, i) => i > 0 && !w.startsWith('-')) ?? '' }))
      .filter(({ bin }) => !(bin in pkg.bin) && !existsSync(join(ROOT, 'node_modules/.bin', bin)))
      .map(({ c }) => `${c.where}: ${c.text}`);
    assert.deepEqual(unknown, []);
  });

  void it('gives every runnable example an npm script', () => {
    const runnable = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .filter((d) => readdirSync(join(ROOT, 'examples', d.name)).some((f) => f === 'main.ts' || f.endsWith('.test.ts')));
    const scripted = Object.values(pkg.scripts).join('\n');
    const without = runnable.map((d) => d.name).filter((name) => !scripted.includes(`examples/${name}/`));
    assert.deepEqual(without, []);
  });
});
