/**
 * recvFds() closes every descriptor of the ancillary data it does not hand
 * back: the sender's pidfd the kernel attaches once `SO_PASSPIDFD` is on
 * (Linux 6.5), and `SCM_RIGHTS` beyond `maxFds`. recvmsg() hands back raw
 * ancillary data and closes nothing: the caller owns those descriptors.
 *
 * @module
 */
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { linux as C } from "../constants/mod.ts";
import { recvFds, sendFds } from "../mod.ts";
import { sys } from "../socket/ffi/mod.ts";
import { fdLedger, openFds, unixPair, utf8 } from "./_helpers.ts";

const fds = fdLedger();
Deno.test("descriptors: counted before the first recvFds test", fds.start);

const T = { timeout: 5000 };
/** `SO_PASSPIDFD` and `SCM_PIDFD` (Linux 6.5; the system headers here lack them). */
const SO_PASSPIDFD = 76;
const SCM_PIDFD = 4;

/** Whether this kernel has `SO_PASSPIDFD` (Linux 6.5). */
function hasPassPidfd(): boolean {
  using probe = unixPair(C.SOCK_DGRAM);
  try {
    probe[1].setsockopt(C.SOL_SOCKET, SO_PASSPIDFD, 1);
    return true;
  } catch {
    return false;
  }
}

const pidfds = () => [...openFds().values()].filter((what) => what.includes("pidfd")).length;

/** Sends one descriptor 200 times over each kind of unix socket, SO_PASSPIDFD on, into recvFds(…, maxFds). */
async function passPidfdRounds(maxFds: number): Promise<void> {
  for (const type of [C.SOCK_DGRAM, C.SOCK_STREAM, C.SOCK_SEQPACKET]) {
    using channel = unixPair(type);
    using target = unixPair();
    channel[1].setsockopt(C.SOL_SOCKET, SO_PASSPIDFD, 1);
    const before = openFds().size;
    for (let i = 0; i < 200; i++) {
      await sendFds(channel[0], utf8("x"), [target[0].fd], T);
      const r = await recvFds(channel[1], new Uint8Array(1), maxFds, T);
      for (const fd of r.fds) sys.close(fd);
      assertEquals([r.bytes, r.fds.length, r.flags & C.MSG_CTRUNC], [1, 1, 0], `type ${type}`);
    }
    assertEquals(pidfds(), 0, `no pidfd left open (type ${type})`);
    assertEquals(openFds().size, before, `descriptors leaked (type ${type})`);
  }
}

Deno.test({
  name: "recvFds() with SO_PASSPIDFD on closes the pidfd the kernel attaches",
  ignore: !hasPassPidfd(),
  fn: () => passPidfdRounds(8),
});

Deno.test({
  name:
    "recvFds() with SO_PASSPIDFD on and maxFds 1 still gets its descriptor: the pidfd takes none of its room",
  ignore: !hasPassPidfd(),
  fn: () => passPidfdRounds(1),
});

Deno.test({
  name: "recvmsg() with SO_PASSPIDFD on hands back the pidfd, the caller's to close",
  ignore: !hasPassPidfd(),
  fn: async () => {
    using channel = unixPair(C.SOCK_DGRAM);
    channel[1].setsockopt(C.SOL_SOCKET, SO_PASSPIDFD, 1);
    await channel[0].send(utf8("x"), 0, T);
    const r = await channel[1].recvmsg([new Uint8Array(1)], { ...T, ancillarySize: 64 });
    const item = r.ancillary.find((a) => a.level === C.SOL_SOCKET && a.type === SCM_PIDFD);
    assert(item, `an SCM_PIDFD item: ${JSON.stringify(r.ancillary)}`);
    const pidfd = new DataView(item.data.buffer, item.data.byteOffset).getInt32(0, true);
    assertEquals(openFds().get(pidfd), "anon_inode:[pidfd]", "still open");
    sys.close(pidfd);
    assertEquals(pidfds(), 0);
  },
});

Deno.test("recvFds() closes the SCM_RIGHTS descriptors beyond maxFds and reports MSG_CTRUNC", async () => {
  for (const type of [C.SOCK_DGRAM, C.SOCK_STREAM]) {
    using channel = unixPair(type);
    using target = unixPair();
    const before = openFds();
    const sent = Array.from({ length: 5 }, (_, i) => target[i % 2].fd);
    for (let i = 0; i < 100; i++) {
      await sendFds(channel[0], utf8("x"), sent, T);
      const r = await recvFds(channel[1], new Uint8Array(1), 2, T);
      assertEquals([r.bytes, r.fds.length, r.flags & C.MSG_CTRUNC], [1, 2, C.MSG_CTRUNC]);
      for (const fd of r.fds) sys.close(fd);
    }
    const opened = [...openFds().keys()].filter((fd) => !before.has(fd));
    assertEquals(opened, [], `descriptors leaked (type ${type})`);
  }
});

Deno.test("descriptors: none left open by the recvFds tests", fds.assertUnchanged);

Deno.test({
  name:
    "getsockopt(SO_PEERPIDFD) shorter than 4 bytes is refused before the kernel opens a pidfd it could not return",
  ignore: !hasPassPidfd(),
  fn() {
    const SO_PEERPIDFD = 77;
    using pair = unixPair();
    const before = pidfds();
    for (const size of [0, 1, 2, 3]) {
      const err = assertThrows(() => pair[0].getsockopt(C.SOL_SOCKET, SO_PEERPIDFD, size));
      assertInstanceOf(err, RangeError);
      assertStringIncludes(err.message, `size ${size}`);
    }
    assertEquals(pidfds(), before, "no pidfd opened");
    // 4 bytes: the kernel's pidfd, the caller's to close.
    const fd = pair[0].getsockopt(C.SOL_SOCKET, SO_PEERPIDFD, 4) as Uint8Array;
    const n = new DataView(fd.buffer, fd.byteOffset).getInt32(0, true);
    assertEquals(pidfds(), before + 1);
    sys.close(n);
    assertEquals(pidfds(), before);
  },
});
