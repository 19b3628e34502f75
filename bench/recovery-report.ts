// The recovery table: requests, bytes and CPU after a watch fault, beside what client-go sends in the same case.

import type { ContenderName } from './contender.ts';
import { lookupIn, type ResultLine } from './report.ts';
import type { ScenarioName } from './scenarios.ts';

/** What client-go's Reflector sends after each fault, from /work/shared/reference/client-go-cache.md. */
interface ClientGoModel {
  readonly lists: number;
  readonly watches: number;
  /** Which bytes it reads: the events it missed, or one full list of the current state. */
  readonly reads: 'missedEvents' | 'fullList';
  readonly why: string;
}

const CLIENT_GO: Readonly<Record<string, ClientGoModel>> = {
  'recover-drop': { lists: 0, watches: 1, reads: 'missedEvents', why: 'a clean close re-watches from the last version (§1.8, step 4)' },
  'recover-410': {
    lists: 1,
    watches: 1,
    reads: 'fullList',
    why: 'relists at the last version after a backoff, unpaged because that version is not "0" (§1.5), so the watch cache answers in one body; then watches from the list',
  },
  'recover-500': {
    lists: 1,
    watches: 1,
    reads: 'fullList',
    why: 'an InternalError is re-watched only within MaxInternalErrorRetryDuration, 0 by default, so it relists as after a 410 (§1.8, step 5)',
  },
};

const CASES: readonly ScenarioName[] = ['recover-drop', 'recover-410', 'recover-500'];
const WHO: readonly ContenderName[] = ['kubecache', 'client-node'];

const mb = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / 1e6).toFixed(2)} MB`);
const num = (v: number | undefined, digits = 0): string => (v === undefined ? '—' : v.toFixed(digits));

/** The Markdown rows of the recovery table (empty when no recovery scenario ran). */
export function recoveryTable(lines: readonly ResultLine[]): string[] {
  const get = lookupIn(lines);
  if (!CASES.some((s) => WHO.some((c) => get(s, c) !== undefined))) return [];
  const out = [
    '',
    'Recovery after a watch fault (medians): requests and response bytes after the fault, CPU and wall time until the cache equals the server.',
    '',
    '| fault | who | LIST | WATCH | bytes | × one full list | CPU ms | wall ms | recovered |',
    '|---|---|---:|---:|---:|---:|---:|---:|:---:|',
  ];
  for (const s of CASES) {
    if (!WHO.some((c) => get(s, c) !== undefined)) continue;
    const full = WHO.map((c) => get(s, c, 'fullListBytes')).find((v) => v !== undefined);
    for (const c of WHO) {
      if (get(s, c) === undefined) continue;
      const bytes = get(s, c, 'bytes');
      const ratio = bytes === undefined || full === undefined ? '—' : `${(bytes / full).toFixed(2)}x`;
      // A contender that never recovered in any run gets "no"; one that did in some runs "some".
      const recovered = get(s, c, 'recoveredMax') === 0 ? 'no' : get(s, c, 'recovered') === 1 ? 'yes' : 'some runs';
      out.push(`| ${s.slice('recover-'.length)} | ${c} | ${num(get(s, c, 'lists'))} | ${num(get(s, c, 'watches'))} | ${mb(bytes)} | ${ratio} | ${num(get(s, c), 1)} | ${num(get(s, c, 'wallMs'))} | ${recovered} |`);
    }
    const model = CLIENT_GO[s];
    if (model === undefined) continue;
    const missed = WHO.map((c) => get(s, c, 'missedEventBytes')).find((v) => v !== undefined);
    const bytes = model.reads === 'fullList' ? full : missed;
    const ratio = bytes === undefined || full === undefined ? '—' : `${(bytes / full).toFixed(2)}x`;
    out.push(`| ${s.slice('recover-'.length)} | client-go (by its source: ${model.why}) | ${model.lists} | ${model.watches} | ${mb(bytes)} | ${ratio} | — | — | yes |`);
  }
  return out;
}
