/**
 * Identifiers the way Intercom shapes them: contacts and companies get 24 hex digits (Mongo-style, the creation time
 * first; POST /conversations refuses any other length), everything else a decimal counter. Every id is derived from
 * the seed and a counter, so a seeded workspace and the objects a test creates in it are the same on every run.
 *
 * @internal
 */

/** The kinds of ids a workspace hands out. @internal */
export type Kind =
  | "admin"
  | "company"
  | "contact"
  | "conversation"
  | "event"
  | "export"
  | "message"
  | "note"
  | "part"
  | "request"
  | "scroll"
  | "tag"
  | "team"
  | "ticket"
  | "ticketNumber"

/** How many ids of each kind were handed out. @internal */
export type Counters = Readonly<Partial<Record<Kind, number>>>

// Keeps contact and company ids apart even when their counters and seconds agree.
const objectKind: Partial<Record<Kind, string>> = { contact: "c0", company: "c1" }

/** @internal */
export class Ids {
  private readonly counters: Partial<Record<Kind, number>>

  constructor(
    /** Six hex digits derived from the seed. */
    readonly salt: string,
    counters: Counters = {}
  ) {
    this.counters = { ...counters }
  }

  next(kind: Kind): number {
    const n = (this.counters[kind] ?? 0) + 1
    this.counters[kind] = n
    return n
  }

  numeric(kind: Kind): string {
    return String(this.next(kind))
  }

  /** A 24-hex-digit id created at `seconds`. */
  object(kind: "contact" | "company", seconds: number): string {
    const time = Math.max(0, Math.floor(seconds)).toString(16).padStart(8, "0").slice(-8)
    return `${time}${objectKind[kind]}${this.salt}${this.next(kind).toString(16).padStart(8, "0")}`
  }

  /** How many ids of `kind` were handed out: the number of the last one. */
  count(kind: Kind): number {
    return this.counters[kind] ?? 0
  }

  snapshot(): Counters {
    return { ...this.counters }
  }
}
