/**
 * The reference point of the benchmark: the least a gateway can do per call on `node:http` — read
 * the form, verify the app's signature, sign a small node, answer. No database, no validation, no
 * journal. Started by bench/gateway.ts on the server core; its share of the crypto floor says what
 * the runtime itself costs, so aopgate's own overhead is the difference.
 *
 *   node --import tsx bench/bare-server.ts <port> <apps.json: {app_id: public key PEM}>
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, appsFile] = process.argv.slice(2);
const appKeys = new Map<string, KeyObject>(
  Object.entries(JSON.parse(readFileSync(appsFile!, 'utf8')) as Record<string, string>).map(([id, pem]) => [id, createPublicKey(pem)]),
);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platformKey = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));

function answer(body: string): string {
  const params = new URLSearchParams(body);
  const method = params.get('method') ?? 'error';
  const node = `${method.replaceAll('.', '_')}_response`;
  const key = appKeys.get(params.get('app_id') ?? '');
  const content = [...params.keys()]
    .filter((k) => k !== 'sign' && params.get(k)!.trim() !== '')
    .sort()
    .map((k) => `${k}=${params.get(k)}`)
    .join('&');
  const ok = key !== undefined && verify('sha256', Buffer.from(content), key, Buffer.from(params.get('sign') ?? '', 'base64'));
  const json = ok
    ? `{"code":"10000","msg":"Success","biz_no":"ZM${randomBytes(12).toString('hex')}"}`
    : '{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}';
  return `{"${node}":${json},"sign":"${sign('sha256', Buffer.from(json), platformKey).toString('base64')}"}`;
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
    res.end(answer(Buffer.concat(chunks).toString('utf8')));
  });
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
