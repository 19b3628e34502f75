// The options the README lists are the options the code has, with the defaults their TSDoc gives.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Member {
  readonly name: string;
  /** The member's `@default`, as written. */
  readonly default: string | undefined;
}

/** The members an interface declares itself (inherited ones are not followed), with their `@default`. */
function membersOf(file: string, name: string): Member[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const start = text.search(new RegExp(`^export interface ${name}\\b[^{]*\\{$`, 'm'));
  assert.ok(start >= 0, `${file} declares interface ${name}`);
  const body = text.slice(start, text.indexOf('\n}\n', start));
  const members: Member[] = [];
  let doc = '';
  for (const line of body.split('\n').slice(1)) {
    if (/^ {2}\/\*\*/.test(line)) doc = '';
    if (/^ {2}(\/\*\*| \*)/.test(line)) doc += `${line}\n`;
    const member = /^ {2}(?:readonly )?(\w+)\??:/.exec(line);
    if (member === null) continue;
    const dflt = /@default (.*?)(?: \*\/)?$/m.exec(doc);
    members.push({ name: member[1] ?? '', default: dflt?.[1]?.trim() });
    doc = '';
  }
  return members;
}

/** The README text from `from` up to the next `to` (both must be there). */
function readmeBetween(from: string, to: string): string {
  const start = README.indexOf(from);
  assert.ok(start >= 0, `the README has ${JSON.stringify(from)}`);
  const end = README.indexOf(to, start + from.length);
  assert.ok(end >= 0, `the README has ${JSON.stringify(to)} after ${JSON.stringify(from)}`);
  return README.slice(start + from.length, end);
}

/** The option names in a README passage: each code span's leading identifier (`name`, `name?`, `name` (500)). */
function namesIn(passage: string): string[] {
  return [...passage.matchAll(/`(\w+)\??`/g)].map((m) => m[1] ?? '');
}

/** Names in a `{ a?, b?, c? }` object shown in the README. */
function namesInBraces(passage: string): string[] {
  const braces = /\{([^}]*)\}/.exec(passage);
  assert.ok(braces !== null, `braces in ${passage}`);
  return (braces[1] ?? '').split(',').map((n) => n.trim().replace(/\?$/, '')).filter((n) => n !== '');
}

/** Where the README lists each options interface: the listed names must be exactly its members. */
const lists: readonly { what: string; file: string; names: () => string[]; except?: readonly string[] }[] = [
  {
    what: 'CacheOptions',
    file: 'src/cache/options.ts',
    names: () => namesIn(readmeBetween('`CacheOptions` (all optional; `@default` in the TSDoc):', 'Namespaces in the options').replace(/\([^)]*\)/g, '')),
  },
  {
    what: 'SharedIndexInformerOptions',
    file: 'src/informer/informer-types.ts',
    names: () => namesIn(readmeBetween('`SharedIndexInformer` options:', '; events')),
  },
  {
    what: 'ClientOptions',
    file: 'src/kube-client/options.ts',
    names: () => namesInBraces(readmeBetween('| `new Client(kubeConfig, ', ')` |')),
  },
  {
    what: 'ControllerOptions',
    file: 'src/controller/controller.ts',
    names: () => namesIn(readmeBetween('| `new Controller(name, cache, reconcile, options?)` |', '; `start(')),
  },
  {
    what: 'ManagerOptions',
    file: 'src/controller/manager-options.ts',
    names: () => namesIn(readmeBetween('`manager.client` (sharing connections and discovery). Options:', ' |\n').replace(/\([^)]*\)/g, '')),
  },
  {
    what: 'ManagerLeaderElectionOptions',
    file: 'src/controller/manager-options.ts',
    names: () => namesIn(readmeBetween('Options: `leaderElection` (', '),')),
  },
  {
    what: 'FakeApiServerOptions',
    file: 'src/testing/fake-apiserver/options.ts',
    names: () => [...namesInBraces(readmeBetween('| `FakeApiServer.start(', ')` |')), ...namesIn(readmeBetween('loopback only unless', '|'))],
  },
];

void describe('the options the README lists', () => {
  for (const { what, file, names } of lists) {
    void it(`are ${what}'s, every one of them`, () => {
      const members = membersOf(file, what).map((m) => m.name);
      assert.deepEqual([...new Set(names())].sort(), [...members].sort());
    });
  }

  void it('give the defaults the TSDoc gives, where they name a number', () => {
    // `name` (500) or `name` 15000 in the README; the member's @default must start with that number.
    const shown: [string, string, string][] = [];
    for (const { what, file } of lists) {
      for (const member of membersOf(file, what)) {
        for (const m of README.matchAll(new RegExp(`\`${member.name}\` \\(?([\\d_,]+)\\b`, 'g'))) {
          shown.push([`${what}.${member.name}`, (m[1] ?? '').replaceAll(/[_,]/g, ''), (member.default ?? '').replaceAll(/[_,]/g, '')]);
        }
      }
    }
    assert.ok(shown.length >= 8, `found defaults in the README: ${shown.map((s) => s[0]).join(', ')}`);
    const wrong = shown.filter(([, readme, tsdoc]) => !tsdoc.startsWith(readme)).map(([name, readme, tsdoc]) => `${name}: README ${readme}, @default ${tsdoc}`);
    assert.deepEqual(wrong, []);
  });
});
