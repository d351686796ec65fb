import { test } from 'node:test';
import type { AopClient, RequestOf, ResponseOf } from '../src/client/index.js';

/** Compile-time checks (run by `npm run typecheck`): requests and answers are typed from the contracts. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(_proof: T) => undefined;

// Never called: only the compiler reads it.
export async function typeChecks(client: AopClient): Promise<void> {
  // @ts-expect-error a field name the contract does not have
  await client.call('zhima.customer.certification.query', { biz_number: 'ZM1' });
  // @ts-expect-error a field of the wrong type
  await client.call('zhima.customer.certification.query', { biz_no: 42 });
  // @ts-expect-error a method that is not in CONTRACTS
  await client.call('alipay.trade.pay', {});
  // @ts-expect-error pageUrl is for page methods only
  await client.pageUrl('zhima.customer.certification.query', { biz_no: 'ZM1' });

  // JSON-in-JSON fields take a string or an object.
  const asText: RequestOf<'alipay.user.certify.open.initialize'>['identity_param'] = '{"identity_type":"CERT_INFO"}';
  const asObject: RequestOf<'alipay.user.certify.open.initialize'>['identity_param'] = { identity_type: 'CERT_INFO' };
  void asText;
  void asObject;

  const init = await client.call('zhima.customer.certification.initialize', {
    transaction_id: 'T1',
    product_code: 'w1010100000000002978',
    biz_code: 'FACE',
    identity_param: { identity_type: 'CERT_INFO' },
  });
  const bizNo: string = init.biz_no;
  void bizNo;
  expectType<Equal<typeof init, ResponseOf<'zhima.customer.certification.initialize'>>>(true);
  expectType<Equal<typeof init.code, '10000'>>(true);
  // @ts-expect-error the answer has no such field
  void init.certify_id;

  const token = await client.call('alipay.open.auth.token.app', { grant_type: 'refresh_token', refresh_token: 'r' });
  const answerShape: { app_auth_token: string; expires_in: number; tokens: Array<{ auth_app_id: string }> } = token;
  void answerShape;
}

test('client types are checked by tsc (this file is in tsconfig.json include)', () => undefined);
