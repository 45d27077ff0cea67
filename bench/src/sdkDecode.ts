/**
 * The SDK's decode of a parsed GET /contacts page, in one place, so the decode workload measures exactly what the SDK
 * does and a faster decoder (issue 7) is measured by changing the one line below.
 */
import { ContactList } from "@intercom-effect/schemas"
import { Schema } from "effect"

// Built once: Schema.decodeUnknownSync compiles its parser when called with the schema, not per value.
const decodeContactList = Schema.decodeUnknownSync(ContactList, { onExcessProperty: "ignore" })

/** Decodes a parsed `contact_list` body as the SDK does; throws on a body the schema rejects. */
export const sdkDecode = (json: unknown): ContactList => decodeContactList(json)
