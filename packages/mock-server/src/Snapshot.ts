/**
 * The expected copy of a workspace: everything a lossless sync should hold once it has caught up, rendered exactly
 * as the API sends it. Every contact is the body of `GET /contacts/{id}`, every company of `GET /companies/{id}`,
 * every ticket of `GET /tickets/{id}`, and every conversation the body of `GET /conversations/{id}` with all its
 * parts (the API sends the last 500 only). The records are rendered and encoded by the same functions as the routes',
 * so a snapshot and the answers cannot drift apart. Beside them: what was deleted or merged away since the mock
 * started, for a test to check that the copy no longer holds it.
 *
 * Read it with `store.snapshot()`, `MockIntercom.snapshot`, or `GET /__mock/snapshot` from another process.
 *
 * @since 0.2.0
 */
import { Company, Contact, Conversation, Ticket } from "@intercom-effect/schemas"
import { Schema } from "effect"
import * as Wire from "./internal/wire.js"
import type { Store } from "./State.js"

/**
 * A contact merged into another.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Merge = Schema.Struct({ from: Schema.String, into: Schema.String }).annotations({
  identifier: "Merge"
})

/**
 * Ids of records gone from the workspace since the mock started.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Removed = Schema.Struct({
  /** Deleted or merged away (the merges are listed apart too). */
  contacts: Schema.Array(Schema.String),
  companies: Schema.Array(Schema.String),
  conversations: Schema.Array(Schema.String)
}).annotations({ identifier: "Removed" })

/**
 * The wire shape of a snapshot: records in creation order, each in the encoded form the API sends (so the
 * schemas here are the encoded sides of the SDK's response schemas).
 *
 * @since 0.2.0
 * @category schemas
 */
export const Snapshot = Schema.Struct({
  /** The workspace clock in epoch milliseconds; null when the mock is not living (it follows Effect's `Clock`). */
  now: Schema.NullOr(Schema.Number),
  contacts: Schema.Array(Schema.encodedSchema(Contact)),
  companies: Schema.Array(Schema.encodedSchema(Company)),
  conversations: Schema.Array(Schema.encodedSchema(Conversation)),
  tickets: Schema.Array(Schema.encodedSchema(Ticket)),
  removed: Removed,
  merged: Schema.Array(Merge)
}).annotations({ identifier: "Snapshot" })

/**
 * A snapshot of the workspace.
 *
 * @since 0.2.0
 * @category models
 */
export interface Snapshot extends Schema.Schema.Type<typeof Snapshot> {}

/**
 * The snapshot of `store` now. Contacts are all those `GET /contacts/{id}` answers, archived ones included. Each
 * record's encoding is kept until it changes, so a second snapshot after a few changes encodes only those.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (store: Store): Snapshot => {
  const merged: Array<typeof Merge.Type> = []
  for (const [from, removal] of store.removed.contacts) {
    if (removal.reason === "merged") merged.push({ from, into: removal.into })
  }
  return {
    now: store.clock ?? null,
    contacts: Wire.contacts.all(store, store.contacts.values()),
    companies: Wire.companies.all(store, store.companies.values()),
    conversations: Wire.wholeConversations.all(store, store.conversations.values()),
    tickets: Wire.tickets.all(store, store.tickets.values()),
    removed: {
      contacts: [...store.removed.contacts.keys()],
      companies: [...store.removed.companies.keys()],
      conversations: [...store.removed.conversations.keys()]
    },
    merged
  }
}
