import { describe, expect, it } from '@jest/globals';
import ipaddr from 'ipaddr.js';
import { carriedIPv4, isGloballyRoutable, judgeAddress } from './private-address.util.js';

describe(judgeAddress.name, () => {
  it.each([
    // IPv4 special ranges
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // native IPv6
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['64:ff9b:1::a00:1', 'rfc6052'], // local-use NAT64 prefix: never global
    ['4000::1', 'outside global unicast 2000::/3'],
    ['::', 'unspecified'],
    // IPv6 forms judged by the IPv4 address they carry
    ['::0.0.0.2', 'it carries 0.0.0.2, unspecified'],
    ['::ffff:127.0.0.1', 'it carries 127.0.0.1, loopback'],
    ['::ffff:7f00:1', 'it carries 127.0.0.1, loopback'],
    ['::ffff:169.254.169.254', 'it carries 169.254.169.254, linkLocal'],
    ['::ffff:0a00:0001', 'it carries 10.0.0.1, private'],
    ['::ffff:0:7f00:1', 'it carries 127.0.0.1, loopback'], // IPv4-translated
    ['::127.0.0.1', 'it carries 127.0.0.1, loopback'], // IPv4-compatible
    ['::a9fe:a9fe', 'it carries 169.254.169.254, linkLocal'],
    ['64:ff9b::7f00:1', 'it carries 127.0.0.1, loopback'], // NAT64
    ['64:ff9b::10.0.0.1', 'it carries 10.0.0.1, private'],
    ['2002:7f00:1::', 'it carries 127.0.0.1, loopback'], // 6to4
    ['2002:a9fe:a9fe::1', 'it carries 169.254.169.254, linkLocal'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'it carries 127.0.0.1, loopback'], // Teredo client
    ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'it carries 10.0.0.1, private'], // Teredo server
    // not an address
    ['localhost', 'not an IP address'],
    ['2130706433', 'not an IP address'],
    ['0x7f.1', 'not an IP address'],
    ['', 'not an IP address'],
  ])('refuses %s (%s)', (address, why) => expect(judgeAddress(address)).toEqual({ routable: false, why }));

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '[2a00:1450:4001:81c::200e]',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo, client 8.8.8.8
  ])('allows %s', (address) => {
    expect(judgeAddress(address)).toEqual({ routable: true });
    expect(isGloballyRoutable(address)).toBe(true);
  });
});

describe(carriedIPv4.name, () => {
  const carried = (text: string) => carriedIPv4(ipaddr.IPv6.parse(text)).map(String);

  it('unwraps every translation and tunnelling form', () => {
    expect(carried('::ffff:1.2.3.4')).toEqual(['1.2.3.4']);
    expect(carried('::ffff:0:1.2.3.4')).toEqual(['1.2.3.4']);
    expect(carried('::1.2.3.4')).toEqual(['1.2.3.4']);
    expect(carried('64:ff9b::1.2.3.4')).toEqual(['1.2.3.4']);
    expect(carried('2002:102:304:1::5')).toEqual(['1.2.3.4']);
    // RFC 4380's example: server 65.54.227.120, client 192.0.2.45 (port 40000).
    expect(carried('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toEqual(['65.54.227.120', '192.0.2.45']);
  });

  it('finds nothing in a native address', () => {
    expect(carried('2606:4700::1111')).toEqual([]);
    expect(carried('fe80::1')).toEqual([]);
  });
});
