/**
 * The SDK's decode of a parsed GET /contacts page, in one place, so the decode workload measures exactly what the SDK
 * does: `Decoder.decodeUnknownEither`, the generated fast path with the `Schema` behind it for errors, as
 * @intercom-effect/http decodes every response.
 */
import { ContactList, Decoder } from "@intercom-effect/schemas"
import { Either } from "effect"

// Built once, as the client caches it per schema.
const decodeContactList = Decoder.decodeUnknownEither(ContactList)

/** Decodes a parsed `contact_list` body as the SDK does; throws on a body the schema rejects. */
export const sdkDecode = (json: unknown): ContactList =>
  Either.getOrThrowWith(decodeContactList(json), (error) => error)
