/**
 * The shapes shared by the per-OS errno tables.
 *
 * @module
 */

/** One errno as its C header and its libc's `strerror()` describe it. */
export interface ErrnoInfo {
  /** The number, positive, as in C (`errno`) and Python (`OSError.errno`). */
  readonly errno: number;
  /** The C library's `strerror(errno)` text (Python's `OSError.strerror`). */
  readonly strerror: string;
  /**
   * For a second name of the same number (`EWOULDBLOCK`), the canonical name (`EAGAIN`):
   * the one the system header defines with a number rather than with another name.
   */
  readonly aliasOf?: string;
}

/** A complete errno table for one OS, keyed by C name (`ECONNREFUSED`). */
export type ErrnoTable = Readonly<Record<string, ErrnoInfo>>;
