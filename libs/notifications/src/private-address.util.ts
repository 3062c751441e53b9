import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const ipv4FromWords = (high: number, low: number): ipaddr.IPv4 => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 addresses an IPv6 address stands for: IPv4-mapped (`::ffff:0:0/96`), IPv4-translated
 * (`::ffff:0:0:0/96`), IPv4-compatible (`::/96`), NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`, the
 * relay's address) and Teredo (`2001::/32`, server and client). Empty for any other address.
 */
export const carriedIPv4 = (address: ipaddr.IPv6): ipaddr.IPv4[] => {
  const words = address.parts;
  const range: string = address.range();
  if (address.isIPv4MappedAddress()) return [address.toIPv4Address()];
  if (range === 'rfc6145' || address.match(NAT64_WELL_KNOWN)) return [ipv4FromWords(words[6]!, words[7]!)];
  if (range === '6to4') return [ipv4FromWords(words[1]!, words[2]!)];
  // Teredo: 2001:0:<server>:<flags>:<port ^ 0xffff>:<client ^ 0xffffffff>.
  if (range === 'teredo') return [ipv4FromWords(words[2]!, words[3]!), ipv4FromWords(words[6]! ^ 0xffff, words[7]! ^ 0xffff)];
  // IPv4-compatible (deprecated, RFC 4291): `::a.b.c.d`, except `::` and `::1`, which are judged as IPv6.
  if (range !== 'unspecified' && range !== 'loopback' && words.slice(0, 6).every((word) => word === 0))
    return [ipv4FromWords(words[6]!, words[7]!)];
  return [];
};

export type AddressVerdict = { routable: true } | { routable: false; why: string };

/**
 * Whether an IP address (v4 or v6, brackets allowed) may be a webhook target: globally routable
 * unicast after canonical parsing by ipaddr.js. An IPv6 form that carries IPv4 addresses is judged
 * by every address it carries; a native IPv6 address must also be in global unicast `2000::/3`.
 * Anything that is not an IP address literal is refused.
 */
export const judgeAddress = (text: string): AddressVerdict => {
  const literal = text.replace(/^\[|\]$/g, '');
  // net.isIP is strict (dotted quads only), so the address judged is the one a socket connects to.
  if (!isIP(literal)) return { routable: false, why: 'not an IP address' };
  const address = ipaddr.parse(literal);
  if (address instanceof ipaddr.IPv4) {
    const range = address.range();
    return range === 'unicast' ? { routable: true } : { routable: false, why: range };
  }
  const carried = carriedIPv4(address as ipaddr.IPv6);
  if (carried.length > 0) {
    const refused = carried.find((ipv4) => ipv4.range() !== 'unicast');
    return refused ? { routable: false, why: `it carries ${refused.toString()}, ${refused.range()}` } : { routable: true };
  }
  const range: string = address.range();
  if (range !== 'unicast') return { routable: false, why: range };
  if (!address.match(GLOBAL_UNICAST_V6)) return { routable: false, why: 'outside global unicast 2000::/3' };
  return { routable: true };
};

/** True when the address is globally routable (see judgeAddress). */
export const isGloballyRoutable = (text: string): boolean => judgeAddress(text).routable;
