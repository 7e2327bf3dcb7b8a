/**
 * Option values as bytes, the way Linux reads and writes them: an `int`
 * setsockopt needs 4 bytes (`EINVAL` otherwise; IPPROTO_IP also takes one
 * byte), a getsockopt answers with as many bytes as asked for, up to 4
 * (IPPROTO_IP answers one byte for a small value asked with fewer than 4).
 *
 * @module
 */
import { linux as C } from "../../constants/mod.ts";
import { EINVAL } from "../../errno/mod.ts";
import { fail } from "./_errors.ts";

/** The `int` value of a setsockopt, or `EINVAL` as Linux gives it for a short value. */
export function intValue(level: number, value: Uint8Array): number {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  if (value.byteLength >= 4) return view.getInt32(0, true);
  if (level === C.IPPROTO_IP) return value.byteLength >= 1 ? value[0] : 0;
  throw fail(EINVAL, "setsockopt");
}

/** The bytes getsockopt gives for an `int` option asked with `size` bytes of room. */
export function intBytes(level: number, value: number, size: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  if (level === C.IPPROTO_IP && size > 0 && size < 4 && value >= 0 && value <= 255) {
    return out.subarray(0, 1);
  }
  return out.subarray(0, Math.max(0, Math.min(size, 4)));
}

/** The 4 bytes of an IPv4 address in `value` at `offset`, as text. */
export function ipv4At(value: Uint8Array, offset: number): string {
  return Array.from(value.subarray(offset, offset + 4)).join(".");
}

/** An IPv4 address as the 4 bytes of an `in_addr`, cut to `size` bytes of room. */
export function inAddrBytes(address: string, size: number): Uint8Array {
  const out = new Uint8Array(address.split(".").map(Number));
  return out.subarray(0, Math.max(0, Math.min(size, 4)));
}

/** Whether an IPv4 address (text) is multicast, 224.0.0.0/4. */
export function isMulticast4(address: string): boolean {
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}
