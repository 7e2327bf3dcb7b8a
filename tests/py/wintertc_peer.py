"""The server the Sockets API conformance tests (tests/wintertc_*_test.ts) connect to.

argv: MODE [CONNS]. MODE is one of

  plain      TCP
  tls        TLS from the first byte (env CERT, KEY: the server's chain and key;
             ALPN: the protocols it agrees to, comma-separated, in its order of preference)
  starttls   plain text until the client sends the line "STARTTLS", answered "220 go",
             then TLS over the same connection
  stall      TCP, and a TLS client's handshake is never answered
  backlog    listen(0) with the one queued connection taken by this process: a
             client's SYN is dropped, so its connect() waits (until {"op": "quit"})

Listens on 127.0.0.1 port 0 and says {"port"}; then, for each of CONNS connections (default 1):
accepts, says {"peer": [host, port]}, does its handshake and says {"tls": version, "sni",
"alpn"} (version null without TLS; {"tls_error"} when the handshake fails, and on to the next
connection), then runs commands until {"op": "next"} or end of stdin:

  {"op": "echo"}         echo until end of stream, then end its own side; say {"received"}
  {"op": "line"}         read one line, say {"line"}
  {"op": "send", "data"} send the text, say {"ok"}
  {"op": "fin"}          shutdown(SHUT_WR), say {"ok"}
  {"op": "read_eof"}     read until end of stream, say {"eof", "data"} ({"reset"} when reset)
  {"op": "rst"}          SO_LINGER {1, 0} and close (the kernel sends RST), say {"ok"}
  {"op": "flood", "bytes"}  send that many bytes (byte i is i % 251) without waiting until the
                         kernel takes no more, say {"sent"}; then send the rest, say {"done"}
  {"op": "drain_on_cue"}  read nothing until the next line of stdin, then read until end of
                         stream, say {"received", "sha256"}
  {"op": "close"}        close (FIN), say {"ok"}
"""
import hashlib
import os
import socket
import ssl
import sys

from _peer import end_op, hear, read_to_eof, say

mode = sys.argv[1]
conns = int(sys.argv[2]) if len(sys.argv) > 2 else 1
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))

if mode == "backlog":
    listener.listen(0)
    queued = socket.create_connection(listener.getsockname())
    say(port=listener.getsockname()[1])
    while hear().get("op") != "quit":
        pass
    sys.exit(0)

listener.listen(8)
say(port=listener.getsockname()[1])

context = None
seen = {}
if mode in ("tls", "starttls"):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.environ["CERT"], os.environ["KEY"])
    if os.environ.get("ALPN"):
        context.set_alpn_protocols(os.environ["ALPN"].split(","))

    def remember_sni(_sslobj, name, _context):
        seen["sni"] = name

    context.sni_callback = remember_sni


def read_line(conn):
    data = bytearray()
    while not data.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode()


def serve(conn):
    tls = None
    if mode == "stall":
        say(tls=None, sni=None, alpn=None)
        while hear().get("op") != "next":
            pass
        return
    if mode == "starttls":
        line = read_line(conn)
        if line != "STARTTLS\r\n":
            raise SystemExit(f"expected STARTTLS, got {line!r}")
        conn.sendall(b"220 go\r\n")
    if context is not None:
        seen.clear()
        try:
            conn = context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as err:
            say(tls_error=str(err))
            return
        tls = conn.version()
    alpn = conn.selected_alpn_protocol() if tls else None
    say(tls=tls, sni=seen.get("sni"), alpn=alpn)
    while True:
        cmd = hear()
        op = cmd["op"]
        if op == "next":
            return
        if op == "echo":
            received = 0
            while True:
                try:
                    chunk = conn.recv(1 << 16)
                except ssl.SSLEOFError:
                    chunk = b""
                if not chunk:
                    break
                received += len(chunk)
                conn.sendall(chunk)
            conn.shutdown(socket.SHUT_WR) if tls is None else conn.unwrap().shutdown(socket.SHUT_WR)
            say(received=received)
        elif op == "line":
            say(line=read_line(conn))
        elif op == "send":
            conn.sendall(cmd["data"].encode())
            say(ok=op)
        elif op == "fin":
            conn.shutdown(socket.SHUT_WR)
            say(ok=op)
        elif op == "read_eof":
            data, reset = read_to_eof(conn)
            if reset:
                say(reset=True, data=data.decode())
            else:
                say(eof=True, data=data.decode())
        elif op == "flood":
            data = bytes(i % 251 for i in range(251)) * (cmd["bytes"] // 251 + 1)
            data = data[: cmd["bytes"]]
            conn.setblocking(False)
            sent = 0
            try:
                while sent < len(data):
                    sent += conn.send(data[sent : sent + (1 << 16)])
            except BlockingIOError:
                pass
            conn.setblocking(True)
            say(sent=sent)
            conn.sendall(data[sent:])
            say(done=True)
        elif op == "drain_on_cue":
            hear()
            data, _ = read_to_eof(conn)
            say(received=len(data), sha256=hashlib.sha256(data).hexdigest())
        elif not end_op(conn, op):
            raise SystemExit(f"unknown op {op!r}")


for _ in range(conns):
    conn, peer = listener.accept()
    say(peer=list(peer[:2]))
    serve(conn)
    conn.close()
