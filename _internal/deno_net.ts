/**
 * Deno's network permission as Deno.connect asks it, for the calls that reach
 * an address without Deno's networking: the ffi backend's connect/bind/sendto,
 * and name resolution.
 *
 * @module
 */

/**
 * `host:port` as Deno's net permission names an address: brackets around an
 * IPv6 host.
 *
 * @param hostname A name, or an IPv4 or IPv6 literal without a zone.
 * @param port The port.
 * @returns The permission's host string.
 */
export function hostPort(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}

/**
 * Throws Deno's own `NotCapable` error unless this process may reach `host`,
 * prompting only where Deno itself would prompt. Outside Deno (no permission
 * API) everything is let through.
 *
 * @param host The address, as {@linkcode hostPort} makes it.
 * @returns Whether the whole net permission is granted (a caller may then stop asking).
 */
export function requireNet(host: string): boolean {
  if (typeof Deno === "undefined" || typeof Deno.permissions?.querySync !== "function") {
    return false;
  }
  const perms = Deno.permissions;
  if (perms.querySync({ name: "net" }).state === "granted") return true;
  const desc: Deno.NetPermissionDescriptor = { name: "net", host };
  let state = perms.querySync(desc).state;
  if (state === "prompt") state = perms.requestSync(desc).state;
  if (state !== "granted") {
    throw new Deno.errors.NotCapable(
      `Requires net access to "${host}", run again with the --allow-net flag`,
    );
  }
  return false;
}
