// The label selector grammar of apimachinery's labels.Parse: a lexer and a recursive-descent parser.

import { newLabelRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.ts';
import { SelectorParseError } from './selector-error.ts';
import { isQualifiedName } from './validation.ts';

type TokenKind =
  | 'end'
  | 'identifier'
  | 'in'
  | 'notin'
  | '('
  | ')'
  | ','
  | '!'
  | '='
  | '=='
  | '!='
  | '>'
  | '<';

interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
  readonly pos: number;
}

const SPECIAL_CHARS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const TWO_CHAR_SYMBOLS = new Set(['!=', '==']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Splits a selector into tokens. Symbols are matched longest first (`!=`, `==`), anything
 * else up to whitespace or a symbol is an identifier, and `in`/`notin` are keywords.
 */
function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    if (SPECIAL_CHARS.has(ch)) {
      const two = input.slice(i, i + 2);
      const sym = TWO_CHAR_SYMBOLS.has(two) ? two : ch;
      tokens.push({ kind: sym as TokenKind, literal: sym, pos: i });
      i += sym.length;
      continue;
    }
    const start = i;
    while (i < input.length && !WHITESPACE.has(input[i] ?? '') && !SPECIAL_CHARS.has(input[i] ?? '')) i++;
    const word = input.slice(start, i);
    const kind: TokenKind = word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'identifier';
    tokens.push({ kind, literal: word, pos: start });
  }
  tokens.push({ kind: 'end', literal: '', pos: input.length });
  return tokens;
}

/** The tokens that can stand between a key and its values, and the operator each means. */
const OPERATOR_TOKENS: Partial<Readonly<Record<TokenKind, LabelOperator>>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

/**
 * Where a token is read: in `keyAndOperator` position `in`/`notin` are operators, in
 * `values` position they are ordinary identifiers (so a key or value may be "in").
 */
type Context = 'keyAndOperator' | 'values';

/** A parse failure with the offending position; turned into a SelectorParseError at the top. */
class ParseFailure extends Error {
  readonly pos: number;

  constructor(message: string, pos: number) {
    super(message);
    this.pos = pos;
  }
}

class Parser {
  readonly #tokens: Token[];
  #index = 0;

  constructor(input: string) {
    this.#tokens = lex(input);
  }

  #peek(ctx: Context): Token {
    const tok = this.#tokens[this.#index] ?? this.#tokens[this.#tokens.length - 1]!;
    if (ctx === 'values' && (tok.kind === 'in' || tok.kind === 'notin')) return { ...tok, kind: 'identifier' };
    return tok;
  }

  #next(ctx: Context): Token {
    const tok = this.#peek(ctx);
    if (this.#index < this.#tokens.length - 1) this.#index++;
    return tok;
  }

  /** selector := requirement (',' requirement)* | empty */
  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const tok = this.#peek('values');
      if (tok.kind === 'end') return reqs;
      if (tok.kind !== 'identifier' && tok.kind !== '!') {
        throw new ParseFailure(`found '${tok.literal}', expected: !, identifier, or 'end of string'`, tok.pos);
      }
      reqs.push(this.#requirement());
      const after = this.#next('values');
      if (after.kind === 'end') return reqs;
      if (after.kind !== ',') {
        throw new ParseFailure(`found '${after.literal}', expected: ',' or 'end of string'`, after.pos);
      }
      const following = this.#peek('values');
      if (following.kind !== 'identifier' && following.kind !== '!') {
        throw new ParseFailure(`found '${following.literal}', expected: identifier after ','`, following.pos);
      }
    }
  }

  #requirement(): LabelRequirement {
    const start = this.#peek('values').pos;
    try {
      const { key, operator } = this.#keyAndInferredOperator();
      if (operator !== undefined) return newLabelRequirement(key, operator, []);
      const op = this.#operator();
      const values = op === 'in' || op === 'notin' ? this.#valueSet() : [this.#exactValue()];
      return newLabelRequirement(key, op, values);
    } catch (err) {
      if (err instanceof ParseFailure) throw new ParseFailure(`unable to parse requirement: ${err.message}`, err.pos);
      // Validation failures of a well-formed requirement point at its start.
      if (err instanceof SelectorParseError) throw new ParseFailure(`unable to parse requirement: ${err.detail}`, start);
      throw err;
    }
  }

  /** Reads `!key` or `key`; the operator is inferred (`!`/`exists`) when nothing follows the key. */
  #keyAndInferredOperator(): { key: string; operator: LabelOperator | undefined } {
    let tok = this.#next('values');
    let operator: LabelOperator | undefined;
    if (tok.kind === '!') {
      operator = '!';
      tok = this.#next('values');
    }
    if (tok.kind !== 'identifier') throw new ParseFailure(`found '${tok.literal}', expected: identifier`, tok.pos);
    const keyErrs = isQualifiedName(tok.literal);
    if (keyErrs.length > 0) {
      throw new ParseFailure(`key: Invalid value: ${JSON.stringify(tok.literal)}: ${keyErrs.join('; ')}`, tok.pos);
    }
    const following = this.#peek('values').kind;
    if (operator === undefined && (following === 'end' || following === ',')) operator = 'exists';
    return { key: tok.literal, operator };
  }

  #operator(): LabelOperator {
    const tok = this.#next('keyAndOperator');
    const op = Object.hasOwn(OPERATOR_TOKENS, tok.kind) ? OPERATOR_TOKENS[tok.kind] : undefined;
    if (op === undefined) throw new ParseFailure(`found '${tok.literal}', expected: in, notin, =, ==, !=, gt, lt`, tok.pos);
    return op;
  }

  /** values := '(' identifier-list ')'; an empty list or empty members stand for "". */
  #valueSet(): string[] {
    const open = this.#next('values');
    if (open.kind !== '(') throw new ParseFailure(`found '${open.literal}', expected: '('`, open.pos);
    const values = this.#identifierList();
    const close = this.#next('values');
    if (close.kind !== ')') throw new ParseFailure(`found '${close.literal}', expected: ')'`, close.pos);
    return values;
  }

  #identifierList(): string[] {
    const values: string[] = [];
    // Each comma closes one member; a member with no identifier before its comma is "".
    let pendingMember = true;
    for (;;) {
      const tok = this.#peek('values');
      if (tok.kind === 'identifier') {
        this.#next('values');
        if (!pendingMember) throw new ParseFailure(`found '${tok.literal}', expected: ',' or ')'`, tok.pos);
        values.push(tok.literal);
        pendingMember = false;
      } else if (tok.kind === ',') {
        this.#next('values');
        if (pendingMember) values.push('');
        pendingMember = true;
      } else if (tok.kind === ')') {
        // A bare "()" stays empty so validation rejects it: deliberately stricter than
        // apimachinery, which reads it as the set {""} and so selects only empty values.
        if (pendingMember && values.length > 0) values.push('');
        return values;
      } else {
        throw new ParseFailure(`found '${tok.literal}', expected: ',', ')' or identifier`, tok.pos);
      }
    }
  }

  /** A single value after `=`, `==`, `!=`, `>` or `<`; nothing before ',' or the end means "". */
  #exactValue(): string {
    const tok = this.#peek('values');
    if (tok.kind === 'end' || tok.kind === ',') return '';
    this.#next('values');
    if (tok.kind !== 'identifier') throw new ParseFailure(`found '${tok.literal}', expected: identifier`, tok.pos);
    return tok.literal;
  }
}

/**
 * Parses a label selector string into validated requirements, in input order.
 *
 * @throws SelectorParseError naming the selector, with the failure's position.
 */
export function parseLabelRequirements(selector: string): LabelRequirement[] {
  try {
    return new Parser(selector).parse();
  } catch (err) {
    if (err instanceof ParseFailure) {
      throw new SelectorParseError('label', selector, err.message, { position: err.pos, cause: err });
    }
    throw err;
  }
}
