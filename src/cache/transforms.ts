// Ready-made cache transforms.

import type { CacheTransform } from './options.ts';

/**
 * A transform that drops `metadata.managedFields`, often a third of an object's size and rarely
 * read by controllers. Use as `defaultTransform`. It mutates the object in place (the informer
 * hands it a fresh decoded object) and returns it; anything without metadata passes unchanged.
 * @category Cache
 */
export function transformStripManagedFields(): CacheTransform {
  return (obj) => {
    const meta = obj.metadata;
    if (meta !== undefined && meta !== null && typeof meta === 'object' && meta.managedFields !== undefined) {
      delete meta.managedFields;
    }
    return obj;
  };
}
