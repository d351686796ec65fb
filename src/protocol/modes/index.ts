import type { Services } from '../../services.js';
import type { GatewayHook } from '../hooks.js';
import { aesMode } from './aes.js';
import { availabilityMode } from './availability.js';
import { certificateMode } from './certificates.js';

/** The protocol modes every gateway runs with, in pipeline order (docs/alipay-openapi-v2.md §4, §5). */
export const protocolModes = (services: Services): readonly GatewayHook[] => [certificateMode(services), aesMode, availabilityMode(services)];
