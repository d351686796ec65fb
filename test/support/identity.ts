import { residentIdCheckChar } from '../../src/domain/resident-id.js';

/** A valid 18-digit ID number (the seed's region and birth date) with the given sequence code. */
export function idNumberWithSequence(seq: string): string {
  const first17 = `26010419790927${seq}`;
  return first17 + residentIdCheckChar(first17);
}

export function identityParam(certNo = '260104197909275964', name = '收委'): string {
  return JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: name, cert_no: certNo });
}
