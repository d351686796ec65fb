import { z } from 'zod';
import { NOT_JSON } from './contract.js';
import { jsonTooDeep } from './json-limits.js';

/**
 * Zod building blocks for biz_content fields as Alipay documents them: every field a String
 * with a max length; "JSON-in-JSON" fields arrive as escaped JSON strings or, from some
 * clients, as nested objects (docs/identity-apis.md §2.1) — both are accepted.
 */
export const requiredString = (max: number) => z.string().trim().min(1).max(max);
export const optionalString = (max: number) => z.string().max(max).optional();

export interface JsonField<T> {
  /** Compact JSON text, what is stored and echoed. */
  text: string;
  value: T;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object carried as a string (or sent as an object), at most `max` characters as text. */
export function jsonObject<T extends z.ZodType>(max: number, inner: T) {
  return z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .transform((raw, ctx) => {
      let value: unknown = raw;
      if (typeof raw === 'string') {
        if (raw.length > max) return tooLong(ctx);
        if (jsonTooDeep(raw)) {
          ctx.addIssue({ code: 'custom', message: 'nested too deep' });
          return z.NEVER;
        }
        try {
          value = JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: NOT_JSON });
          return z.NEVER;
        }
      }
      if (!isPlainObject(value)) {
        ctx.addIssue({ code: 'custom', message: 'not a JSON object' });
        return z.NEVER;
      }
      const text = JSON.stringify(value);
      if (text.length > max) return tooLong(ctx);
      return { text, value } as JsonField<unknown>;
    })
    .pipe(z.object({ text: z.string(), value: inner }) as unknown as z.ZodType<JsonField<z.output<T>>, JsonField<unknown>>);
}

function tooLong(ctx: z.RefinementCtx): never {
  ctx.addIssue({ code: 'custom', message: 'too long' });
  return z.NEVER as never;
}
