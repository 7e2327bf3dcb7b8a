"""What python3 (and, where Python's socket module cannot express the call, libc through ctypes)
gets from the kernel for the calls of tests/ffi_kernel_errno_test.ts. Reads one JSON document
{"grid": [[domain, type, protocol]...], "pairs": [...]} on stdin; prints one JSON document of
outcomes: 0 for success, else the errno (numbers: Python names 95 ENOTSUP, C also EOPNOTSUPP)."""
import ctypes
import json
import os
import select
import socket
import struct
import sys
import tempfile

libc = ctypes.CDLL(None, use_errno=True)


def name(fn):
    try:
        fn()
        return 0
    except OSError as e:
        return e.errno


def proto(p):
    return socket.getprotobyname(p) if isinstance(p, str) else p


def create(d, t, p):
    if -1 in (d, t, p):
        # socket.socket() reads -1 as "the default" (AF_INET, SOCK_STREAM, 0): ask libc instead.
        fd = libc.socket(d, t | socket.SOCK_CLOEXEC, p)
        if fd < 0:
            return ctypes.get_errno()
        os.close(fd)
        return 0
    return name(lambda: socket.socket(d, t, proto(p)).close())


def pair(d, t, p):
    def run():
        a, b = socket.socketpair(d, t, proto(p))
        a.close()
        b.close()
    return name(run)


def c_call(fn, sock, addr):
    """bind/connect/sendto through libc with a hand-built sockaddr (any family on any socket)."""
    buf = ctypes.create_string_buffer(addr, len(addr))
    if fn == "sendto":
        r = libc.sendto(sock.fileno(), b"x", 1, socket.MSG_NOSIGNAL, buf, len(addr))
    else:
        r = getattr(libc, fn)(sock.fileno(), buf, len(addr))
    return 0 if r >= 0 else ctypes.get_errno()


def sin(host, port):
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + socket.inet_aton(host) + bytes(8)


def sin6(host, port):
    return (struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", port, 0)
            + socket.inet_pton(socket.AF_INET6, host) + struct.pack("=I", 0))


def sun(path):
    return struct.pack("=H", socket.AF_UNIX) + path.encode() + bytes(108 - len(path))


def snl(pid, groups):
    return struct.pack("=HHII", socket.AF_NETLINK, 0, pid, groups)


def tcp():
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def udp():
    return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


def listener():
    s = tcp()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def connected():
    l = listener()
    c = tcp()
    c.connect(l.getsockname())
    a, _ = l.accept()
    l.close()
    return c, a


def closed_port():
    s = tcp()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def states(tmp):
    """Each case on fresh sockets, in the order and with the labels of the TypeScript side."""
    out = {}

    def case(label, fn):
        out[label] = name(fn)

    case("recv on an unconnected TCP socket", lambda: tcp().recv(1))
    case("send on an unconnected TCP socket", lambda: tcp().send(b"x"))
    case("accept on a TCP socket that is not listening", lambda: tcp().accept())
    case("getpeername on an unconnected TCP socket", lambda: tcp().getpeername())
    case("shutdown of an unconnected TCP socket", lambda: tcp().shutdown(socket.SHUT_RDWR))
    case("setsockopt of an unknown SOL_SOCKET option",
         lambda: tcp().setsockopt(socket.SOL_SOCKET, 9999, 1))
    case("getsockopt of an unknown IPPROTO_TCP option",
         lambda: tcp().getsockopt(socket.IPPROTO_TCP, 9999))
    case("listen on a UDP socket", lambda: udp().listen())
    case("accept on a UDP socket", lambda: udp().accept())
    case("send on an unconnected UDP socket", lambda: udp().send(b"x"))
    u = udp()
    u.bind(("127.0.0.1", 0))
    case("bind of a bound socket", lambda: u.bind(("127.0.0.1", 0)))
    u.close()
    l = listener()
    case("recv on a listening TCP socket", lambda: l.recv(1))
    case("connect of a listening TCP socket", lambda: l.connect(("127.0.0.1", 9)))
    case("bind to a port in use", lambda: tcp().bind(l.getsockname()))
    l.close()
    c, a = connected()  # a blocking connect(2), as ours looks to its caller
    case("connect of a connected TCP socket", lambda: c.connect(a.getsockname()))
    c.setblocking(False)
    case("non-blocking recv MSG_OOB without urgent data", lambda: c.recv(1, socket.MSG_OOB))
    case("shutdown with an unknown how", lambda: c.shutdown(99))
    c.close()
    a.close()
    case("connect to a closed TCP port", lambda: tcp().connect(("127.0.0.1", closed_port())))
    case("bind to an address this host does not have", lambda: tcp().bind(("192.0.2.1", 0)))
    case("listen on a unix datagram socket",
         lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).listen())
    case("accept on a unix datagram socket",
         lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).accept())
    case("connect of a unix socket to a missing path",
         lambda: socket.socket(socket.AF_UNIX).connect(os.path.join(tmp, "missing")))
    bound = socket.socket(socket.AF_UNIX)
    bound.bind(os.path.join(tmp, "taken"))
    case("bind of a unix socket to a path in use",
         lambda: socket.socket(socket.AF_UNIX).bind(os.path.join(tmp, "taken")))
    bound.close()
    ep = select.epoll()
    case("adopting a descriptor that is not a socket (an epoll instance)",
         lambda: socket.socket(fileno=ep.fileno()))
    ep.close()
    return out


def families(tmp):
    v6 = sin6("::1", 9)
    v4 = sin("127.0.0.1", 9)
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    out = {
        "bind an inet6 address on an AF_INET socket": c_call("bind", tcp(), v6),
        "connect to an inet6 address from an AF_INET socket": c_call("connect", tcp(), v6),
        "sendto an inet6 address from an AF_INET socket": c_call("sendto", udp(), v6),
        "bind an inet address on an AF_INET6 socket":
            c_call("bind", socket.socket(socket.AF_INET6, socket.SOCK_STREAM), v4),
        "connect to an inet address from an AF_INET6 socket":
            c_call("connect", socket.socket(socket.AF_INET6, socket.SOCK_STREAM), v4),
        "bind a unix address on an AF_INET socket": c_call("bind", tcp(), sun(os.path.join(tmp, "u"))),
        "bind a netlink address on an AF_INET socket": c_call("bind", tcp(), snl(0, 0)),
        "connect to an inet address from a unix socket": c_call("connect", unix, v4),
        "bind an inet address on a netlink socket": c_call("bind", nl, v4),
    }
    nl.close()
    unix.close()
    return out


request = json.load(sys.stdin)
with tempfile.TemporaryDirectory() as tmp:
    json.dump({
        "grid": [create(*t) for t in request["grid"]],
        "pairs": [pair(*t) for t in request["pairs"]],
        "states": states(tmp),
        "families": families(tmp),
    }, sys.stdout)
print()
