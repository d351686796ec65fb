import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { SecretBox } from './crypto/secretbox.js';
import type { Clock, GatewayClock } from './domain/clock.js';
import type { Store } from './store/store.js';

/** The platform ("Alipay") key pair: signs every response; merchants configure its public key. */
export interface PlatformKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** SN of the platform certificate of this key (certificate mode, docs/alipay-openapi-v2.md §5). */
  certSn?: string;
}

/** What one worker changes that every other worker holds in memory. */
export type PeerChange = 'clock' | 'faults';

/** Everything a request needs, built once at boot and passed down (no module singletons). */
export interface Services {
  config: Config;
  store: Store;
  box: SecretBox;
  clock: Clock;
  /** The adjustable clock behind `clock` (/admin/clock). */
  time: GatewayClock;
  /** Tells the delivery worker a notification is queued; a no-op until one runs. */
  wakeDelivery: () => void;
  /**
   * Tells the other processes serving this port (`serve --workers`) that the clock or the fault
   * rules changed, and resolves once they have re-read them; at once in a single process.
   */
  announce: (change: PeerChange) => Promise<void>;
  platform: PlatformKey;
  log: Logger;
  /** aopgate's certificate root (certificate mode), once ensured at boot. */
  caRoot?: { certPem: string; sn: string };
  /** Base URL handed to browsers (hosted page, QR codes): config.publicUrl, else set once listening. */
  publicUrl: string;
}
