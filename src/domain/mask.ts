/** Masks for identity data in logs, admin views and hosted pages (PII never leaves unmasked). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function maskCertNo(certNo: string): string {
  if (certNo.length <= 8) return '*'.repeat(certNo.length);
  return certNo.slice(0, 4) + '*'.repeat(certNo.length - 8) + certNo.slice(-4);
}

export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return mobile.slice(0, 3) + '*'.repeat(mobile.length - 7) + mobile.slice(-4);
}
