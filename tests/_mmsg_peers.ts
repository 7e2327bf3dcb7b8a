/**
 * The python3 peers of the batch tests (tests/ffi_mmsg_test.ts,
 * tests/native_mmsg_test.ts, tests/udp_gso_test.ts): a UDP receiver that
 * reports every datagram it gets, and a UDP sender that sends a burst on cue.
 *
 * @module
 */
import { type Inet, python, type PythonPeer } from "./_helpers.ts";

/**
 * argv: FAMILY COUNT. Binds loopback port 0 with a large receive buffer, says
 * {"port"}, then receives COUNT datagrams (or until 2 s pass without one) and
 * says {"got": [[hex, host, port], …]}.
 */
const RECEIVER = `
import socket, sys
from _peer import say
fam = socket.AF_INET6 if sys.argv[1] == "inet6" else socket.AF_INET
host = "::1" if fam == socket.AF_INET6 else "127.0.0.1"
count = int(sys.argv[2])
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((host, 0))
say(port=s.getsockname()[1])
s.settimeout(2)
got = []
try:
    while len(got) < count:
        data, addr = s.recvfrom(1 << 17)
        got.append([data.hex(), addr[0], addr[1]])
except socket.timeout:
    pass
say(got=got)
`;

/**
 * argv: FAMILY. Binds loopback port 0, says {"port"}, then for each
 * {"to", "count", "size", "gso"?} it hears sends COUNT datagrams of SIZE bytes
 * (datagram i filled with the byte i & 255) to loopback:TO — with "gso", as
 * one send of COUNT × SIZE bytes with UDP_SEGMENT SIZE — and says {"sent"}.
 */
const SENDER = `
import socket, sys
from _peer import hear, say
fam = socket.AF_INET6 if sys.argv[1] == "inet6" else socket.AF_INET
host = "::1" if fam == socket.AF_INET6 else "127.0.0.1"
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
s.bind((host, 0))
say(port=s.getsockname()[1])
while True:
    cmd = hear()
    to = (host, cmd["to"])
    payloads = [bytes([i & 255]) * cmd["size"] for i in range(cmd["count"])]
    if cmd.get("gso"):
        s.setsockopt(socket.IPPROTO_UDP, 103, cmd["size"])  # UDP_SEGMENT
        s.sendto(b"".join(payloads), to)
        s.setsockopt(socket.IPPROTO_UDP, 103, 0)
    else:
        for p in payloads:
            s.sendto(p, to)
    say(sent=len(payloads))
`;

/** One datagram as the python receiver reports it: hex bytes, sender host, sender port. */
export type Seen = [hex: string, host: string, port: number];

/** Starts the python receiver for `count` datagrams; resolves with it and its port. */
export async function pyReceiver(
  family: Inet,
  count: number,
): Promise<{ peer: PythonPeer; port: number }> {
  const peer = python(RECEIVER, [family, String(count)]);
  const { port } = await peer.read<{ port: number }>();
  return { peer, port };
}

/** Starts the python sender; resolves with it and its port. */
export async function pySender(family: Inet): Promise<{ peer: PythonPeer; port: number }> {
  const peer = python(SENDER, [family]);
  const { port } = await peer.read<{ port: number }>();
  return { peer, port };
}

/** `bytes` as lowercase hex, as python's `bytes.hex()` writes it. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The payload of datagram `i` of a python burst: `size` bytes of `i & 255`. */
export function burstPayload(i: number, size: number): Uint8Array {
  return new Uint8Array(size).fill(i & 255);
}
