import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  LABEL_EVERYTHING,
  LabelSelector,
  everythingLabelSelector,
  labelSelectorFromMetav1,
  labelSelectorFromSet,
  newLabelRequirement,
  parseLabelSelector,
} from '../../src/api/label-selector.ts';
import { SelectorParseError } from '../../src/api/selector-error.ts';

function assertParseError(selector: string): SelectorParseError {
  let caught: unknown;
  try {
    parseLabelSelector(selector);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof SelectorParseError, `expected ${JSON.stringify(selector)} to be rejected`);
  assert.equal(caught.selector, selector);
  assert.equal(caught.reason, 'InvalidSelector');
  assert.equal(caught.code, 400);
  assert.ok(caught.message.includes(JSON.stringify(selector)), caught.message);
  return caught;
}

void describe('label selector matching', () => {
  const cases: [selector: string, labels: Record<string, string> | undefined, expected: boolean][] = [
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a=b', {}, false],
    ['a==b', { a: 'b' }, true],
    ['a==b', { a: 'x' }, false],
    ['a!=b', { a: 'c' }, true],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a in (x,y)', { a: 'y' }, true],
    ['a in (x,y)', { a: 'z' }, false],
    ['a in (x,y)', {}, false],
    ['a notin (x,y)', { a: 'z' }, true],
    ['a notin (x,y)', {}, true],
    ['a notin (x,y)', { a: 'x' }, false],
    ['a', { a: '' }, true],
    ['a', { b: 'a' }, false],
    ['!a', { b: 'x' }, true],
    ['!a', { a: 'x' }, false],
    ['a>1', { a: '2' }, true],
    ['a>1', { a: '1' }, false],
    ['a>1', { a: 'two' }, false],
    ['a>1', {}, false],
    ['a<1', { a: '-5' }, true],
    ['a<1', { a: '1' }, false],
    ['a>9223372036854775806', { a: '9223372036854775807' }, true],
    ['a>0', { a: '9223372036854775808' }, false],
    ['a=', { a: '' }, true],
    ['a=', { a: 'x' }, false],
    ['a in (x,)', { a: '' }, true],
    ['a=b,c!=d', { a: 'b', c: 'e' }, true],
    ['a=b,c!=d', { a: 'b', c: 'd' }, false],
    ['', { anything: 'x' }, true],
    ['a=b', undefined, false],
    ['!a', undefined, true],
    ['constructor', {}, false],
    ['  a  in ( x , y ) ,  b  ', { a: 'x', b: '' }, true],
    ['in in (notin)', { in: 'notin' }, true],
    ['example.com/tier=front_end-1.x', { 'example.com/tier': 'front_end-1.x' }, true],
  ];
  for (const [selector, labels, expected] of cases) {
    void test(`${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(parseLabelSelector(selector).matches(labels), expected);
    });
  }
});

void describe('malformed label selectors', () => {
  const bad = [
    'a in',
    'a in x',
    'a in (x',
    'a in ()',
    'a notin ()',
    'a=b,',
    ',a=b',
    'a=b,,c=d',
    'a=b c',
    'a=(b,c)',
    'a b',
    '=b',
    '!',
    '!a=b',
    'a>',
    'a>b',
    'a<1.5',
    'a in (x y)',
    'a in (x=)',
    'a=b)',
    '-a=b',
    'a-=b',
    'a/b/c=d',
    '/a=b',
    'Example.com/a=b',
    `${'k'.repeat(64)}=v`,
    `k=${'v'.repeat(64)}`,
    'k=-v',
    'k in (ok,-bad)',
    'a=b==c',
  ];
  for (const selector of bad) {
    void test(`${JSON.stringify(selector)} is rejected with a SelectorParseError naming it`, () => {
      assertParseError(selector);
    });
  }

  void test('the error reports the position of the offending token', () => {
    const err = assertParseError('a=b, c d');
    assert.equal(err.position, 7);
    assert.match(err.detail, /found 'd'/);
  });

  void test('requirement errors carry apimachinery\'s "unable to parse requirement" detail', () => {
    assert.match(assertParseError('a in').detail, /^unable to parse requirement: found '', expected: '\('/);
  });

  void test('63-character keys and values are accepted, with a DNS prefix on the key', () => {
    const name = 'k'.repeat(63);
    const value = 'v'.repeat(63);
    assert.equal(parseLabelSelector(`a.b-c.example/${name}=${value}`).matches({ [`a.b-c.example/${name}`]: value }), true);
  });
});

void describe('canonical form', () => {
  void test('requirements print sorted by key with sorted, de-duplicated values', () => {
    const sel = parseLabelSelector('z in (c, a, b, a), !y, x==1, a!=2, b notin (q), c>3, d<4, e');
    assert.equal(sel.toString(), 'a!=2,b notin (q),c>3,d<4,e,x==1,!y,z in (a,b,c)');
  });

  void test('the canonical string parses back to the same canonical string', () => {
    for (const s of ['a in (x,y),b', '!c,d=e', 'f notin (g),h>5,i<3', 'a in (,x)', '']) {
      const once = parseLabelSelector(s).toString();
      assert.equal(parseLabelSelector(once).toString(), once);
    }
  });

  void test('the empty selector is empty, matches everything and prints as ""', () => {
    assert.equal(parseLabelSelector('').empty, true);
    assert.equal(parseLabelSelector(' ').empty, true);
    assert.equal(everythingLabelSelector(), LABEL_EVERYTHING);
    assert.equal(LABEL_EVERYTHING.toString(), '');
    assert.equal(parseLabelSelector('a').empty, false);
  });

  void test('requirements are frozen', () => {
    const sel = parseLabelSelector('a in (x)');
    assert.throws(() => (sel.requirements as unknown as unknown[]).push(1), TypeError);
    assert.throws(() => sel.requirements[0]!.values.push('y'), TypeError);
  });
});

void describe('requiresExactMatch', () => {
  void test('returns the value pinned by =, == or a one-member in', () => {
    const sel = parseLabelSelector('a=1,b==2,c in (3),d in (4,5),e!=6,f');
    assert.equal(sel.requiresExactMatch('a'), '1');
    assert.equal(sel.requiresExactMatch('b'), '2');
    assert.equal(sel.requiresExactMatch('c'), '3');
    assert.equal(sel.requiresExactMatch('d'), undefined);
    assert.equal(sel.requiresExactMatch('e'), undefined);
    assert.equal(sel.requiresExactMatch('f'), undefined);
    assert.equal(sel.requiresExactMatch('g'), undefined);
  });
});

void describe('building selectors', () => {
  void test('labelSelectorFromSet builds sorted equality requirements', () => {
    const sel = labelSelectorFromSet({ tier: 'web', app: 'shop' });
    assert.equal(sel.toString(), 'app=shop,tier=web');
    assert.equal(sel.matches({ app: 'shop', tier: 'web', extra: 'x' }), true);
    assert.equal(sel.matches({ app: 'shop' }), false);
    assert.equal(labelSelectorFromSet({}).empty, true);
  });

  void test('labelSelectorFromSet rejects invalid keys and values', () => {
    assert.throws(() => labelSelectorFromSet({ 'bad key': 'v' }), SelectorParseError);
    assert.throws(() => labelSelectorFromSet({ k: 'bad value' }), SelectorParseError);
  });

  void test('labelSelectorFromMetav1 converts matchLabels and every matchExpressions operator', () => {
    const sel = labelSelectorFromMetav1({
      matchLabels: { app: 'shop' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(sel.toString(), 'app=shop,!canary,env notin (dev),team,tier in (api,web)');
    assert.equal(sel.matches({ app: 'shop', tier: 'api', team: 't' }), true);
    assert.equal(sel.matches({ app: 'shop', tier: 'api', team: 't', canary: '1' }), false);
    assert.equal(labelSelectorFromMetav1({}).empty, true);
  });

  void test('labelSelectorFromMetav1 rejects unknown operators, empty In sets and values on Exists', () => {
    const op = 'Gt' as unknown as 'In';
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: op, values: ['1'] }] }), SelectorParseError);
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), SelectorParseError);
    assert.throws(() => labelSelectorFromMetav1({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), SelectorParseError);
  });

  void test('newLabelRequirement validates and add() ANDs requirements in', () => {
    assert.throws(() => newLabelRequirement('a', '=', ['x', 'y']), SelectorParseError);
    const sel = new LabelSelector([newLabelRequirement('b', 'exists', [])]).add(newLabelRequirement('a', 'gt', ['1']));
    assert.equal(sel.toString(), 'a>1,b');
    assert.equal(sel.matches({ a: '2', b: '' }), true);
  });
});
