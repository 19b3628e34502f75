// `npm run docs`: the API reference (typedoc), whose landing page is the README's introduction and Concepts.
//
// The landing page is cut from README.md at each run rather than kept as a second copy of that
// text: the README's opening paragraphs, then its Concepts section, then a pointer to the rest.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';

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
    '- `kubecache/testing`: the fake APIServer and fake informers.',
    '',
    'Installation, a quick start, the options and the reliability guarantees are in the README.',
    '',
  ].join('\n\n');
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
    if (app.logger.hasErrors()) throw new Error('typedoc reported errors');
    await app.generateOutputs(project);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
