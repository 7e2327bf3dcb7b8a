"""Shared by the python3 peers of the integration tests (see tests/_helpers.ts `python()`).

Importing it arms an alarm (PEER_TIMEOUT seconds) so that a stuck peer dies on its own.
`say(**fields)` prints one JSON line; `hear()` reads one JSON line from stdin; `echo(conn)`
and `read_to_eof(conn)` are what the stream peers' commands share.
"""
import hashlib
import json
import os
import signal
import socket
import ssl
import struct
import sys

signal.alarm(int(os.environ.get("PEER_TIMEOUT", "10")))


def say(**fields):
    """One JSON line on stdout, flushed."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def hear():
    """One JSON line from stdin; exits quietly when stdin is closed."""
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def echo(conn):
    """Echoes `conn` until end of stream, shuts down writing, says {"received", "sha256"}."""
    digest, received = hashlib.sha256(), 0
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        received += len(chunk)
        digest.update(chunk)
        conn.sendall(chunk)
    conn.shutdown(socket.SHUT_WR)
    say(received=received, sha256=digest.hexdigest())


def read_to_eof(conn):
    """Reads `conn` until end of stream: (the bytes, whether a reset ended it first)."""
    data = bytearray()
    try:
        while True:
            chunk = conn.recv(1 << 16)
            if not chunk:
                return bytes(data), False
            data += chunk
    except (ConnectionResetError, ssl.SSLEOFError):
        return bytes(data), True


def end_op(conn, op):
    """The ops every peer has: "rst" (close with a reset) and "close". Returns whether `op` was one."""
    if op == "rst":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif op != "close":
        return False
    conn.close()
    say(ok=op)
    return True
