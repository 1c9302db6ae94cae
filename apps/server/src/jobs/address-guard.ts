import { BlockList, isIP } from 'node:net';

/**
 * Addresses a callback must never reach unless allow-listed: loopback, private, CGNAT,
 * link-local (which holds the cloud metadata service at 169.254.169.254), multicast and
 * reserved ranges, for IPv4 and IPv6 (IPv4-mapped IPv6 is unwrapped first).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** LOUPE_CALLBACK_ALLOW: hostnames, IPs or CIDRs. */
export class CallbackAllowList {
  private readonly hosts = new Set<string>();
  private readonly addresses = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [net, prefix] = entry.split('/');
      const family = isIP(net ?? '');
      if (family === 0) this.hosts.add(entry.toLowerCase());
      else if (prefix)
        this.addresses.addSubnet(net!, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      else this.addresses.addAddress(net!, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    const a = unmapped(address);
    return this.addresses.check(a.address, a.family);
  }
}

export function isPublicAddress(address: string): boolean {
  const a = unmapped(address);
  return !blocked.check(a.address, a.family);
}
