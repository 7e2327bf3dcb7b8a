"""A TCP peer driven by JSON commands on stdin (see tests/_helpers.ts `python()`).

argv: FAMILY ("inet" or "inet6"). Listens on loopback port 0, says {"port"}, accepts one
connection, says {"peer": [host, port]}, then runs each command it hears and answers:

  {"op": "echo"}            echo until end of stream, shut down writing,
                            say {"received", "sha256"}
  {"op": "send", "data"}    sendall the UTF-8 text, say {"ok"}
  {"op": "oob", "data"}     send the text with MSG_OOB, say {"ok"}
  {"op": "drain_later", "ms"}  sleep, then read until end of stream and say {"received", "sha256"}
  {"op": "read_eof"}        read until end of stream, say {"eof": true, "data"}
                            (or {"error": "ECONNRESET", "data"} when reset)
  {"op": "rst"}             SO_LINGER {1, 0} and close (the kernel sends RST), say {"ok"}
  {"op": "close"}           close (orderly FIN), say {"ok"}
"""
import hashlib
import socket
import sys
import time

from _peer import echo, end_op, hear, read_to_eof, say

family = socket.AF_INET6 if sys.argv[1] == "inet6" else socket.AF_INET
host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
listener = socket.socket(family, socket.SOCK_STREAM)
listener.bind((host, 0))
listener.listen(1)
say(port=listener.getsockname()[1])
conn, peer = listener.accept()
listener.close()
say(peer=list(peer[:2]))

while True:
    cmd = hear()
    op = cmd["op"]
    if op == "echo":
        echo(conn)
    elif op == "send":
        conn.sendall(cmd["data"].encode())
        say(ok=op)
    elif op == "oob":
        conn.send(cmd["data"].encode(), socket.MSG_OOB)
        say(ok=op)
    elif op == "read_eof":
        data, reset = read_to_eof(conn)
        if reset:
            say(error="ECONNRESET", data=data.decode())
        else:
            say(eof=True, data=data.decode())
    elif op == "drain_later":
        time.sleep(cmd["ms"] / 1000)
        data, _ = read_to_eof(conn)
        say(received=len(data), sha256=hashlib.sha256(data).hexdigest())
    elif not end_op(conn, op):
        raise SystemExit(f"unknown op {op!r}")
