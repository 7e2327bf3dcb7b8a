/**
 * The macOS (Darwin) errno table: every `E*` name of `<sys/errno.h>` with its number and the text
 * Apple's libc `strerror()` gives for it.
 *
 * **Not tested on this machine** (the project's CI host is Linux): unlike `linux.ts`, which a test
 * regenerates from the system headers, this table was read from Apple's public sources:
 *
 * - names and numbers: `bsd/sys/errno.h` of apple-oss-distributions/xnu, as user space sees it on
 *   current macOS (`__DARWIN_UNIX03` and `__DARWIN_C_FULL` set, so `EOPNOTSUPP` is the discrete
 *   `102`, not the old alias of `ENOTSUP`);
 * - texts 0–101: Apple Libc's `gen/errlst.c` (`sys_errlist`, read from the Apple-FOSS-Mirror/Libc
 *   copy; the stored Apple copy ends at `ETIME`);
 * - texts 102–106: the `errorList` of golang/sys `unix/zerrors_darwin_arm64.go`, which Go generates
 *   by calling `strerror()` on macOS and stores with the first letter lower-cased (restored here);
 *   its 1–101 agree with `errlst.c` word for word.
 *
 * `ELAST` (`106`, "must be equal largest errno") is a bound, not an error, and is left out. Apple's
 * `strerror(0)` is "Undefined error: 0" and an unknown number gives "Unknown error: N" (FreeBSD's
 * `strerror.c`, from which Apple's derives).
 *
 * @module
 */
import type { ErrnoTable } from "./types.ts";

/**
 * Every macOS errno, keyed by C name, ordered by number; a second name of a number carries
 * `aliasOf`.
 *
 * @example Usage
 * ```ts
 * import { darwin } from "@bsdsock/socket/errno";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(darwin.ECONNREFUSED, { errno: 61, strerror: "Connection refused" });
 * assertEquals(darwin.EWOULDBLOCK.aliasOf, "EAGAIN");
 * ```
 */
export const darwin = {
  EPERM: { errno: 1, strerror: "Operation not permitted" },
  ENOENT: { errno: 2, strerror: "No such file or directory" },
  ESRCH: { errno: 3, strerror: "No such process" },
  EINTR: { errno: 4, strerror: "Interrupted system call" },
  EIO: { errno: 5, strerror: "Input/output error" },
  ENXIO: { errno: 6, strerror: "Device not configured" },
  E2BIG: { errno: 7, strerror: "Argument list too long" },
  ENOEXEC: { errno: 8, strerror: "Exec format error" },
  EBADF: { errno: 9, strerror: "Bad file descriptor" },
  ECHILD: { errno: 10, strerror: "No child processes" },
  EDEADLK: { errno: 11, strerror: "Resource deadlock avoided" },
  ENOMEM: { errno: 12, strerror: "Cannot allocate memory" },
  EACCES: { errno: 13, strerror: "Permission denied" },
  EFAULT: { errno: 14, strerror: "Bad address" },
  ENOTBLK: { errno: 15, strerror: "Block device required" },
  EBUSY: { errno: 16, strerror: "Resource busy" },
  EEXIST: { errno: 17, strerror: "File exists" },
  EXDEV: { errno: 18, strerror: "Cross-device link" },
  ENODEV: { errno: 19, strerror: "Operation not supported by device" },
  ENOTDIR: { errno: 20, strerror: "Not a directory" },
  EISDIR: { errno: 21, strerror: "Is a directory" },
  EINVAL: { errno: 22, strerror: "Invalid argument" },
  ENFILE: { errno: 23, strerror: "Too many open files in system" },
  EMFILE: { errno: 24, strerror: "Too many open files" },
  ENOTTY: { errno: 25, strerror: "Inappropriate ioctl for device" },
  ETXTBSY: { errno: 26, strerror: "Text file busy" },
  EFBIG: { errno: 27, strerror: "File too large" },
  ENOSPC: { errno: 28, strerror: "No space left on device" },
  ESPIPE: { errno: 29, strerror: "Illegal seek" },
  EROFS: { errno: 30, strerror: "Read-only file system" },
  EMLINK: { errno: 31, strerror: "Too many links" },
  EPIPE: { errno: 32, strerror: "Broken pipe" },
  EDOM: { errno: 33, strerror: "Numerical argument out of domain" },
  ERANGE: { errno: 34, strerror: "Result too large" },
  EAGAIN: { errno: 35, strerror: "Resource temporarily unavailable" },
  EWOULDBLOCK: { errno: 35, strerror: "Resource temporarily unavailable", aliasOf: "EAGAIN" },
  EINPROGRESS: { errno: 36, strerror: "Operation now in progress" },
  EALREADY: { errno: 37, strerror: "Operation already in progress" },
  ENOTSOCK: { errno: 38, strerror: "Socket operation on non-socket" },
  EDESTADDRREQ: { errno: 39, strerror: "Destination address required" },
  EMSGSIZE: { errno: 40, strerror: "Message too long" },
  EPROTOTYPE: { errno: 41, strerror: "Protocol wrong type for socket" },
  ENOPROTOOPT: { errno: 42, strerror: "Protocol not available" },
  EPROTONOSUPPORT: { errno: 43, strerror: "Protocol not supported" },
  ESOCKTNOSUPPORT: { errno: 44, strerror: "Socket type not supported" },
  ENOTSUP: { errno: 45, strerror: "Operation not supported" },
  EPFNOSUPPORT: { errno: 46, strerror: "Protocol family not supported" },
  EAFNOSUPPORT: { errno: 47, strerror: "Address family not supported by protocol family" },
  EADDRINUSE: { errno: 48, strerror: "Address already in use" },
  EADDRNOTAVAIL: { errno: 49, strerror: "Can't assign requested address" },
  ENETDOWN: { errno: 50, strerror: "Network is down" },
  ENETUNREACH: { errno: 51, strerror: "Network is unreachable" },
  ENETRESET: { errno: 52, strerror: "Network dropped connection on reset" },
  ECONNABORTED: { errno: 53, strerror: "Software caused connection abort" },
  ECONNRESET: { errno: 54, strerror: "Connection reset by peer" },
  ENOBUFS: { errno: 55, strerror: "No buffer space available" },
  EISCONN: { errno: 56, strerror: "Socket is already connected" },
  ENOTCONN: { errno: 57, strerror: "Socket is not connected" },
  ESHUTDOWN: { errno: 58, strerror: "Can't send after socket shutdown" },
  ETOOMANYREFS: { errno: 59, strerror: "Too many references: can't splice" },
  ETIMEDOUT: { errno: 60, strerror: "Operation timed out" },
  ECONNREFUSED: { errno: 61, strerror: "Connection refused" },
  ELOOP: { errno: 62, strerror: "Too many levels of symbolic links" },
  ENAMETOOLONG: { errno: 63, strerror: "File name too long" },
  EHOSTDOWN: { errno: 64, strerror: "Host is down" },
  EHOSTUNREACH: { errno: 65, strerror: "No route to host" },
  ENOTEMPTY: { errno: 66, strerror: "Directory not empty" },
  EPROCLIM: { errno: 67, strerror: "Too many processes" },
  EUSERS: { errno: 68, strerror: "Too many users" },
  EDQUOT: { errno: 69, strerror: "Disc quota exceeded" },
  ESTALE: { errno: 70, strerror: "Stale NFS file handle" },
  EREMOTE: { errno: 71, strerror: "Too many levels of remote in path" },
  EBADRPC: { errno: 72, strerror: "RPC struct is bad" },
  ERPCMISMATCH: { errno: 73, strerror: "RPC version wrong" },
  EPROGUNAVAIL: { errno: 74, strerror: "RPC prog. not avail" },
  EPROGMISMATCH: { errno: 75, strerror: "Program version wrong" },
  EPROCUNAVAIL: { errno: 76, strerror: "Bad procedure for program" },
  ENOLCK: { errno: 77, strerror: "No locks available" },
  ENOSYS: { errno: 78, strerror: "Function not implemented" },
  EFTYPE: { errno: 79, strerror: "Inappropriate file type or format" },
  EAUTH: { errno: 80, strerror: "Authentication error" },
  ENEEDAUTH: { errno: 81, strerror: "Need authenticator" },
  EPWROFF: { errno: 82, strerror: "Device power is off" },
  EDEVERR: { errno: 83, strerror: "Device error" },
  EOVERFLOW: { errno: 84, strerror: "Value too large to be stored in data type" },
  EBADEXEC: { errno: 85, strerror: "Bad executable (or shared library)" },
  EBADARCH: { errno: 86, strerror: "Bad CPU type in executable" },
  ESHLIBVERS: { errno: 87, strerror: "Shared library version mismatch" },
  EBADMACHO: { errno: 88, strerror: "Malformed Mach-o file" },
  ECANCELED: { errno: 89, strerror: "Operation canceled" },
  EIDRM: { errno: 90, strerror: "Identifier removed" },
  ENOMSG: { errno: 91, strerror: "No message of desired type" },
  EILSEQ: { errno: 92, strerror: "Illegal byte sequence" },
  ENOATTR: { errno: 93, strerror: "Attribute not found" },
  EBADMSG: { errno: 94, strerror: "Bad message" },
  EMULTIHOP: { errno: 95, strerror: "EMULTIHOP (Reserved)" },
  ENODATA: { errno: 96, strerror: "No message available on STREAM" },
  ENOLINK: { errno: 97, strerror: "ENOLINK (Reserved)" },
  ENOSR: { errno: 98, strerror: "No STREAM resources" },
  ENOSTR: { errno: 99, strerror: "Not a STREAM" },
  EPROTO: { errno: 100, strerror: "Protocol error" },
  ETIME: { errno: 101, strerror: "STREAM ioctl timeout" },
  EOPNOTSUPP: { errno: 102, strerror: "Operation not supported on socket" },
  ENOPOLICY: { errno: 103, strerror: "Policy not found" },
  ENOTRECOVERABLE: { errno: 104, strerror: "State not recoverable" },
  EOWNERDEAD: { errno: 105, strerror: "Previous owner died" },
  EQFULL: { errno: 106, strerror: "Interface output queue is full" },
} as const satisfies ErrnoTable;
