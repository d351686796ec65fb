import type { TestApp } from '../support/client.js';
import { rawDb } from '../support/db.js';
import type { TestGateway } from '../support/harness.js';

/** What a scenario hands back: the answered node (code, sub_code) and whether it was signed. */
export interface ScenarioResult {
  node: Record<string, unknown>;
  signatureValid: boolean;
}

/** Drives one declared business sub_code of one method, over HTTP. */
export type Scenario = (gw: TestGateway, app: TestApp) => Promise<ScenarioResult>;

/** Method → declared sub_code → the scenario that reaches it. */
export type ScenarioTable = Record<string, Record<string, Scenario>>;

/** Damages a stored session's sealed identity, as a changed AOPGATE_SECRET_KEY would. */
export const corrupt = (gw: TestGateway, externalId: string) =>
  rawDb(gw.services.store)
    .updateTable('verification_sessions')
    .set({ identity_sealed: 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
    .where('external_id', '=', externalId)
    .execute();

/** A unique merchant reference (transaction_id, biz_id, outer_order_no) of at most 32 characters. */
export const uniqueRef = (prefix: string) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e9)}`.slice(0, 32);
