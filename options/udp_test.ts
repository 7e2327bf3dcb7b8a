import { assertEquals, assertThrows } from "@std/assert";
import { linux } from "../constants/linux.ts";
import { decodeOption, encodeOption, resolveOption } from "./registry.ts";
import {
  groSegmentSize,
  GSO_SIZE_MAX,
  setUdpGro,
  setUdpSegment,
  udpSegmentAncillary,
} from "./udp.ts";

const linuxHost = Deno.build.os === "linux";

/** A stand-in socket that records what is set. */
function recorder(): { set: unknown[][]; setsockopt: () => void; getsockopt: () => unknown } {
  const set: unknown[][] = [];
  return {
    set,
    setsockopt: (...args: unknown[]) => void set.push(args),
    getsockopt: () => 0,
  } as never;
}

Deno.test({
  name: "UDP_SEGMENT and UDP_GRO are in the registry with typed codecs",
  ignore: !linuxHost,
  fn() {
    const seg = resolveOption("IPPROTO_UDP", "UDP_SEGMENT");
    assertEquals([seg.level, seg.name, seg.codec.name], [17, linux.UDP_SEGMENT, "gso_size"]);
    assertEquals([...encodeOption(seg, 1400)], [0x78, 5, 0, 0]);
    assertEquals(decodeOption(seg, new Uint8Array([0x78, 5, 0, 0])), 1400);
    assertThrows(() => encodeOption(seg, 65536), RangeError, "IPPROTO_UDP/UDP_SEGMENT");
    const gro = resolveOption("SOL_UDP", "UDP_GRO");
    assertEquals([gro.name, gro.codec.name], [linux.UDP_GRO, "bool"]);
    assertEquals(resolveOption(17, 103).optionName, "UDP_SEGMENT");
  },
});

Deno.test({
  name: "setUdpSegment() and setUdpGro() check their values before any call",
  ignore: !linuxHost,
  fn() {
    const sock = recorder();
    setUdpSegment(sock as never, 0);
    setUdpSegment(sock as never, GSO_SIZE_MAX);
    setUdpGro(sock as never);
    setUdpGro(sock as never, false);
    assertEquals(sock.set, [[17, 103, 0], [17, 103, 65535], [17, 104, true], [17, 104, false]]);
    assertThrows(() => setUdpSegment(sock as never, 65536), RangeError, "65536");
    assertThrows(() => setUdpSegment(sock as never, 1.5), RangeError, "1.5");
    assertThrows(() => setUdpSegment(sock as never, "1400" as never), TypeError, '"1400"');
    assertThrows(() => setUdpGro(sock as never, 2 as never), RangeError, "2");
    assertEquals(sock.set.length, 4);
  },
});

Deno.test({
  name: "udpSegmentAncillary() is a SOL_UDP/UDP_SEGMENT item with a u16",
  ignore: !linuxHost,
  fn() {
    const item = udpSegmentAncillary(1472);
    assertEquals(item, { level: 17, type: 103, data: new Uint8Array([0xc0, 0x05]) });
    assertThrows(() => udpSegmentAncillary(-1), RangeError, "-1");
    assertThrows(() => udpSegmentAncillary(null as never), TypeError, "null");
  },
});

Deno.test({
  name: "groSegmentSize() reads the UDP_GRO item's int and skips the others",
  ignore: !linuxHost,
  fn() {
    const gro = (n: number) => {
      const data = new Uint8Array(4);
      new DataView(data.buffer).setInt32(0, n, true);
      return { level: 17, type: 104, data };
    };
    assertEquals(groSegmentSize([gro(1400)]), 1400);
    assertEquals(groSegmentSize([{ level: 0, type: 104, data: new Uint8Array(4) }, gro(9)]), 9);
    assertEquals(groSegmentSize([{ level: 17, type: 104, data: new Uint8Array(2) }]), undefined);
    assertEquals(groSegmentSize([{ level: 17, type: 103, data: new Uint8Array(4) }]), undefined);
    assertEquals(groSegmentSize([]), undefined);
    assertThrows(() => groSegmentSize(null as never), TypeError, "null");
  },
});
