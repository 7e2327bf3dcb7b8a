/**
 * The numbers the examples write out themselves (the library's constants do
 * not carry rtnetlink, link-layer, ICMP or syslog numbers) against the system
 * headers, as a compiled C program prints them (tests/c/example_headers.c):
 * the examples' tables are data from the headers, not from memory.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { compileC } from "./_c.ts";
import { OPERSTATES, RTNL } from "../examples/netlink_monitor.ts";
import { ICMP as CAPTURE_ICMP, LINK } from "../examples/capture.ts";
import { ICMP as PING_ICMP } from "../examples/ping.ts";
import { ICMP as TRACEROUTE_ICMP, SOCK_EXTENDED_ERR_SIZE } from "../examples/traceroute.ts";
import { FACILITIES, LEVELS } from "../examples/syslog.ts";

let headers: Promise<Record<string, number>> | undefined;
function H(): Promise<Record<string, number>> {
  return headers ??= compileC("example_headers.c").then((out) => JSON.parse(out));
}

/** `table`, and the headers' value of each of its names. */
async function fromHeaders(table: Record<string, number>): Promise<Record<string, number>> {
  const h = await H();
  return Object.fromEntries(Object.keys(table).map((name) => [name, h[name]]));
}

Deno.test("examples/netlink_monitor.ts: RTNL's numbers and sizes are the headers', OPERSTATES is indexed by IF_OPER_*", async () => {
  assertEquals(RTNL, await fromHeaders(RTNL));
  const h = await H();
  assertEquals(OPERSTATES.map((name) => h[`IF_OPER_${name}`]), [...OPERSTATES.keys()]);
});

Deno.test("examples/capture.ts, ping.ts, traceroute.ts: link-layer and ICMP numbers, and the size of sock_extended_err, are the headers'", async () => {
  assertEquals(LINK, await fromHeaders(LINK));
  assertEquals(CAPTURE_ICMP, await fromHeaders(CAPTURE_ICMP));
  assertEquals(PING_ICMP, await fromHeaders(PING_ICMP));
  assertEquals(TRACEROUTE_ICMP, await fromHeaders(TRACEROUTE_ICMP));
  assertEquals(SOCK_EXTENDED_ERR_SIZE, (await H()).SOCK_EXTENDED_ERR_SIZE);
});

Deno.test("examples/syslog.ts: each facility is LOG_<NAME> >> 3 and each level LOG_<NAME>, as <syslog.h> has them", async () => {
  const h = await H();
  const byName = (table: Record<string, number>, shift: number) =>
    Object.fromEntries(Object.keys(table).map((k) => [k, h[`LOG_${k.toUpperCase()}`] >> shift]));
  assertEquals(FACILITIES, byName(FACILITIES, 3));
  assertEquals(LEVELS, byName(LEVELS, 0));
});
