// Top functions by self time in V8 .cpuprofile files (as written by `npm run bench -- --profile DIR`).
//
// Usage: node --import tsx bench/profile-summary.ts DIR_OR_FILE... [--top N]

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time in microseconds per function label, summed over the given profiles. */
export function selfTimes(profiles: readonly CpuProfile[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const labels = new Map<number, string>();
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url === '' ? '' : ` ${url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`;
      labels.set(node.id, `${functionName === '' ? '(anonymous)' : functionName}${file}`);
    }
    profile.samples.forEach((id, i) => {
      const label = labels.get(id) ?? '(unknown)';
      // The in-process profiler's own frames (and the time the process sat descheduled, which V8
      // charges to them) are not the code under test.
      if (label.includes('node:inspector')) return;
      totals.set(label, (totals.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
  }
  return totals;
}

async function profileFiles(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  return (await readdir(target)).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f));
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const files = (await Promise.all(positionals.map(profileFiles))).flat();
  if (files.length === 0) throw new TypeError('profile-summary: no .cpuprofile files given');
  const profiles = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as CpuProfile));
  const totals = selfTimes(profiles);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  console.log(`| self ms | share | function |\n|---:|---:|---|`);
  for (const [label, us] of top) console.log(`| ${(us / 1000).toFixed(1)} | ${((us / all) * 100).toFixed(1)}% | ${label.replaceAll('|', '\\|')} |`);
}

await main();
