"""Descriptor passing (SCM_RIGHTS) with a python3 peer; see tests/_helpers.ts `python()`.

argv: MODE PATH [N]. Connects a unix stream socket to PATH (our listening socket), then:

  take            receives one descriptor (socket.recv_fds), says {"data", "nfds", "family",
                  "type"}, writes a line through it, says {"reply"} with what came back on it
  give N          makes N socketpairs and sends one end of each (socket.send_fds), closes them,
                  says {"sent": N}, writes on the first pair's other end and says {"reply"}
  give_listener   sends a listening TCP socket (127.0.0.1, port 0), says {"port"}, closes its
                  copy, connects to it, sends a line and says {"reply"}
"""
import socket
import sys

from _peer import say

mode, path = sys.argv[1], sys.argv[2]
conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
conn.connect(path)

if mode == "take":
    data, fds, flags, _ = socket.recv_fds(conn, 1024, 4)
    passed = socket.socket(fileno=fds[0])
    passed.settimeout(5)  # O_NONBLOCK is shared with the sender's descriptor
    say(data=data.decode(), nfds=len(fds), family=int(passed.family), type=int(passed.type))
    passed.sendall(b"written by python through the passed descriptor")
    say(reply=passed.recv(1024).decode())
elif mode == "give":
    n = int(sys.argv[3])
    pairs = [socket.socketpair() for _ in range(n)]
    socket.send_fds(conn, [b"here"], [theirs.fileno() for _, theirs in pairs])
    for _, theirs in pairs:
        theirs.close()
    say(sent=n)
    mine = pairs[0][0]
    mine.sendall(b"python's end speaking")
    say(reply=mine.recv(1024).decode())
elif mode == "give_listener":
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    socket.send_fds(conn, [b"L"], [listener.fileno()])
    listener.close()
    say(port=port)
    client = socket.create_connection(("127.0.0.1", port), timeout=5)
    client.sendall(b"hello, adopted listener")
    say(reply=client.recv(1024).decode())
else:
    raise SystemExit(f"unknown mode {mode!r}")
