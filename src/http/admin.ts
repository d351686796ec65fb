import type { FastifyInstance } from 'fastify';
import type { FamilyAdapter } from '../domain/family.js';
import type { FaultInjector } from '../faults/faults.js';
import type { Journal } from '../journal/journal.js';
import { registerAdminApps } from './admin-apps.js';
import { registerAdminObserve } from './admin-observe.js';
import type { Services } from '../services.js';
import { adminGuard } from './admin-auth.js';
import { registerAdminControl } from './admin-control.js';
import { registerAdminNotifications } from './admin-notifications.js';
import { registerAdminSessions } from './admin-sessions.js';

/** The token-protected /admin API: sessions per family, journal, faults, notifications, reset, clock and app settings. */
export function registerAdmin(
  app: FastifyInstance,
  services: Services,
  parts: { families: readonly FamilyAdapter[]; journal: Journal; faults: FaultInjector },
): void {
  const guard = adminGuard(services);
  registerAdminSessions(app, services, parts.families, guard);
  registerAdminObserve(app, services, guard, parts.journal, parts.faults);
  registerAdminApps(app, services, parts.families, guard);
  registerAdminNotifications(app, services, guard);
  registerAdminControl(app, services, guard);
}
