import { parseArgs } from 'node:util';
import { UsageError } from './args.js';

/**
 * `aopgate clock [show | advance 25h | set "2026-01-01 00:00:00" | reset]`: asks the running
 * server (its clock lives in the process), at --url or AOPGATE_URL, with AOPGATE_ADMIN_TOKEN.
 */
export async function clock(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' }, token: { type: 'string' } } });
  const [action = 'show', value] = positionals;
  const command = clockCommand(action, value);
  const base = values.url ?? process.env.AOPGATE_URL ?? `http://127.0.0.1:${process.env.AOPGATE_PORT || 8080}`;
  const token = values.token ?? process.env.AOPGATE_ADMIN_TOKEN;
  if (!token) throw new UsageError('the admin token is needed: --token or AOPGATE_ADMIN_TOKEN');
  const res = await fetch(new URL('/admin/clock', base), {
    method: command ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(command ? { body: JSON.stringify(command) } : {}),
  });
  const answer = (await res.json()) as { now?: string; error?: string };
  if (!res.ok) throw new UsageError(`${base}: ${res.status} ${answer.error ?? ''}`.trim());
  console.log(answer.now);
  return 0;
}

function clockCommand(action: string, value: string | undefined): Record<string, unknown> | undefined {
  if (action === 'show') return undefined;
  if (action === 'reset') return { reset: true };
  if ((action === 'advance' || action === 'set') && value) return { [action]: value };
  throw new UsageError('usage: aopgate clock [show | advance DURATION | set "yyyy-MM-dd HH:mm:ss" | reset]');
}
