import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** What came back from one POST: the status and the first bytes, or the transport error. */
export type PostResult = { status: number; head: string; latencyMs: number } | { error: string; latencyMs: number };

/** How much of the merchant's answer is read and kept; `success` needs 7 bytes. */
const HEAD_BYTES = 256;

/**
 * POSTs a form the way Alipay does (docs/alipay-openapi-v2.md §8) to an address already checked
 * against the egress rules, with one deadline over connect, send and reading the answer.
 */
export function postForm(url: URL, form: string, address: { address: string; family: 4 | 6 }, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const body = Buffer.from(form, 'utf8');
  return new Promise<PostResult>((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      lookup: pinned,
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'content-length': body.length,
        'user-agent': 'Mozilla/4.0',
        connection: 'close',
      },
    });
    const timer = setTimeout(() => req.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    const settle = (r: PostResult) => {
      clearTimeout(timer);
      resolve(r);
    };
    req.on('error', (e: NodeJS.ErrnoException) => settle({ error: e.code ?? e.message, latencyMs: elapsed() }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const head = Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString('utf8');
        settle({ status: res.statusCode ?? 0, head, latencyMs: elapsed() });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= HEAD_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });
}
