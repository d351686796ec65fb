import { residentIdCheckChar } from '../../src/contracts/resident-id.js';

/** The seed document's example person: every PII test looks for these exact strings. */
export const SEED_NAME = '收委';
export const SEED_CERT_NO = '260104197909275964';
/** The risk seed's example phone number (inside principal_info.params). */
export const SEED_MOBILE = '13195912301';

/** A valid 18-digit ID number (the seed's region and birth date) with the given sequence code. */
export function idNumberWithSequence(seq: string): string {
  const first17 = `26010419790927${seq}`;
  return first17 + residentIdCheckChar(first17);
}

export function identityParam(certNo = SEED_CERT_NO, name = SEED_NAME): string {
  return JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: name, cert_no: certNo });
}
