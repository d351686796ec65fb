import QRCode from 'qrcode';

export type QrFormat = 'png' | 'svg';

/** Renders a QR code of `content`; error correction M keeps long verification URLs scannable. */
export async function renderQr(content: string, format: QrFormat): Promise<{ body: Buffer; contentType: string }> {
  if (format === 'svg') {
    const svg = await QRCode.toString(content, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { body: Buffer.from(svg, 'utf8'), contentType: 'image/svg+xml' };
  }
  const png = await QRCode.toBuffer(content, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
  return { body: png, contentType: 'image/png' };
}
