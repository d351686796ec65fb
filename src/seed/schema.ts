import { z } from 'zod';
import { DRILLS } from '../domain/drills.js';

/** The fields that can carry an app's key; a seed gives exactly one of them per app. */
export const APP_KEY_FIELDS = ['public_key', 'public_key_file', 'private_key', 'private_key_file'] as const;

export type AppKeyField = (typeof APP_KEY_FIELDS)[number];

const PLATFORM_KEY_FIELDS = ['private_key', 'private_key_file'] as const;

/**
 * Zod cannot say "exactly one of these optional keys" on a strict object without a union, and a union
 * turns every mistake inside the object into an opaque "Invalid input"; a refinement keeps field-level messages.
 */
function exactlyOneOf(fields: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const given = fields.filter((f) => value[f] !== undefined);
    if (given.length === 1) return;
    const found = given.length === 0 ? 'none' : given.join(' and ');
    ctx.addIssue({ code: 'custom', message: `give exactly one of ${fields.join(', ')} (found ${found})` });
  };
}

const pemText = (what: string) => z.string().min(1).describe(what);
const filePath = (what: string) => z.string().min(1).describe(`${what}; a path relative to the seed file's directory.`);

export const SeedPlatformSchema = z
  .strictObject({
    private_key: pemText('The platform ("Alipay") RSA private key, PEM (PKCS#8 or PKCS#1).').optional(),
    private_key_file: filePath('A file holding the platform RSA private key, PEM').optional(),
  })
  .superRefine(exactlyOneOf(PLATFORM_KEY_FIELDS))
  .describe('Fixes the platform ("Alipay") RSA key pair that signs every response. Give exactly one of private_key, private_key_file.');

export const SeedAppSchema = z
  .strictObject({
    app_id: z
      .string()
      .regex(/^\d{1,32}$/, 'must be 1 to 32 digits')
      .describe('The app id merchants send as app_id: 1 to 32 digits.'),
    name: z.string().min(1).max(64).optional().describe('Display name; default "App <app_id>".'),
    sign_type: z.enum(['RSA2', 'RSA']).default('RSA2').describe('RSA2 (SHA256withRSA) or RSA (SHA1withRSA).'),
    public_key: pemText('The app RSA public key: PEM or the bare Base64 SPKI body.').optional(),
    public_key_file: filePath('A file holding the app RSA public key, PEM or bare Base64 SPKI').optional(),
    private_key: pemText('The app RSA private key, PEM; only its public half is stored.').optional(),
    private_key_file: filePath('A file holding the app RSA private key, PEM; only its public half is stored').optional(),
    products: z.array(z.string().min(1)).optional().describe('Product codes the app has signed; default the identity-verification product.'),
    scenes: z.array(z.string().min(1)).optional().describe('Scenes (biz_code) the app may use; default FACE, SMART_FACE, CERT_PHOTO, CERT_PHOTO_FACE.'),
    notify_url: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .nullable()
      .optional()
      .describe('Where asynchronous notifications go when a call sends none; null or absent: none.'),
    aes_key: z
      .string()
      .regex(/^(?:[A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{32}|[A-Za-z0-9+/]{43}=)$/, 'must be Base64 of 16, 24 or 32 bytes')
      .nullable()
      .optional()
      .describe('AES content key for encrypt_type=AES, Base64 of 16, 24 or 32 bytes; null or absent: none.'),
    drills: z.array(z.enum(DRILLS)).optional().describe('Notification drills switched on for the app; default none.'),
    status: z.enum(['active', 'disabled']).default('active').describe('A disabled app is refused at the gateway.'),
  })
  .superRefine(exactlyOneOf(APP_KEY_FIELDS))
  .describe(`One merchant app, declared whole: fields left out take their defaults. Give exactly one of ${APP_KEY_FIELDS.join(', ')}.`);

/** An app id declared twice would make the second entry silently win; refuse it where it happens. */
function uniqueAppIds(apps: readonly { app_id: string }[], ctx: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  apps.forEach((app, index) => {
    const first = firstIndex.get(app.app_id);
    if (first === undefined) firstIndex.set(app.app_id, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'app_id'], message: `duplicate app id ${app.app_id} (first at apps[${first}])` });
  });
}

export const SeedFaultSchema = z
  .strictObject({
    app_id: z
      .string()
      .regex(/^\d{1,32}$/)
      .optional()
      .describe('Only calls of this app; default every app.'),
    method: z.string().min(1).optional().describe('Only calls of this method; default every method.'),
    code: z.enum(['20000', '20001', '40001', '40002', '40003', '40004', '40006']).optional().describe('The answer code; default 20000.'),
    sub_code: z.string().min(1).optional().describe('The answer sub_code; default isp.unknow-error.'),
    sub_msg: z.string().min(1).optional(),
    latency_ms: z.number().int().min(0).max(600_000).optional().describe('Delay before answering; alone (no code) it only delays.'),
    drop: z.boolean().optional().describe('Close the connection without an answer.'),
    probability: z.number().gt(0).max(1).optional().describe('Share of matching calls affected; default 1.'),
    count: z.number().int().positive().optional().describe('Calls affected before the rule retires; default until removed.'),
  })
  .describe('A fault injection rule (docs: README "Fault injection").');

export const SeedSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema this file follows, for editors; ignored by aopgate.'),
    platform: SeedPlatformSchema.optional(),
    apps: z.array(SeedAppSchema).superRefine(uniqueAppIds).default([]).describe('The apps to create or bring to the declared state; app ids are unique.'),
    faults: z
      .array(SeedFaultSchema)
      .optional()
      .describe("Fault rules; at each start they replace the previous seed's rules (rules added by the API or CLI stay)."),
  })
  .describe('aopgate seed file (aopgate serve --seed <file>): the platform key and apps every run starts with.');

export type Seed = z.output<typeof SeedSchema>;
export type SeedApp = z.output<typeof SeedAppSchema>;
export type SeedFault = z.output<typeof SeedFaultSchema>;

/** The JSON Schema editors validate seed files against (schema/aopgate.seed.schema.json is generated from it). */
export function seedJsonSchema(): object {
  return z.toJSONSchema(SeedSchema, { io: 'input' });
}
