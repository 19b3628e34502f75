import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  FIELD_EVERYTHING,
  escapeFieldValue,
  fieldSelectorFromSet,
  parseFieldSelector,
} from '../../src/api/field-selector.ts';
import { SelectorParseError } from '../../src/api/selector-error.ts';

const fields = (set: Record<string, string>) => (f: string) => set[f];

void describe('field selector parsing and matching', () => {
  void test('= and == both mean equality and are normalised to =', () => {
    const sel = parseFieldSelector('metadata.name==a,spec.nodeName=n1');
    assert.deepEqual(
      sel.requirements.map((r) => r.operator),
      ['=', '='],
    );
    assert.equal(sel.matches(fields({ 'metadata.name': 'a', 'spec.nodeName': 'n1' })), true);
    assert.equal(sel.matches(fields({ 'metadata.name': 'a', 'spec.nodeName': 'n2' })), false);
  });

  void test('!= matches a different value and a missing field, which compares as ""', () => {
    const sel = parseFieldSelector('status.phase!=Failed');
    assert.equal(sel.matches(fields({ 'status.phase': 'Running' })), true);
    assert.equal(sel.matches(fields({})), true);
    assert.equal(sel.matches(fields({ 'status.phase': 'Failed' })), false);
  });

  void test('an equality on "" matches a missing field', () => {
    assert.equal(parseFieldSelector('spec.nodeName=').matches(fields({})), true);
    assert.equal(parseFieldSelector('spec.nodeName=').matches(fields({ 'spec.nodeName': 'n' })), false);
  });

  void test('escaped commas, equals signs and backslashes are part of the value', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,x=y');
    assert.equal(sel.requirements.length, 2);
    assert.equal(sel.requiresExactMatch('metadata.name'), 'a,b=c\\d');
    assert.equal(sel.toString(), 'metadata.name=a\\,b\\=c\\\\d,x=y');
    assert.equal(escapeFieldValue('a,b=c\\d'), 'a\\,b\\=c\\\\d');
  });

  void test('empty terms are skipped and the empty string selects everything', () => {
    assert.equal(parseFieldSelector('a=b,').toString(), 'a=b');
    assert.equal(parseFieldSelector('').empty, true);
    assert.equal(parseFieldSelector(',').empty, true);
    assert.equal(FIELD_EVERYTHING.matches(fields({})), true);
  });

  void test('toString is canonical: sorted whatever the input order', () => {
    const a = parseFieldSelector('spec.nodeName=n1,metadata.name!=x');
    const b = parseFieldSelector('metadata.name!=x,spec.nodeName==n1');
    assert.equal(a.toString(), 'metadata.name!=x,spec.nodeName=n1');
    assert.equal(b.toString(), a.toString());
    assert.equal(parseFieldSelector(a.toString()).toString(), a.toString());
  });

  void test('requiresExactMatch ignores != terms and unknown fields', () => {
    const sel = parseFieldSelector('a!=1,b=2');
    assert.equal(sel.requiresExactMatch('a'), undefined);
    assert.equal(sel.requiresExactMatch('b'), '2');
    assert.equal(sel.requiresExactMatch('c'), undefined);
  });

  void test('transform rewrites terms and drops those mapped to an empty field', () => {
    const sel = parseFieldSelector('spec.host=n1,drop.me=x').transform((field, value) =>
      field === 'spec.host' ? { field: 'spec.nodeName', value } : { field: '', value },
    );
    assert.equal(sel.toString(), 'spec.nodeName=n1');
  });

  void test('fieldSelectorFromSet builds equality terms with any characters in values', () => {
    const sel = fieldSelectorFromSet({ 'metadata.name': 'a,b', 'metadata.namespace': 'ns' });
    assert.equal(sel.toString(), 'metadata.name=a\\,b,metadata.namespace=ns');
    assert.equal(sel.matches(fields({ 'metadata.name': 'a,b', 'metadata.namespace': 'ns' })), true);
    assert.equal(fieldSelectorFromSet({}).empty, true);
    assert.throws(() => fieldSelectorFromSet({ '': 'x' }), SelectorParseError);
  });
});

void describe('malformed field selectors', () => {
  for (const selector of ['metadata.name', 'a=b,c', '=x', '!=x', 'a=b\\', 'a=b\\x', 'a=b=c', 'a=\\!b']) {
    void test(`${JSON.stringify(selector)} is rejected with a SelectorParseError naming it`, () => {
      assert.throws(
        () => parseFieldSelector(selector),
        (err: unknown) =>
          err instanceof SelectorParseError &&
          err.selector === selector &&
          err.selectorType === 'field' &&
          err.code === 400 &&
          err.message.includes(JSON.stringify(selector)),
      );
    });
  }
});
