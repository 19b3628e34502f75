// The demo's output: typed records, printed as 80-column text (colored on a TTY) or as JSON lines.

/** Events counted per kind. */
export interface EventCounts {
  add: number;
  update: number;
  delete: number;
}

/** One thing the demo reports. `--json` prints each as one line with `type` and `t` (ms since start). */
export type DemoRecord =
  | { readonly type: 'start'; readonly mode: 'fake' | 'cluster'; readonly server: string; readonly durationS: number }
  | { readonly type: 'seeded'; readonly objects: Readonly<Record<string, number>> }
  | { readonly type: 'progress'; readonly kind: string; readonly listed: number; readonly total: number | undefined }
  | { readonly type: 'synced'; readonly kind: string; readonly objects: number; readonly ms: number }
  | { readonly type: 'event'; readonly kind: string; readonly event: keyof EventCounts; readonly key: string; readonly detail: string }
  | { readonly type: 'eventsElided'; readonly count: number }
  | { readonly type: 'step'; readonly text: string }
  | { readonly type: 'fault'; readonly fault: string; readonly text: string }
  | { readonly type: 'relist'; readonly kind: string }
  | { readonly type: 'watchRestart'; readonly kind: string }
  | { readonly type: 'watchError'; readonly kind: string; readonly error: string }
  | { readonly type: 'index'; readonly field: string; readonly value: string; readonly count: number; readonly ms: number }
  | { readonly type: 'memory'; readonly kind: string; readonly objects: number; readonly bytesPerObject: number; readonly method: string }
  | { readonly type: 'summary'; readonly summary: DemoSummary };

/** What the run ends with. */
export interface DemoSummary {
  readonly seconds: number;
  /** Objects in the cache per informer, at the end. */
  readonly cached: Readonly<Record<string, number>>;
  /** Events delivered to the demo's handlers after the initial sync, per informer. */
  readonly events: Readonly<Record<string, EventCounts>>;
  /** Faults injected (fake server only) and what the informers did about them. */
  readonly faults: number;
  readonly relists: number;
  readonly watchRestarts: number;
  readonly watchErrors: number;
  /** Fake server only: every informer holds exactly the server's objects. */
  readonly consistent: boolean | undefined;
}

const WIDTH = 80;
const COLORS: Partial<Record<DemoRecord['type'], string>> = {
  synced: '32',
  fault: '31;1',
  relist: '33',
  watchRestart: '33',
  watchError: '31',
  index: '36',
  memory: '36',
  step: '35',
};

/** Prints records; `print` never throws and never wraps past 80 columns in text mode. */
export class Reporter {
  readonly #json: boolean;
  readonly #color: boolean;
  readonly #started = performance.now();
  readonly #write: (line: string) => void;

  /** `color` applies to text only; `write` receives each line without its newline (default: stdout). */
  constructor(options: { json: boolean; color: boolean; write?: (line: string) => void }) {
    this.#json = options.json;
    this.#color = options.color && !options.json;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** Milliseconds since the reporter was made. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.#started);
  }

  /** Prints `record` as one JSON line, or as one or more text lines stamped with the elapsed time. */
  print(record: DemoRecord): void {
    if (this.#json) {
      this.#write(JSON.stringify({ t: this.elapsedMs(), ...record }));
      return;
    }
    const stamp = `${(this.elapsedMs() / 1000).toFixed(1).padStart(5)}s `;
    const blank = ' '.repeat(stamp.length);
    for (const [i, text] of describe(record).entries()) {
      const line = fit((i === 0 ? stamp : blank) + text);
      const color = COLORS[record.type];
      this.#write(this.#color && color !== undefined ? `\u001b[${color}m${line}\u001b[0m` : line);
    }
  }
}

function fit(line: string): string {
  return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`;
}

function bar(done: number, total: number | undefined): string {
  if (total === undefined || total === 0) return '';
  const cells = 20;
  const filled = Math.min(cells, Math.round((done / total) * cells));
  return `[${'#'.repeat(filled)}${'.'.repeat(cells - filled)}] `;
}

// The text lines of a record, without the time stamp.
function describe(r: DemoRecord): string[] {
  switch (r.type) {
    case 'start':
      return [`kubecache demo: ${r.mode === 'fake' ? 'fake APIServer' : 'cluster (read-only)'} ${r.server}`];
    case 'seeded':
      return [`seeded ${Object.entries(r.objects).map(([k, n]) => `${n} ${k}`).join(', ')}`];
    case 'progress':
      return [`list   ${r.kind.padEnd(14)} ${bar(r.listed, r.total)}${r.listed}${r.total === undefined ? '' : `/${r.total}`}`];
    case 'synced':
      return [`synced ${r.kind.padEnd(14)} ${String(r.objects).padStart(5)} objects in ${r.ms} ms`];
    case 'event':
      return [`${r.event.padEnd(6)} ${r.kind.padEnd(14)} ${r.key}${r.detail === '' ? '' : `  ${r.detail}`}`];
    case 'eventsElided':
      return [`       ... ${r.count} more events not shown`];
    case 'step':
      return [`-- ${r.text}`];
    case 'fault':
      return [`FAULT  ${r.text}`];
    case 'relist':
      return [`relist ${r.kind.padEnd(14)} listing again to catch up`];
    case 'watchRestart':
      return [`watch  ${r.kind.padEnd(14)} watch restarted from last resourceVersion`];
    case 'watchError':
      return [`error  ${r.kind.padEnd(14)} ${r.error} (recovering)`];
    case 'index':
      return [`index  pods where ${r.field}=${r.value}: ${r.count} pods in ${r.ms} ms`];
    case 'memory':
      return [`memory ${r.kind.padEnd(14)} ${String(r.bytesPerObject).padStart(5)} bytes of JSON per object (${r.objects})`];
    case 'summary':
      return summaryLines(r.summary);
  }
}

function summaryLines(s: DemoSummary): string[] {
  const lines = [`summary after ${s.seconds.toFixed(1)} s`, '  informer         cached    adds updates deletes'];
  for (const [kind, cached] of Object.entries(s.cached)) {
    const e = s.events[kind] ?? { add: 0, update: 0, delete: 0 };
    const cols = [cached, e.add, e.update, e.delete].map((n, i) => String(n).padStart(i === 0 ? 6 : 7));
    lines.push(`  ${kind.padEnd(14)} ${cols.join(' ')}`);
  }
  lines.push(`  faults injected ${s.faults}, relists ${s.relists}, watch restarts ${s.watchRestarts},`);
  lines.push(`  watch errors ${s.watchErrors}`);
  if (s.consistent !== undefined) {
    lines.push(`  cache matches the server: ${s.consistent ? 'yes, every object' : 'NO'}`);
  }
  return lines;
}
