import dns from 'node:dns';
import net from 'node:net';
import { config } from '../../config.js';

/*
 * The SSRF guard of host webhooks: a host chooses the URL, the server makes the request, so the
 * URL must not reach our own network. http(s) only; every address the name resolves to must be
 * public (private, loopback, link-local, CGNAT, multicast, reserved; IPv4 and IPv6, IPv4 inside
 * IPv6 unwrapped) unless WEBHOOK_ALLOW_PRIVATE_URLS=true. The check runs when the endpoint is saved
 * and again inside the connection's own DNS lookup at send time, so a name that later rebinds to a
 * private address is refused on the very connection that would have used it.
 */
export class UnsafeUrl extends Error {}

const blocked = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net4, bits, 'ipv4');
for (const [net6, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32],
  ['100::', 64], ['2001::', 23],
] as const) blocked.addSubnet(net6, bits, 'ipv6');

/** The 8 groups of an IPv6 address (with `::` and a trailing dotted quad expanded). */
function groups6(address: string): number[] {
  let a = address.split('%')[0]!.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (quad) {
    const p = quad[1]!.split('.').map(Number);
    a = a.slice(0, -quad[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? a.split('::') as [string, string] : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(address: string): string | null {
  const g = groups6(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** True for an address a webhook must not reach (see the ranges above). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const inner = embeddedV4(address);
  return (inner !== null && blocked.check(inner, 'ipv4')) || blocked.check(address, 'ipv6');
}

const allowPrivate = (): boolean => config().WEBHOOK_ALLOW_PRIVATE_URLS;

/** The URL's syntax: absolute http(s), no credentials. Throws UnsafeUrl with the reason. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl('must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeUrl('must be an http or https URL');
  if (url.username || url.password) throw new UnsafeUrl('must not contain credentials');
  if (!url.hostname) throw new UnsafeUrl('must name a host');
  return url;
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** Resolves the URL's host and refuses it when any address is private (unless allowed). */
export async function assertPublicUrl(raw: string): Promise<URL> {
  const url = parseWebhookUrl(raw);
  const host = bare(url.hostname);
  const addresses = net.isIP(host) ? [host]
    : await dns.promises.lookup(host, { all: true, verbatim: true }).then((r) => r.map((a) => a.address), () => {
      throw new UnsafeUrl('does not resolve');
    });
  if (!allowPrivate() && addresses.some(isPrivateAddress)) throw new UnsafeUrl('resolves to a private, loopback or link-local address');
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * The DNS lookup the sending connection uses: the same check, on the addresses it will connect to
 * (literal IPs never reach a lookup, so send() checks those itself through assertPublicUrl).
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as dns.LookupAddress[];
    if (!allowPrivate() && list.some((a) => isPrivateAddress(a.address))) {
      return callback(Object.assign(new UnsafeUrl(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), []);
    }
    if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}
