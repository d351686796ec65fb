import { createServer, type Server } from 'node:http';

/** A merchant's return_url endpoint on loopback: records every URL the browser lands on. */
export async function startReturnServer(): Promise<{ url: string; hits: URL[]; close(): Promise<void> }> {
  const hits: URL[] = [];
  const server: Server = createServer((req, res) => {
    const hit = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.push(hit);
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
    res.end(`<!doctype html><title>merchant</title><p id="landed">${hit.searchParams.has('sign') ? 'signed' : 'unsigned'}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/alipay/return?order=42`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
