import type { GatewayHook } from '../hooks.js';
import { aesMode } from './aes.js';

/** The protocol modes every gateway runs with, in pipeline order (docs/alipay-openapi-v2.md §4, §5). */
export const PROTOCOL_MODES: readonly GatewayHook[] = [aesMode];
