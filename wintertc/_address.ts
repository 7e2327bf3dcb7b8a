/**
 * The arguments of the Sockets API's `connect()`, checked before anything is
 * opened: the address (`"host:port"` or `{ hostname, port }`) and the options
 * dictionary. A malformed address is reported as a message, which `connect()`
 * throws as the draft's `SocketError`; a wrong option is a `TypeError` here.
 *
 * @module
 */
import { isIPv4, parseIPv6Zone } from "../address/inet.ts";
import { quote } from "../_internal/check.ts";

/** An address `connect()` can dial: a host name or literal (IPv6 without brackets) and a port. */
export interface Target {
  /** A host name, an IPv4 literal or an IPv6 literal (no brackets, maybe with a `%zone`). */
  hostname: string;
  /** 0 to 65535. */
  port: number;
}

/** The draft's `SecureTransportKind`. */
export type SecureKind = "off" | "on" | "starttls";

/** The options dictionary after its defaults are applied. */
export interface Options {
  secureTransport: SecureKind;
  allowHalfOpen: boolean;
  sni: string | null;
  alpn: string[];
  backend: "auto" | "ffi" | "native";
}

/** Longest host name DNS allows (RFC 1035: 255 octets on the wire, 253 as text). */
const MAX_HOST = 253;
const encoder = new TextEncoder();
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;

/** The host part as a dial target, or `undefined` when it is neither a name nor a literal. */
function hostOf(raw: string, bracketed: boolean): string | undefined {
  if (bracketed) return parseIPv6Zone(raw) !== null ? raw : undefined;
  if (raw.length === 0 || raw.length > MAX_HOST) return undefined;
  if (isIpLiteral(raw)) return raw;
  return NAME.test(raw) && !raw.includes("..") ? raw : undefined;
}

function portOf(raw: unknown): number | undefined {
  if (typeof raw === "string" && /^[0-9]{1,5}$/.test(raw)) raw = Number(raw);
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw > 65535) return undefined;
  return raw;
}

/**
 * Reads an `AnySocketAddress`: `"host:port"` (`"[v6]:port"` for IPv6) or
 * `{ hostname, port }` (the hostname may be a bracketed or bare IPv6 literal,
 * the port a number or a string of digits).
 *
 * @returns The target, or the message of the `SocketError` to throw.
 */
export function parseAddress(address: unknown): Target | string {
  if (typeof address === "string") {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(address) ?? /^([^:[\]]*):([^:]*)$/.exec(address);
    if (m === null) {
      return /^[^:[\]]*$/.test(address)
        ? `The address is missing a port: expected "host:port", got ${quote(address)}`
        : `The address could not be parsed: expected "host:port" or "[IPv6]:port", got ${
          quote(address)
        }`;
    }
    const hostname = hostOf(m[1], address.startsWith("["));
    if (hostname === undefined) return `The address has an invalid host: ${quote(address)}`;
    const port = portOf(m[2]);
    if (port === undefined) {
      return `The address has an invalid port (0 to 65535): ${quote(address)}`;
    }
    return { hostname, port };
  }
  if (address === null || typeof address !== "object") {
    return `The address must be a "host:port" string or a { hostname, port } object, got ${
      quote(address)
    }`;
  }
  const { hostname: rawHost, port: rawPort } = address as Record<string, unknown>;
  if (typeof rawHost !== "string") {
    return `The address's hostname must be a string, got ${quote(rawHost)}`;
  }
  const bracketed = rawHost.startsWith("[") && rawHost.endsWith("]");
  const hostname = hostOf(bracketed ? rawHost.slice(1, -1) : rawHost, bracketed);
  if (hostname === undefined) return `The address has an invalid hostname: ${quote(rawHost)}`;
  const port = portOf(rawPort);
  if (port === undefined) {
    return `The address's port must be an integer from 0 to 65535, got ${quote(rawPort)}`;
  }
  return { hostname, port };
}

/**
 * Reads a `SocketOptions` dictionary, applying the draft's defaults
 * (`secureTransport: "off"`, `allowHalfOpen: false`, `sni: null`, `alpn: []`).
 * `sni` and `alpn` may be given only with `"on"` or `"starttls"`.
 *
 * @throws {TypeError} A value of the wrong type, an unknown `secureTransport` or
 *   `backend`, `sni`/`alpn` without TLS, an ALPN name that is empty or longer than 255 bytes.
 */
export function parseOptions(options: unknown): Options {
  if (options === undefined || options === null) {
    return { secureTransport: "off", allowHalfOpen: false, sni: null, alpn: [], backend: "auto" };
  }
  if (typeof options !== "object") {
    throw new TypeError(`options must be an object, got ${quote(options)}`);
  }
  const o = options as Record<string, unknown>;
  const secureTransport = o.secureTransport ?? "off";
  if (secureTransport !== "off" && secureTransport !== "on" && secureTransport !== "starttls") {
    throw new TypeError(
      `secureTransport must be "off", "on" or "starttls", got ${quote(secureTransport)}`,
    );
  }
  const backend = o.backend ?? "auto";
  if (backend !== "auto" && backend !== "ffi" && backend !== "native") {
    throw new TypeError(`backend must be "auto", "ffi" or "native", got ${quote(backend)}`);
  }
  const sni = o.sni ?? null;
  if (sni !== null && (typeof sni !== "string" || sni === "")) {
    throw new TypeError(`sni must be a non-empty string, got ${quote(sni)}`);
  }
  const alpn = alpnOf(o.alpn);
  if (secureTransport === "off" && (sni !== null || alpn.length > 0)) {
    throw new TypeError(
      `${sni !== null ? "sni" : "alpn"} may be given only with secureTransport "on" or "starttls"`,
    );
  }
  return { secureTransport, allowHalfOpen: Boolean(o.allowHalfOpen), sni, alpn, backend };
}

function alpnOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "object" || !(Symbol.iterator in value)) {
    throw new TypeError(`alpn must be an array of strings, got ${quote(value)}`);
  }
  const out: string[] = [];
  for (const name of value as Iterable<unknown>) {
    if (typeof name !== "string") {
      throw new TypeError(`alpn must be an array of strings, got an item ${quote(name)}`);
    }
    const bytes = encoder.encode(name).length;
    if (bytes === 0 || bytes > 255) {
      throw new TypeError(`An ALPN protocol name must be 1 to 255 bytes, got ${quote(name)}`);
    }
    out.push(name);
  }
  return out;
}

/** Whether `host` is an IP literal (no SNI is sent for one, as RFC 6066 says). */
export function isIpLiteral(host: string): boolean {
  return isIPv4(host) || parseIPv6Zone(host) !== null;
}
