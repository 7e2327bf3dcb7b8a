/**
 * Sandbox parity: before the ffi backend binds, connects or sends to an inet
 * address it asks Deno the question Deno's own networking asks, so
 * `--allow-ffi` does not silently widen `--allow-net`.
 *
 * @module
 */
import type { SockAddr } from "../../address/types.ts";

let allNet = false;

/**
 * Throws Deno's own `NotCapable` error unless net access to the address's host
 * and port is granted (prompting only where Deno itself would prompt).
 */
export function checkNetPermission(addr: SockAddr): void {
  if (allNet || (addr.family !== "inet" && addr.family !== "inet6")) return;
  const perms = Deno.permissions;
  if (perms.querySync({ name: "net" }).state === "granted") {
    allNet = true;
    return;
  }
  const bare = addr.hostname.split("%")[0];
  const host = addr.family === "inet6" ? `[${bare}]:${addr.port}` : `${bare}:${addr.port}`;
  const desc: Deno.NetPermissionDescriptor = { name: "net", host };
  let state = perms.querySync(desc).state;
  if (state === "prompt") state = perms.requestSync(desc).state;
  if (state !== "granted") {
    throw new Deno.errors.NotCapable(
      `Requires net access to "${host}", run again with the --allow-net flag`,
    );
  }
}

/** Forgets the cached "all net access granted" answer (after a revoke). */
export function resetNetPermissionCache(): void {
  allNet = false;
}
