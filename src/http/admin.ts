import type { FastifyInstance } from 'fastify';
import type { FamilyAdapter } from '../domain/family.js';
import type { Services } from '../services.js';
import { adminGuard } from './admin-auth.js';
import { registerAdminControl } from './admin-control.js';
import { registerAdminNotifications } from './admin-notifications.js';
import { registerAdminSessions } from './admin-sessions.js';

/** The token-protected /admin API: sessions per family, notifications, reset, clock and app settings. */
export function registerAdmin(app: FastifyInstance, services: Services, families: readonly FamilyAdapter[]): void {
  const guard = adminGuard(services);
  registerAdminSessions(app, services, families, guard);
  registerAdminNotifications(app, services, guard);
  registerAdminControl(app, services, guard);
}
