import { err, ok, type AlipayError, type Result } from '../errors/alipay-error.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import type { Services } from '../services.js';
import type { GatewayCall } from './call.js';
import { decode } from './decode.js';
import { dispatch, dispatchPage } from './dispatch.js';
import type { ResponseNode } from './envelope.js';
import type { GatewayHook } from './hooks.js';
import type { RawRequest } from './intake.js';
import type { MethodRegistry } from './method.js';
import { errorNode, respondJson, respondPage, type GatewayReply } from './respond.js';
import { verify, type VerifiedCall } from './verify.js';
import { loggableError } from '../log.js';

export interface Gateway {
  handle(raw: RawRequest, traceId: string, startedAt: bigint, rejection?: AlipayError): Promise<{ call: GatewayCall; reply: GatewayReply }>;
}

/**
 * decode → verify → dispatch → respond, with the hooks at their named points (hooks.ts). Every
 * outcome, a bug in a handler included, becomes an Alipay answer, signed whenever the app is
 * known (§2.4).
 */
export function createGateway(services: Services, registry: MethodRegistry, hooks: readonly GatewayHook[] = []): Gateway {
  async function answer(call: GatewayCall): Promise<GatewayReply> {
    try {
      const verified = await verify(call, services, registry, hooks);
      const ready = verified.ok ? await prepare(call, verified.value) : verified;
      if (call.pageMode) return respondPage(call, ready.ok ? await dispatchPage(call, ready.value, services) : ready);
      const node: ResponseNode = ready.ok ? unwrap(await dispatch(call, ready.value, services)) : errorNode(ready.error);
      return await respondJson(call, node, services, hooks);
    } catch (e) {
      services.log.error({ error: loggableError(e), trace_id: call.traceId, method: call.method, app_id: call.appId }, 'gateway request failed');
      if (call.pageMode) return respondPage(call, err(E.unknownError));
      return respondJson(call, errorNode(E.unknownError), services, hooks);
    }
  }

  /** The beforeDispatch hooks, between verification and the handler. */
  async function prepare(call: GatewayCall, verified: VerifiedCall): Promise<Result<VerifiedCall, AlipayError>> {
    for (const h of hooks) {
      const instead = h.beforeDispatch ? await h.beforeDispatch(call) : undefined;
      if (instead) return err(instead);
    }
    return ok(verified);
  }

  return {
    async handle(raw, traceId, startedAt, rejection) {
      const call = decode(raw, registry, traceId, startedAt, rejection, services.config.maxParams);
      const reply = await answer(call);
      for (const h of hooks) h.afterRespond?.(call, reply);
      return { call, reply };
    },
  };
}

const unwrap = (r: Result<ResponseNode, AlipayError>): ResponseNode => (r.ok ? r.value : errorNode(r.error));
