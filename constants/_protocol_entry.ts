/**
 * The type `protocols.ts` returns, kept apart because `deno test --doc` imports every export of a
 * file into each of its `js` examples, where a type import is a syntax error.
 *
 * @module
 */

/** One protocols(5) entry, as C's `struct protoent` holds it. */
export interface ProtocolEntry {
  /** The official name (`p_name`): `"tcp"`. */
  readonly name: string;
  /** The other names (`p_aliases`), in file order: `["TCP"]`. */
  readonly aliases: readonly string[];
  /** The protocol number (`p_proto`): `6`. */
  readonly number: number;
}
