import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AopError, ClientCodes } from './errors.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpCall {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
}

/** Keep-alive agents: one TLS/TCP handshake per connection, not per call. */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** One request over node:http(s), the body read whole as bytes (its signature covers bytes, not text). */
export function send(call: HttpCall): Promise<HttpAnswer> {
  const secure = call.url.protocol === 'https:';
  const headers = { ...call.headers, ...(call.body ? { 'content-length': String(call.body.length) } : {}) };
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(call.url, { method: call.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => reject(new AopError(`response from ${call.url.host} failed: ${e.message}`, { code: ClientCodes.http }, { cause: e })));
    });
    req.setTimeout(call.timeoutMs, () =>
      req.destroy(new AopError(`no answer from ${call.url.host} within ${call.timeoutMs} ms`, { code: ClientCodes.timeout })),
    );
    req.on('error', (e) =>
      reject(e instanceof AopError ? e : new AopError(`request to ${call.url.host} failed: ${e.message}`, { code: ClientCodes.http }, { cause: e })),
    );
    req.end(call.body);
  });
}

export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
