// `npm run docs`: the API reference (typedoc), whose landing page is the README's introduction and Concepts.
//
// The landing page is cut from README.md at each run rather than kept as a second copy of that
// text: the README's opening paragraphs, then its Concepts section, then a pointer to the rest.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, type ProjectReflection } from 'typedoc';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The README section that starts with `heading` (a `## ` line), up to the next `## ` heading. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  return readme.slice(start + 1, end < 0 ? undefined : end).trim();
}

/** The landing page: the README up to its first code block, its Concepts section, the entry points. */
function landingPage(readme: string): string {
  const intro = readme.slice(0, readme.indexOf('\n```')).trim();
  return [
    intro,
    section(readme, '## Concepts'),
    '## Entry points',
    '- `kubecache`: the Cache, the Client, kind handles, informers, selectors, errors.',
    '- `kubecache/controller`: the work queue, rate limiters, leader election, Controller and Manager.',
    '- `kubecache/testing`: the fake APIServer and fake informers.',
    '',
    'Installation, a quick start, the options and the reliability guarantees are in the README.',
    '',
  ].join('\n\n');
}

/**
 * The exported symbols that are in no category of typedoc.json's `categoryOrder` (a missing
 * `@category` tag lands in typedoc's default category; a misspelt one in a category of its own).
 */
function uncategorized(project: ProjectReflection, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const entry of project.children ?? []) {
    const categoryOf = new Map<unknown, string>();
    for (const category of entry.categories ?? []) for (const child of category.children) categoryOf.set(child, category.title);
    for (const child of entry.children ?? []) {
      const category = categoryOf.get(child);
      if (category === undefined || !allowed.has(category)) problems.push(`${entry.name}: ${child.name} (${category ?? 'no category'})`);
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubecache-docs-'));
  try {
    const landing = join(dir, 'landing.md');
    writeFileSync(landing, landingPage(readFileSync(join(ROOT, 'README.md'), 'utf8')));
    // typedoc.json holds the rest of the configuration.
    const app = await Application.bootstrapWithPlugins({ readme: landing });
    const project = await app.convert();
    if (project === undefined) throw new Error('typedoc could not convert the project');
    app.validate(project);
    // typedoc.json sets treatWarningsAsErrors: a link to an unexported symbol fails the build.
    if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error('typedoc reported errors or warnings');
    const allowed = new Set(app.options.getValue('categoryOrder'));
    const missing = uncategorized(project, allowed);
    if (missing.length > 0) {
      throw new Error(`every exported symbol needs a @category tag naming one of ${[...allowed].join(', ')}:\n  ${missing.join('\n  ')}`);
    }
    await app.generateOutputs(project);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
