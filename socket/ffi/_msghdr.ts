/**
 * struct msghdr, struct iovec and cmsg(3) layout for sendmsg/recvmsg on Linux
 * x86-64 (sizes checked against the headers by tests/ffi_layout_test.ts).
 *
 * @module
 */
import type { Ancillary } from "../_backend.ts";
import { linuxSys as K, openLibc } from "./_libc.ts";

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

function address(buf: Uint8Array | null): bigint {
  if (buf === null || buf.byteLength === 0) return 0n;
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf as Uint8Array<ArrayBuffer>)));
}

/** Packs ancillary items into a control buffer. */
export function encodeAncillary(items: readonly Ancillary[]): Uint8Array {
  let size = 0;
  for (const item of items) size += cmsgSpace(item.data.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let off = 0;
  for (const item of items) {
    view.setBigUint64(off, BigInt(cmsgLen(item.data.byteLength)), true);
    view.setInt32(off + 8, item.level, true);
    view.setInt32(off + 12, item.type, true);
    out.set(item.data, off + K.CMSGHDR_SIZE);
    off += cmsgSpace(item.data.byteLength);
  }
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

/** A msghdr with its iovec array, holding references to every buffer it points at. */
export class MsgHdr {
  /** The struct msghdr bytes, passed to sendmsg/recvmsg. */
  readonly hdr: Uint8Array;
  readonly #view: DataView;
  // Referenced so the buffers the pointers name stay alive for the call.
  readonly #keep: (Uint8Array | null)[];

  /**
   * Builds the header.
   *
   * @param name Room for (or the bytes of) the peer's sockaddr, or `null`.
   * @param buffers The iovec buffers.
   * @param control Room for (or the bytes of) ancillary data, or `null`.
   */
  constructor(
    name: Uint8Array | null,
    buffers: readonly Uint8Array[],
    control: Uint8Array | null,
  ) {
    openLibc(); // pointers need FFI: fail with its clear error first on a runtime without it
    const iov = new Uint8Array(Math.max(1, buffers.length) * K.IOVEC_SIZE);
    const iv = new DataView(iov.buffer);
    buffers.forEach((b, i) => {
      iv.setBigUint64(i * K.IOVEC_SIZE, address(b), true);
      iv.setBigUint64(i * K.IOVEC_SIZE + 8, BigInt(b.byteLength), true);
    });
    this.hdr = new Uint8Array(K.MSGHDR_SIZE);
    const v = this.#view = new DataView(this.hdr.buffer);
    v.setBigUint64(0, address(name), true);
    v.setUint32(8, name?.byteLength ?? 0, true);
    v.setBigUint64(16, address(iov), true);
    v.setBigUint64(24, BigInt(buffers.length), true);
    v.setBigUint64(32, address(control), true);
    v.setBigUint64(40, BigInt(control?.byteLength ?? 0), true);
    this.#keep = [name, iov, control, ...buffers];
  }

  /** `msg_namelen` after the call. */
  get nameLength(): number {
    return this.#view.getUint32(8, true);
  }

  /** `msg_controllen` after the call. */
  get controlLength(): number {
    return Number(this.#view.getBigUint64(40, true));
  }

  /** `msg_flags` after the call. */
  get flags(): number {
    return this.#view.getInt32(48, true);
  }

  /**
   * Throws a TypeError if a buffer the header points at was detached (transferred)
   * after the header was built: its pointer would now name memory the caller no
   * longer owns.
   */
  checkAttached(): void {
    for (const b of this.#keep) {
      if (b && (b.buffer as ArrayBuffer & { detached?: boolean }).detached) {
        throw new TypeError("A buffer of this MsgHdr was detached after the header was built");
      }
    }
  }

  /** Restores the in/out lengths before a retried call. */
  reset(nameSize: number, controlSize: number): void {
    this.#view.setUint32(8, nameSize, true);
    this.#view.setBigUint64(40, BigInt(controlSize), true);
    this.#view.setInt32(48, 0, true);
    void this.#keep;
  }
}
