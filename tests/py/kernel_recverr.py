"""The IP_RECVERR / SO_ERROR scenarios of tests/ffi_kernel_raw_test.ts, done with Python's socket
module: prints one JSON document of what the kernel reported, for the test to compare with ours."""
import errno
import json
import select
import socket
import struct
import sys

IP_RECVERR = 11
IPV6_RECVERR = 25


def closed_port(family, host):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_error(s):
    p = select.poll()
    p.register(s, select.POLLERR)
    if not p.poll(2000):
        raise SystemExit("no error arrived within 2 s")


def name(fn):
    try:
        fn()
        return "OK"
    except OSError as e:
        return errno.errorcode[e.errno]


def errqueue(family, host, level, opt):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(level, opt, 1)
    s.bind((host, 0))
    s.setblocking(False)
    empty = name(lambda: s.recvmsg(64, 512, socket.MSG_ERRQUEUE))
    payload = b"recverr probe"
    port = closed_port(family, host)
    s.sendto(payload, (host, port))
    wait_error(s)
    data, anc, flags, addr = s.recvmsg(64, 512, socket.MSG_ERRQUEUE)
    (lvl, typ, ee), = anc
    ee_errno, origin, ee_type, code, pad, info, edata = struct.unpack("=IBBBBII", ee[:16])
    offender = ee[16:]
    fam = struct.unpack("=H", offender[:2])[0]
    if fam == socket.AF_INET:
        off_host = socket.inet_ntop(socket.AF_INET, offender[4:8])
    else:
        off_host = socket.inet_ntop(socket.AF_INET6, offender[8:24])
    out = {
        "empty": empty,
        "bytes": len(data),
        "payload": data.decode(),
        "errqueueFlag": bool(flags & socket.MSG_ERRQUEUE),
        "addr": [addr[0], addr[1] == port],
        "level": lvl,
        "type": typ,
        "ee": [errno.errorcode[ee_errno], origin, ee_type, code, pad, info, edata],
        "offender": [fam, off_host, struct.unpack("!H", offender[2:4])[0]],
        "after": name(lambda: s.recvmsg(64, 512, socket.MSG_ERRQUEUE)),
        "soError": s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR),
    }
    s.close()
    return out


def connected_recv():
    port = closed_port(socket.AF_INET, "127.0.0.1")
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    c.connect(("127.0.0.1", port))
    c.send(b"x")
    wait_error(c)
    c.setblocking(False)
    out = {"recv": name(lambda: c.recv(16))}
    out["soError"] = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    data, anc, flags, addr = c.recvmsg(16, 512, socket.MSG_ERRQUEUE)
    out["queued"] = [data.decode(), errno.errorcode[struct.unpack("=I", anc[0][2][:4])[0]]]
    out["after"] = name(lambda: c.recvmsg(16, 512, socket.MSG_ERRQUEUE))
    out["recvAgain"] = name(lambda: c.recv(16))
    c.close()
    return out


def connected_so_error():
    port = closed_port(socket.AF_INET, "127.0.0.1")
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.connect(("127.0.0.1", port))
    c.setblocking(False)
    c.send(b"x")
    wait_error(c)
    first = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    second = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    c.send(b"y")
    wait_error(c)
    sends = [name(lambda: c.send(b"z")), name(lambda: c.recv(16))]
    c.close()
    return {"soError": [first, second], "sendAfter": sends}


json.dump({
    "v4": errqueue(socket.AF_INET, "127.0.0.1", socket.IPPROTO_IP, IP_RECVERR),
    "v6": errqueue(socket.AF_INET6, "::1", socket.IPPROTO_IPV6, IPV6_RECVERR),
    "connectedRecv": connected_recv(),
    "connectedSoError": connected_so_error(),
}, sys.stdout)
print()
