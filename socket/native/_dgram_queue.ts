/**
 * The receive queue of a native datagram socket, bounded as Linux bounds a
 * UDP socket's receive buffer: each datagram is charged about what the kernel
 * charges it (its `truesize`: the payload plus the buffer bookkeeping), and a
 * datagram arriving while the charge exceeds `SO_RCVBUF` is dropped — the new
 * one, never a queued one, as __udp_enqueue_schedule_skb does.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";

/** One queued datagram. */
export interface Datagram {
  /** The whole payload. */
  data: Uint8Array;
  /** The sender. */
  from: SockAddr;
  /** What it counts against the receive buffer. */
  charge: number;
}

// SKB_TRUESIZE on x86-64: sizeof(struct sk_buff) and sizeof(struct skb_shared_info), aligned.
const SKB_OVERHEAD = 576;
const MIN_HEAD = 256;
const HEADROOM = 64;

/**
 * Roughly the kernel's `truesize` of a received datagram of `length` bytes:
 * its head allocation (payload plus headers, rounded up to a power of two)
 * plus the skb bookkeeping. Linux 6.x on loopback charged 832 bytes for a
 * datagram of 0–100 bytes (this gives 832) and about 2300 for one of 1000
 * (this gives 2624); large datagrams cost Linux more than this says.
 */
export function truesize(length: number): number {
  let head = MIN_HEAD;
  while (head < length + HEADROOM) head *= 2;
  return SKB_OVERHEAD + head;
}

/** A bounded FIFO of datagrams. */
export class DatagramQueue {
  #items: Datagram[] = [];
  #head = 0;
  #charged = 0;
  /** The receive buffer, bytes of charge (`SO_RCVBUF` as getsockopt reads it). */
  limit: number;
  /** Datagrams dropped because the buffer was full. */
  dropped = 0;

  /** @param limit The receive buffer in bytes of charge. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** How many datagrams are queued. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Bytes of charge queued. */
  get charged(): number {
    return this.#charged;
  }

  /** Queues a datagram unless the buffer is over its limit; returns whether it was queued. */
  push(data: Uint8Array, from: SockAddr): boolean {
    if (this.#charged > this.limit) {
      this.dropped++;
      return false;
    }
    const charge = truesize(data.byteLength);
    this.#items.push({ data, from, charge });
    this.#charged += charge;
    return true;
  }

  /** The oldest datagram, left queued. */
  peek(): Datagram | undefined {
    return this.#items[this.#head];
  }

  /** Takes the oldest datagram. */
  shift(): Datagram | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#items[this.#head++] = undefined as unknown as Datagram;
    this.#charged -= item.charge;
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Drops everything queued. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#charged = 0;
  }
}
