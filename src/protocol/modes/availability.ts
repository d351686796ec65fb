import { GatewayErrors as E } from '../../errors/gateway-errors.js';
import type { Services } from '../../services.js';
import type { GatewayHook } from '../hooks.js';

/**
 * While the database is unreachable (a query failed; the health probe has not succeeded since),
 * a verified call is answered at once with a signed `20000 isp.unknow-error` — the app's key comes
 * from memory — instead of waiting on timeouts again; service resumes when the probe succeeds.
 */
export function availabilityMode(services: Services): GatewayHook {
  return {
    name: 'availability',
    beforeDispatch: () => (services.store.healthy() ? undefined : E.unknownError),
  };
}
