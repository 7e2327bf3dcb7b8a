"""A UDP peer driven by JSON commands on stdin (see tests/_helpers.ts `python()`).

argv: FAMILY ("inet" or "inet6"). Binds loopback port 0 and says {"port"}; then:

  {"op": "sendto", "port", "data"}  sends the text to loopback:port, say {"ok"}
  {"op": "recvfrom"}                receives one datagram, say {"data", "host", "port"}
"""
import socket
import sys

from _peer import hear, say

family = socket.AF_INET6 if sys.argv[1] == "inet6" else socket.AF_INET
host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
sock = socket.socket(family, socket.SOCK_DGRAM)
sock.bind((host, 0))
say(port=sock.getsockname()[1])

while True:
    cmd = hear()
    if cmd["op"] == "sendto":
        sock.sendto(cmd["data"].encode(), (host, cmd["port"]))
        say(ok="sendto")
    elif cmd["op"] == "recvfrom":
        data, addr = sock.recvfrom(65536)
        say(data=data.decode(), host=addr[0], port=addr[1])
    else:
        raise SystemExit(f"unknown op {cmd['op']!r}")
