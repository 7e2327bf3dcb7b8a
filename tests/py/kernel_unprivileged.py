"""python3's side of tests/fixtures/kernel_unprivileged.ts: the outcome (0 or the errno) of the
socket calls that need privilege, run under the same setpriv as the Deno fixture."""
import json
import os
import socket


def outcome(fn):
    try:
        fn()
        return 0
    except OSError as e:
        return e.errno


def make(d, t, p):
    return lambda: socket.socket(d, t, p).close()


def bind_low():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a concurrent run may hold it
        s.bind(("127.0.0.1", 1023))


print(json.dumps({
    "uid": os.getuid(),
    "outcomes": {
        "raw icmp": outcome(make(socket.AF_INET, socket.SOCK_RAW, socket.getprotobyname("icmp"))),
        "raw ipv6-icmp": outcome(make(socket.AF_INET6, socket.SOCK_RAW, socket.getprotobyname("ipv6-icmp"))),
        "raw ip": outcome(make(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)),
        "packet": outcome(make(socket.AF_PACKET, socket.SOCK_RAW, 0x0300)),
        "ping": outcome(make(socket.AF_INET, socket.SOCK_DGRAM, socket.getprotobyname("icmp"))),
        "tcp": outcome(make(socket.AF_INET, socket.SOCK_STREAM, socket.getprotobyname("tcp"))),
        "bind port 1023": outcome(bind_low),
    },
}))
