import type { PiiField, PiiKind } from './family.js';

/** Masks for identity data in logs, admin views and hosted pages (PII never leaves unmasked). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function maskCertNo(certNo: string): string {
  if (certNo.length <= 8) return '*'.repeat(certNo.length);
  return certNo.slice(0, 4) + '*'.repeat(certNo.length - 8) + certNo.slice(-4);
}

export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return mobile.slice(0, 3) + '*'.repeat(mobile.length - 7) + mobile.slice(-4);
}

/** A picture is never shown, only that one was given and how large it is. */
const maskPicture = (picture: string): string => `[picture, ${picture.length} chars]`;

export const MASKS: Readonly<Record<PiiKind, (v: string) => string>> = {
  name: maskName,
  idNumber: maskCertNo,
  mobile: maskMobile,
  account: maskCertNo,
  picture: maskPicture,
};

/**
 * Every string of an identity record, masked by its declared kind. A string that is not declared
 * but still holds something that looks like a phone or ID number is masked too: identity
 * records are merchant JSON and may carry PII in fields nobody declared (e.g. `params`).
 */
export function maskIdentity(identity: Readonly<Record<string, unknown>>, pii: Readonly<Record<string, PiiField>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(identity)) {
    if (typeof v !== 'string') continue;
    const field = pii[k];
    out[k] = field ? MASKS[field.kind](v) : maskDigitRuns(v);
  }
  return out;
}

/** Runs of 7 or more digits (phone and ID numbers) keep their first 3 and last 2 digits only. */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{7,}[\dXx]?/g, (run) => run.slice(0, 3) + '*'.repeat(run.length - 5) + run.slice(-2));
}

/** The labelled, masked identity lines of the hosted page. */
export function displayIdentity(identity: Readonly<Record<string, unknown>>, pii: Readonly<Record<string, PiiField>>): Array<[label: string, value: string]> {
  const out: Array<[string, string]> = [];
  for (const [k, field] of Object.entries(pii)) {
    const v = identity[k];
    if (field.label && typeof v === 'string' && v !== '') out.push([field.label, MASKS[field.kind](v)]);
  }
  return out;
}

/**
 * Protocol and reference fields that are not personal data: their digits (app ids, order numbers,
 * timestamps) stay readable, or the journal could not explain a signature or find a call.
 */
const NOT_PERSONAL = new Set([
  'app_id',
  'method',
  'format',
  'charset',
  'sign_type',
  'sign',
  'timestamp',
  'version',
  'encrypt_type',
  'app_cert_sn',
  'alipay_root_cert_sn',
  'alipay_cert_sn',
  'transaction_id',
  'product_code',
  'biz_code',
  'biz_no',
  'certify_id',
  'outer_order_no',
  'token_id',
  'biz_id',
  'linked_merchant_id',
  'auth_app_id',
  'notify_id',
  'notify_time',
]);

/**
 * Any merchant JSON (request parameters, biz_content, answers), masked for the journal: declared
 * PII fields by their kind wherever they sit, JSON-in-JSON strings opened and masked inside, and
 * digit runs (phone and ID numbers) in every other string but the protocol's own fields.
 */
export function maskPayload(value: unknown, pii: Readonly<Record<string, PiiField>>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskPayload(v, pii));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskField(k, v, pii)]));
  }
  return typeof value === 'string' ? maskText(value, pii) : value;
}

function maskField(key: string, value: unknown, pii: Readonly<Record<string, PiiField>>): unknown {
  const field = pii[key];
  if (field && (typeof value === 'string' || typeof value === 'number')) return MASKS[field.kind](String(value));
  if (NOT_PERSONAL.has(key) && typeof value === 'string') return value;
  return maskPayload(value, pii);
}

function maskText(text: string, pii: Readonly<Record<string, PiiField>>): string {
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(maskPayload(JSON.parse(t), pii));
    } catch {
      // not JSON after all: masked as text below
    }
  }
  return maskDigitRuns(text);
}
