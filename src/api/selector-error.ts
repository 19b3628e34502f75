// The error every malformed label or field selector raises.

import { ReasonedError } from './reasoned-error.ts';

/**
 * Which selector grammar rejected the input.
 * @category Errors
 */
export type SelectorType = 'label' | 'field';

/**
 * A label or field selector that does not parse or fails validation.
 *
 * The APIServer answers such a selector with 400 BadRequest, hence `code`. Not retryable:
 * the same input fails the same way. `detail` is the parser's own explanation (the text
 * apimachinery would put in the Status message); `message` adds the offending selector.
 * @category Errors
 */
export class SelectorParseError extends ReasonedError<'InvalidSelector'> {
  override readonly name = 'SelectorParseError';
  /** The selector text as given (for selectors built from sets, their rendered form). */
  readonly selector: string;
  /** Offset into `selector` where parsing failed, when known. */
  readonly position?: number;
  /** The parser's explanation without the selector prefix. */
  readonly detail: string;
  /** Which grammar failed: label or field selector. */
  readonly selectorType: SelectorType;

  constructor(
    selectorType: SelectorType,
    selector: string,
    detail: string,
    options?: { position?: number; cause?: unknown },
  ) {
    super('InvalidSelector', `invalid ${selectorType} selector ${JSON.stringify(selector)}: ${detail}`, {
      code: 400,
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.selectorType = selectorType;
    this.selector = selector;
    this.detail = detail;
    if (options?.position !== undefined) this.position = options.position;
  }
}
