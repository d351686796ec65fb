import { createServer, type Server } from 'node:http';

/** One POST as the merchant's notify endpoint received it. */
export interface ReceivedNotification {
  form: Record<string, string>;
  contentType: string | undefined;
  /** Order of arrival, from 0. */
  seq: number;
}

/** What the receiver answers a notification with: a body, or `stall` to never answer. */
export type Answer = string | { status: number; body: string } | 'stall';

/**
 * A merchant's notify_url on loopback: parses each form POST and answers it (`success` unless told
 * otherwise), so tests see exactly what a merchant's server would.
 */
export async function startNotifyReceiver(answer: (n: ReceivedNotification) => Answer = () => 'success', port = 0) {
  const received: ReceivedNotification[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const n = { form, contentType: req.headers['content-type'], seq: received.length };
      received.push(n);
      for (const w of waiters.splice(0)) w();
      const a = answer(n);
      if (a === 'stall') return;
      const { status, body } = typeof a === 'string' ? { status: 200, body: a } : a;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${bound}/alipay/notify`,
    received,
    /** Resolves once `count` notifications have arrived; rejects after `ms` (a hang guard, not a timing). */
    async waitFor(count: number, ms = 10_000): Promise<ReceivedNotification[]> {
      const deadline = Date.now() + ms;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
