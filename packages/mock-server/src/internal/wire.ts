/**
 * Records encoded for the wire, each with the generated schema of its kind, and kept until the store changes.
 * Encoding through the `Schema` costs far more than `JSON.stringify` (about 150 µs a contact), and a walk of a big
 * workspace asks for the same records again and again (several clients, a benchmark's contenders), so each record is
 * encoded once per version of the store.
 *
 * @internal
 */
import { Company, Contact, ConversationListItem } from "@intercom-effect/schemas"
import { Schema } from "effect"
import type { CompanyRecord, ContactRecord, ConversationRecord, Store } from "../State.js"
import * as Render from "./render.js"

/** @internal */
export class Encoded<R extends object, A, I> {
  private readonly cache = new WeakMap<R, { readonly version: number; readonly value: I }>()
  private readonly encode: (a: A) => I

  constructor(
    schema: Schema.Schema<A, I>,
    private readonly render: (store: Store, record: R) => A
  ) {
    this.encode = Schema.encodeSync(schema)
  }

  get(store: Store, record: R): I {
    const hit = this.cache.get(record)
    if (hit !== undefined && hit.version === store.version) return hit.value
    const value = this.encode(this.render(store, record))
    this.cache.set(record, { version: store.version, value })
    return value
  }

  all(store: Store, records: ReadonlyArray<R>): Array<I> {
    return records.map((record) => this.get(store, record))
  }
}

/** @internal */
export const contacts = new Encoded<ContactRecord, Contact, typeof Contact.Encoded>(Contact, (_, r) =>
  Render.contact(r)
)

/** @internal */
export const companies = new Encoded<CompanyRecord, Company, typeof Company.Encoded>(Company, Render.company)

/** @internal */
export const conversations = new Encoded<ConversationRecord, ConversationListItem, typeof ConversationListItem.Encoded>(
  ConversationListItem,
  Render.conversationItem
)
