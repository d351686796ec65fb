import { randomInt } from 'node:crypto';
import { freshRandom } from '../crypto/random.js';
import { formatShanghaiTimestamp } from './clock.js';

function digits(n: number): string {
  let out = '';
  while (out.length < n) out += randomInt(0, 1e9).toString().padStart(9, '0');
  return out.slice(0, n);
}

/** `ZM` + yyyyMMdd + 22 random digits = exactly 32 characters, the shape of real biz_no values. */
export function newBizNo(now: number): string {
  return `ZM${formatShanghaiTimestamp(now).slice(0, 10).replaceAll('-', '')}${digits(22)}`;
}

/** 32 lowercase hex characters, the shape of Alipay trace ids and token ids. */
export function newHexId(): string {
  return freshRandom(16).toString('hex');
}
