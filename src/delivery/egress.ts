import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Where a notify URL may be delivered: the address to connect to, or why not. */
export type Destination = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

/**
 * The operator's deny-list (AOPGATE_NOTIFY_DENY): a URL is refused when any address its host
 * resolves to lies in a denied range. The connection then goes to the address that was checked,
 * so a second DNS answer cannot point it elsewhere (DNS rebinding).
 */
export class EgressRules {
  readonly #deny = new BlockList();
  readonly #ranges: string[];

  constructor(cidrs: string) {
    this.#ranges = cidrs
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const range of this.#ranges) {
      const [net, bits] = range.split('/');
      const family = isIP(net ?? '');
      const prefix = Number(bits ?? (family === 6 ? 128 : 32));
      if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`AOPGATE_NOTIFY_DENY: ${range} is not a CIDR range`);
      this.#deny.addSubnet(net!, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  async resolve(url: URL): Promise<Destination> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not http(s)` };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
    } catch (e) {
      return { ok: false, reason: `cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
    }
    const denied = addresses.find((a) => this.#denies(a.address, a.family));
    if (denied) return { ok: false, reason: `denied: ${host} resolves to ${denied.address}, inside AOPGATE_NOTIFY_DENY` };
    const first = addresses[0];
    if (!first) return { ok: false, reason: `cannot resolve ${host}` };
    return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  #denies(address: string, family: number): boolean {
    if (this.#ranges.length === 0) return false;
    if (family === 6) {
      // ::ffff:10.0.0.1 is 10.0.0.1: an IPv4 rule must catch its IPv6-mapped spelling too.
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      if (mapped) return this.#deny.check(mapped[1]!, 'ipv4');
      return this.#deny.check(address, 'ipv6');
    }
    return this.#deny.check(address, 'ipv4');
  }
}
