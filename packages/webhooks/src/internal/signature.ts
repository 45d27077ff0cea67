/**
 * The signature check in two steps, so a receiver can refuse a bad header before it reads the body: `parseHeader`
 * (the header alone) and `check` (the digest against the body).
 *
 * @internal
 */
import { Either, Redacted } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import * as WebhookError from "../WebhookError.js"

/** The header that carries the signature, as `@effect/platform` spells request headers. */
export const headerName = "x-hub-signature"

const digestBytes = 20
const hexDigits = /^[0-9a-fA-F]{40}$/
// An algorithm name worth repeating in an error; anything else is the sender's noise and is not echoed.
const printableAlgorithm = /^[a-z0-9-]{1,16}$/

/** HMAC-SHA1 of the body under the secret. */
export const digest = (secret: Redacted.Redacted<string>, body: Uint8Array | string): Uint8Array =>
  createHmac("sha1", Redacted.value(secret))
    .update(typeof body === "string" ? Buffer.from(body, "utf8") : body)
    .digest()

/** The 20 bytes a header carries, or why it carries none. */
export const parseHeader = (
  header: string | null | undefined
): Either.Either<
  Uint8Array,
  WebhookError.MissingSignature | WebhookError.UnsupportedAlgorithm | WebhookError.MalformedSignature
> => {
  const value = header?.trim() ?? ""
  if (value === "") return Either.left(new WebhookError.MissingSignature())
  const eq = value.indexOf("=")
  if (eq < 0) {
    return Either.left(
      new WebhookError.MalformedSignature({ reason: "expected <algorithm>=<hex digest>, found no '='" })
    )
  }
  const name = value.slice(0, eq).trim().toLowerCase()
  if (name !== "sha1") {
    return Either.left(
      new WebhookError.UnsupportedAlgorithm({
        algorithm: printableAlgorithm.test(name) ? name : "(unprintable)"
      })
    )
  }
  const hex = value.slice(eq + 1).trim()
  if (!hexDigits.test(hex)) {
    return Either.left(
      new WebhookError.MalformedSignature({
        reason: `expected 40 hexadecimal digits after sha1=, found ${hex.length} characters${
          hex.length === 40 ? " that are not all hexadecimal" : ""
        }`
      })
    )
  }
  return Either.right(Buffer.from(hex, "hex"))
}

/** Whether `given` (20 bytes) is the body's digest, compared in constant time. */
export const check = (
  secret: Redacted.Redacted<string>,
  body: Uint8Array | string,
  given: Uint8Array
): Either.Either<void, WebhookError.InvalidSignature> => {
  const expected = digest(secret, body)
  const bodyBytes = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength
  return given.byteLength === digestBytes && timingSafeEqual(expected, given)
    ? Either.void
    : Either.left(new WebhookError.InvalidSignature({ bodyBytes }))
}

/** Both steps. */
export const verify = (
  secret: Redacted.Redacted<string>,
  body: Uint8Array | string,
  header: string | null | undefined
): Either.Either<void, WebhookError.SignatureError> =>
  Either.flatMap(parseHeader(header), (given) => check(secret, body, given))
