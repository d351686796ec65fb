import type { PiiField } from '../domain/family.js';
import { maskPayload } from '../domain/mask.js';
import type { GatewayCall } from '../protocol/call.js';
import type { GatewayHook } from '../protocol/hooks.js';
import type { GatewayReply } from '../protocol/respond.js';
import { requestSignContent } from '../protocol/sign-content.js';
import { isSignType } from '../crypto/rsa.js';
import type { Services } from '../services.js';
import type { JournalEntry, JournalFilter } from '../store/journal.js';
import { diagnoseSignature, type SignedRequest } from './diagnosis.js';

/** A v3 call as its framing knows it (the v3 gateway runs no v2 hooks). */
export interface V3Record {
  traceId: string;
  startedAt: bigint;
  appId: string | undefined;
  method: string | undefined;
  status: number;
  code: string | undefined;
  request: { httpMethod: string; target: string; body: string | undefined };
  response: string;
}

interface Pending {
  entry: JournalEntry;
  /** Set for isv.invalid-signature: diagnosed off the request path, when the batch is written. */
  diagnose?: SignedRequest;
}

const FLUSH_MS = 200;
const BATCH = 200;
/** Retention is enforced at most this often while writing (and always before a read). */
const PRUNE_MS = 5000;

/**
 * The request journal: every gateway call, masked (identity fields by kind, digit runs
 * everywhere), written in batches off the request path and kept within a count and an age. A
 * signature failure is stored with the gateway's string-to-sign (masked) and a diagnosis.
 */
export class Journal {
  readonly #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #prunedAt = 0;
  readonly enabled: boolean;

  constructor(
    private readonly services: Services,
    private readonly pii: Readonly<Record<string, PiiField>>,
  ) {
    this.enabled = services.config.journalMaxEntries > 0;
  }

  readonly hook: GatewayHook = { name: 'journal', afterRespond: (call, reply) => this.#recordV2(call, reply) };

  #recordV2(call: GatewayCall, reply: GatewayReply): void {
    if (!this.enabled) return;
    const invalidSignature = reply.subCode === 'isv.invalid-signature';
    // The signature (344 characters a call) is kept only where it explains something.
    const params = Object.fromEntries([...call.params].filter(([k]) => invalidSignature || k !== 'sign'));
    const masked = maskPayload(params, this.pii) as Record<string, string>;
    const detail: Record<string, unknown> = {
      request: masked,
      ...(call.encrypted && call.bizText ? { biz_content_decrypted: maskPayload(call.bizText, this.pii) } : {}),
      ...(call.actingFor ? { acting_for: call.actingFor.appId } : {}),
      response: reply.node
        ? maskPayload(reply.node, this.pii)
        : { kind: reply.kind, location: reply.location ? maskPayload(reply.location, this.pii) : undefined },
      ...(invalidSignature ? { string_to_sign: requestSignContent(new Map(Object.entries(masked))) } : {}),
    };
    const entry = this.#entry(call.traceId, call.startedAt, 'v2', call.appId, call.method, reply.code, reply.subCode, call.signatureValid, detail);
    const signType = call.params.get('sign_type') ?? '';
    const diagnose: SignedRequest | undefined =
      invalidSignature && call.app?.publicKeyPem && call.charset && isSignType(signType)
        ? {
            params: call.params,
            charset: call.charset,
            sign: call.params.get('sign') ?? '',
            signType,
            appPublicKeyPem: call.app.publicKeyPem,
            platformPublicKeyPem: this.services.platform.publicKeyPem,
          }
        : undefined;
    this.#push(diagnose ? { entry, diagnose } : { entry });
  }

  recordV3(r: V3Record): void {
    if (!this.enabled) return;
    const detail = {
      request: {
        http_method: r.request.httpMethod,
        target: maskPayload(r.request.target, this.pii),
        body: r.request.body === undefined ? undefined : maskPayload(r.request.body, this.pii),
      },
      response: { status: r.status, body: maskPayload(r.response, this.pii) },
    };
    const code = r.status === 200 ? '10000' : String(r.status);
    this.#push({ entry: this.#entry(r.traceId, r.startedAt, 'v3', r.appId, r.method, code, r.code, undefined, detail) });
  }

  #entry(
    traceId: string,
    startedAt: bigint,
    protocol: 'v2' | 'v3',
    appId: string | undefined,
    method: string | undefined,
    code: string,
    subCode: string | undefined,
    signatureValid: boolean | undefined,
    detail: Record<string, unknown>,
  ): JournalEntry {
    return {
      traceId,
      time: this.services.clock(),
      protocol,
      appId: appId ?? null,
      method: method ?? null,
      code,
      subCode: subCode ?? null,
      latencyMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
      signatureValid: signatureValid ?? null,
      detail,
    };
  }

  #push(p: Pending): void {
    this.#pending.push(p);
    if (this.#pending.length >= BATCH) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is pending (diagnosing signature failures first) and applies the retention bounds. */
  flush(prune = false): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending.splice(0);
    this.#writing = this.#writing.then(() => this.#write(batch, prune)).catch((e: unknown) => this.services.log.warn({ err: e }, 'journal write failed'));
    return this.#writing;
  }

  async #write(batch: Pending[], prune: boolean): Promise<void> {
    for (const p of batch) if (p.diagnose) p.entry.detail.diagnosis = await diagnoseSignature(p.diagnose);
    if (batch.length > 0) await this.services.store.journal.append(batch.map((p) => p.entry));
    // Pruning costs three statements: not on every batch of a busy gateway.
    if (!prune && (batch.length === 0 || Date.now() - this.#prunedAt < PRUNE_MS)) return;
    this.#prunedAt = Date.now();
    const { journalMaxEntries, journalMaxAgeSeconds } = this.services.config;
    await this.services.store.journal.prune(journalMaxEntries, this.services.clock() - journalMaxAgeSeconds * 1000);
  }

  /** Flushes and applies the retention bounds first, so a read never shows what they exclude. */
  async query(filter: JournalFilter): Promise<JournalEntry[]> {
    await this.flush(true);
    return this.services.store.journal.query(filter);
  }
}
