/**
 * The control part of a struct msghdr: cmsg(3) items packed and unpacked for
 * sendmsg/recvmsg on Linux x86-64 (sizes checked against the headers by
 * tests/ffi_layout_test.ts). The header itself is `MsgHdr`, in sys.ts beside the
 * calls that take it.
 *
 * @module
 */
import type { Ancillary } from "../_backend.ts";
import { linuxSys as K } from "./_libc.ts";

const ALIGN = 8;

function align(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/** `CMSG_SPACE(n)`: bytes one item with an `n`-byte payload takes in a control buffer. */
export function cmsgSpace(n: number): number {
  return K.CMSGHDR_SIZE + align(n);
}

/** `CMSG_LEN(n)`: the `cmsg_len` of an item with an `n`-byte payload. */
export function cmsgLen(n: number): number {
  return K.CMSGHDR_SIZE + n;
}

/** Bytes ancillary items take in a control buffer (the `CMSG_SPACE` of each). */
export function ancillarySpace(items: readonly Ancillary[]): number {
  let size = 0;
  for (const item of items) size += cmsgSpace(item.data.byteLength);
  return size;
}

/**
 * Packs ancillary items as cmsg(3) headers and data into `out` from `at`, the
 * padding zeroed; `view` is a DataView over the same bytes as `out`.
 *
 * @returns Where the items end.
 */
export function encodeAncillaryInto(
  out: Uint8Array,
  view: DataView,
  at: number,
  items: readonly Ancillary[],
): number {
  for (const item of items) {
    const len = item.data.byteLength;
    view.setBigUint64(at, BigInt(cmsgLen(len)), true);
    view.setInt32(at + 8, item.level, true);
    view.setInt32(at + 12, item.type, true);
    out.set(item.data, at + K.CMSGHDR_SIZE);
    out.fill(0, at + K.CMSGHDR_SIZE + len, at + cmsgSpace(len));
    at += cmsgSpace(len);
  }
  return at;
}

/** Packs ancillary items into a new control buffer. */
export function encodeAncillary(items: readonly Ancillary[]): Uint8Array {
  const out = new Uint8Array(ancillarySpace(items));
  encodeAncillaryInto(out, new DataView(out.buffer), 0, items);
  return out;
}

/** Unpacks the first `length` bytes of a control buffer. */
export function decodeAncillary(control: Uint8Array, length: number): Ancillary[] {
  const items: Ancillary[] = [];
  const view = new DataView(control.buffer, control.byteOffset, control.byteLength);
  let off = 0;
  while (off + K.CMSGHDR_SIZE <= length) {
    const len = Number(view.getBigUint64(off, true));
    if (len < K.CMSGHDR_SIZE || off + len > length) break;
    items.push({
      level: view.getInt32(off + 8, true),
      type: view.getInt32(off + 12, true),
      data: control.slice(off + K.CMSGHDR_SIZE, off + len),
    });
    off += align(len);
  }
  return items;
}
