import { linux as C } from "../../constants/mod.ts";
import { SocketError } from "../../errno/mod.ts";
import { bufferSize } from "./_dgram_options.ts";
import { inAddrBytes, intBytes, intValue, ipv4At, isMulticast4 } from "./_opt_common.ts";
import { assertEquals, assertThrows } from "@std/assert";

Deno.test("intValue(): 4 bytes; IPPROTO_IP also takes one; others refuse a short value with EINVAL", () => {
  assertEquals(intValue(C.SOL_SOCKET, new Uint8Array([5, 0, 0, 0, 9, 9, 9, 9])), 5);
  assertEquals(intValue(C.IPPROTO_IP, new Uint8Array([7])), 7);
  assertEquals(intValue(C.IPPROTO_IP, new Uint8Array(0)), 0);
  const err = assertThrows(() => intValue(C.IPPROTO_TCP, new Uint8Array([1, 0])), SocketError);
  assertEquals(err.code, "EINVAL");
});

Deno.test("intBytes(): as many bytes as asked, up to 4; IPPROTO_IP answers one for a small value", () => {
  assertEquals(intBytes(C.SOL_SOCKET, 1, 8), new Uint8Array([1, 0, 0, 0]));
  assertEquals(intBytes(C.SOL_SOCKET, 1, 1), new Uint8Array([1]));
  assertEquals(intBytes(C.IPPROTO_IP, 64, 2), new Uint8Array([64]));
  assertEquals(intBytes(C.IPPROTO_IP, 300, 2), new Uint8Array([44, 1]));
  assertEquals(intBytes(C.SOL_SOCKET, 1, 0), new Uint8Array(0));
});

Deno.test("bufferSize(): doubled, capped by the sysctl, at least the minimum (as sock_setsockopt)", () => {
  assertEquals(bufferSize(100000, 212992, 2304), 200000);
  assertEquals(bufferSize(1, 212992, 2304), 2304);
  assertEquals(bufferSize(1e9, 4194304, 2304), 8388608);
  assertEquals(bufferSize(-5, 4194304, 4608), 8388608); // an unsigned huge value
});

Deno.test("IPv4 helpers", () => {
  assertEquals(ipv4At(new Uint8Array([9, 224, 0, 0, 251]), 1), "224.0.0.251");
  assertEquals(inAddrBytes("127.0.0.1", 8), new Uint8Array([127, 0, 0, 1]));
  assertEquals([isMulticast4("239.255.255.250"), isMulticast4("240.0.0.1")], [true, false]);
});
