/**
 * A failed name lookup is a `SocketError` as Python's `gaierror`: syscall
 * "getaddrinfo", an EAI code, glibc's negative number; a missing permission is
 * Deno's own `NotCapable`, as Deno.connect gives it. No network is needed: the
 * lookups run in a mount namespace whose /etc/hosts and nsswitch.conf are the
 * test's own (files only), so an unknown name is EAI_NONAME on any machine.
 *
 * @module
 */
import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { gaiDarwin } from "../errno/gai_darwin.ts";
import { gaiLinux } from "../errno/gai_linux.ts";
import type { ErrnoTable } from "../errno/types.ts";
import { connect as streamConnect } from "../socket/stream.ts";
import { py, runDeno, tempDir } from "./_helpers.ts";

const BACKENDS = ["ffi", "native"] as const;

/** The running OS's getaddrinfo(3) error table. */
const EAI: ErrnoTable = Deno.build.os === "darwin" ? gaiDarwin : gaiLinux;

Deno.test("the EAI table's numbers and texts are the C library's (python3's socket module and gai_strerror)", async () => {
  const out = JSON.parse(
    await py(
      "import socket, json; print(json.dumps({n: getattr(socket, n) for n in dir(socket) if n.startswith('EAI_')}))",
    ),
  );
  for (const [name, { errno }] of Object.entries(EAI)) {
    if (name in out) assertEquals(errno, out[name], name);
  }
  for (const name of Object.keys(out)) assertEquals(Object.hasOwn(EAI, name), true, name);
  assertEquals(out.EAI_NONAME, EAI.EAI_NONAME.errno);
  const texts = JSON.parse(
    await py(
      "import ctypes, json; c = ctypes.CDLL(None); c.gai_strerror.restype = ctypes.c_char_p; " +
        "import sys; print(json.dumps({k: c.gai_strerror(int(v)).decode() for k, v in json.loads(sys.argv[1]).items()}))",
      JSON.stringify(Object.fromEntries(Object.entries(EAI).map(([k, { errno }]) => [k, errno]))),
    ),
  );
  assertEquals(texts, Object.fromEntries(Object.entries(EAI).map(([k, i]) => [k, i.strerror])));
});

Deno.test("stream.connect() with a hostname that is not a string is a TypeError quoting it", async () => {
  const err = await assertRejects(() =>
    streamConnect({ hostname: 5 as unknown as string, port: 80 })
  );
  assertInstanceOf(err, TypeError);
  assertEquals(err.message, "hostname must be a string, got 5");
});

for (const backend of BACKENDS) {
  Deno.test(`[${backend}] an unknown name is SocketError EAI_NONAME (errno -2, getaddrinfo), from connect, sendto and stream.connect`, async () => {
    using dir = tempDir();
    Deno.writeTextFileSync(`${dir.path}/hosts`, "127.0.0.1 localhost\n");
    Deno.writeTextFileSync(`${dir.path}/nsswitch.conf`, "hosts: files\n");
    const source = `
      import { AF_INET, SOCK_DGRAM, SOCK_STREAM, socket, SocketError } from "@bsdsock/socket";
      import { connect } from ${
      JSON.stringify(new URL("../socket/stream.ts", import.meta.url).href)
    };
      const backend = Deno.args[0];
      const show = (e) => ({ cls: e.constructor.name, isSocketError: e instanceof SocketError,
        errno: e.errno, code: e.code, syscall: e.syscall, message: e.message });
      const tcp = socket(AF_INET, SOCK_STREAM, 0, { backend });
      const udp = socket(AF_INET, SOCK_DGRAM, 0, { backend });
      const addr = { hostname: "no-such-host.invalid", port: 80 };
      const out = [
        show(await tcp.connect(addr).catch((e) => e)),
        show(await udp.sendto(new Uint8Array(1), addr).catch((e) => e)),
        show(await connect(addr, { backend }).catch((e) => e)),
      ];
      tcp.close(); udp.close();
      console.log(JSON.stringify(out));
    `;
    const mounts = `mount --bind ${dir.path}/hosts /etc/hosts && ` +
      `mount --bind ${dir.path}/nsswitch.conf /etc/nsswitch.conf && exec "$0" "$@"`;
    const r = await runDeno(source, ["-A"], {
      args: [backend],
      wrapper: ["unshare", "-m", "sh", "-c", mounts],
    });
    assertEquals(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout.trim());
    for (const e of got) {
      assertEquals(e, {
        cls: "SocketError",
        isSocketError: true,
        errno: -2,
        code: "EAI_NONAME",
        syscall: "getaddrinfo",
        message: "getaddrinfo: Name or service not known (EAI_NONAME) no-such-host.invalid:80",
      });
    }
  });

  Deno.test(`[${backend}] a name lookup without net permission is Deno's own NotCapable, as Deno.connect gives it`, async () => {
    const source = `
      import { AF_INET, SOCK_STREAM, socket } from "@bsdsock/socket";
      import { connect } from ${
      JSON.stringify(new URL("../socket/stream.ts", import.meta.url).href)
    };
      const backend = Deno.args[0];
      const show = (e) => ({ notCapable: e instanceof Deno.errors.NotCapable, message: e.message });
      const s = socket(AF_INET, SOCK_STREAM, 0, { backend });
      const out = [
        show(await Deno.connect({ hostname: "localhost", port: 9 }).catch((e) => e)),
        show(await s.connect({ hostname: "localhost", port: 9 }).catch((e) => e)),
        show(await connect({ hostname: "localhost", port: 9 }, { backend }).catch((e) => e)),
      ];
      s.close();
      console.log(JSON.stringify(out));
    `;
    const r = await runDeno(source, ["--allow-net=127.0.0.1", "--allow-ffi", "--allow-read"], {
      args: [backend],
    });
    assertEquals(r.code, 0, r.stderr);
    const [deno, sock, stream] = JSON.parse(r.stdout.trim());
    assertEquals(deno.notCapable, true, "the control: Deno.connect refuses");
    assertEquals(sock, deno);
    assertEquals(stream, deno);
  });
}
