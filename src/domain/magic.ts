/**
 * Sandbox outcomes decided by the identity itself, so API-only tests need no browser
 * (documented in docs/magic-values.md). The key is the 3-digit sequence code of an 18-character
 * ID number (positions 15–17, just before the check character); any other number is decided
 * by the person on the hosted page or by the admin API.
 */
/** `refuse`: the initialize call itself fails with its BIZ_ERROR, so merchants can test that branch. */
export type MagicOutcome = { kind: 'pass' } | { kind: 'fail'; reason: string } | { kind: 'hold' } | { kind: 'refuse' };

export const MAGIC_SEQUENCES: Readonly<Record<string, MagicOutcome>> = {
  '990': { kind: 'pass' },
  '991': { kind: 'fail', reason: '人脸比对不一致' },
  '992': { kind: 'fail', reason: '身份信息与公安数据不一致' },
  '993': { kind: 'fail', reason: '活体检测未通过' },
  '994': { kind: 'fail', reason: '用户取消认证' },
  '998': { kind: 'refuse' },
  '999': { kind: 'hold' },
};

export function magicOutcome(certNo: unknown): MagicOutcome | undefined {
  if (typeof certNo !== 'string' || certNo.length !== 18) return undefined;
  return MAGIC_SEQUENCES[certNo.slice(14, 17)];
}

/** Whether initialize must refuse this identity (sequence 998). */
export const refusedAtInitialize = (certNo: unknown): boolean => magicOutcome(certNo)?.kind === 'refuse';
