import type { AlipayError, Result } from '../errors/alipay-error.js';
import type { GatewayCall } from './call.js';
import type { GatewayReply } from './respond.js';

/**
 * The named points where a module joins the pipeline without the core knowing it:
 *
 *   decode → verify ─[checkCredentials]─[openContent]→ [beforeDispatch] → dispatch → [sealContent, envelopeFields] → respond → [afterRespond]
 *
 * A request journal is an `afterRespond` hook; fault injection a `beforeDispatch` hook; content
 * encryption an `openContent` + `sealContent` pair; certificate mode an `envelopeFields` hook.
 */
export interface GatewayHook {
  readonly name: string;
  /** Runs once the signature verified (certificate mode: the SNs, §5.4); an error returned is answered. */
  checkCredentials?(call: GatewayCall): AlipayError | undefined;
  /**
   * Turns an encrypted biz_content into plaintext for `encrypt_type` (§4; undefined when the
   * call named none). Return undefined when this hook does not handle the call; a named type no
   * hook handles is refused.
   */
  openContent?(call: GatewayCall, encryptType: string | undefined, text: string): Result<string, AlipayError> | undefined;
  /** Runs after verification, before the handler; an error returned is answered instead. */
  beforeDispatch?(call: GatewayCall): Promise<AlipayError | undefined> | AlipayError | undefined;
  /** The serialised node → what is framed and signed (content encryption: a quoted ciphertext). */
  sealContent?(call: GatewayCall, nodeText: string): string;
  /** Fields framed between the node and `sign` (certificate mode: `alipay_cert_sn`). */
  envelopeFields?(call: GatewayCall): ReadonlyArray<readonly [string, string]>;
  /** Sees every finished call and its answer (journal, metrics). Must not throw. */
  afterRespond?(call: GatewayCall, reply: GatewayReply): void;
}
