import { parseArgs } from 'node:util';
import { generateRsaKeyPair } from '../crypto/rsa.js';
import { ensurePlatformCertificate } from '../domain/platform-ca.js';
import { withServices } from './args.js';

/**
 * `platform rotate-key`: a new platform ("Alipay") key pair and its certificate. Running servers
 * pick it up at their next start; certificates of former keys stay downloadable by SN.
 */
export async function platformRotateKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
  return withServices(values.data, async (services) => {
    const before = services.platform.certSn;
    const keys = await generateRsaKeyPair();
    await services.store.replacePlatformKeys(keys);
    services.platform = { ...services.platform, publicKeyPem: keys.publicKeyPem, certSn: undefined };
    await ensurePlatformCertificate(services);
    const out = { alipay_public_key: keys.publicKeyPem, alipay_cert_sn: services.platform.certSn, previous_alipay_cert_sn: before };
    console.log(values.json ? JSON.stringify(out) : `new alipay_cert_sn ${out.alipay_cert_sn} (was ${before})\nalipay public key:\n${keys.publicKeyPem}`);
    return 0;
  });
}
