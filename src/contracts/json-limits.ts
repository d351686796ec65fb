/**
 * How deep merchant JSON may nest (biz_content and JSON-in-JSON fields). Alipay's documents nest
 * at most four levels; the bound is checked by a linear scan *before* parsing, so a
 * thousand-level bomb costs one pass over its bytes instead of a recursive parse, stringify and
 * validation (and a stack overflow answered as 20000).
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` opens more than `max` nested objects/arrays (strings and escapes skipped). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}
