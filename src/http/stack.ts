/**
 * The HTTP side startGateway needs besides the services (Fastify, the contracts, prom-client …),
 * in one module: runtime.ts imports it dynamically so it loads while the store opens (and, on a
 * first start, the keys are generated off the main thread).
 */
export { createServer } from './server.js';
export { ADAPTERS, defaultRegistry, PII_KINDS } from '../families/index.js';
export { FaultInjector } from '../faults/faults.js';
export { Journal } from '../journal/journal.js';
export { Metrics } from '../metrics/metrics.js';
export { protocolModes } from '../protocol/modes/index.js';
