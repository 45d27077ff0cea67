/**
 * Cursors (`starting_after`) as Intercom hands them out: opaque base64 strings. The mock's carry the creation order
 * of the last item sent and the number of the page it was on, so a cursor survives deletions and additions around
 * it and the next page knows its number.
 *
 * @internal
 */

/** What a cursor points after. @internal */
export interface Position {
  readonly seq: number
  readonly page: number
}

/** @internal */
export const encode = (position: Position): string =>
  Buffer.from(JSON.stringify([position.seq, position.page])).toString("base64url")

/** The position inside a cursor, or undefined when it is not one of the mock's. @internal */
export const decode = (cursor: string): Position | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    return Array.isArray(parsed) && Number.isSafeInteger(parsed[0]) && Number.isSafeInteger(parsed[1])
      ? { seq: parsed[0] as number, page: parsed[1] as number }
      : undefined
  } catch {
    return undefined
  }
}
