import type { FastifyInstance } from 'fastify';
import type { FamilyAdapter } from '../domain/family.js';
import { refresh } from '../domain/verification.js';
import type { Services } from '../services.js';

/**
 * QR images of QRCODE-mode authentications: /qrcode/{token_id}.png|.svg encode the hosted page
 * URL. Past its qrcode_expired_time the image is gone (410) and a scan of an old print shows
 * the page's "expired" screen.
 */
export function registerQrCodes(app: FastifyInstance, services: Services, families: readonly FamilyAdapter[]): void {
  const withQr = families.filter((f) => f.qrCodes).map((f) => f.family);
  app.get<{ Params: { file: string } }>('/qrcode/:file', async (req, reply) => {
    const m = /^([0-9a-f]{32})\.(png|svg)$/.exec(req.params.file);
    if (!m) return reply.status(404).send({ error: 'not found' });
    let session;
    for (const family of withQr) session ??= await services.store.findSession(family, { externalId: m[1] });
    if (!session || session.scene !== 'QRCODE') return reply.status(404).send({ error: 'not found' });
    const current = await refresh(services, session);
    if (current.state === 'EXPIRED') return reply.status(410).send({ error: 'qrcode expired' });
    // qrcode (and its PNG encoder) loads on the first image asked for, not at every start.
    const { renderQr } = await import('../domain/qr.js');
    const image = await renderQr(`${services.publicUrl}/verify/${current.id}`, m[2] as 'png' | 'svg');
    return reply.header('content-type', image.contentType).header('cache-control', 'no-store').send(image.body);
  });
}
