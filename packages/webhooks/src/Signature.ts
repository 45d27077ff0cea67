/**
 * Intercom's webhook signature: `X-Hub-Signature: sha1=<hex>`, the HMAC-SHA1 of the raw request body keyed with the
 * app's client secret. {@link verify} checks one; {@link sign} makes one (for tests, and for replaying a stored
 * notification to one's own receiver).
 *
 * The header is read before the body is looked at, and the comparison takes the same time wherever the first
 * differing byte is (`crypto.timingSafeEqual`), so the signature cannot be guessed byte by byte from response times.
 * The secret is a `Redacted` and is unwrapped only to key the HMAC.
 *
 * Uses `node:crypto` (Node, Bun and Deno provide it).
 *
 * @since 0.1.0
 */
import { Effect, Either, type Redacted } from "effect"
import * as internal from "./internal/signature.js"
import type * as WebhookError from "./WebhookError.js"

/**
 * The header Intercom puts the signature in, lower case as `@effect/platform` exposes request headers.
 *
 * @since 0.1.0
 * @category constants
 */
export const headerName: string = internal.headerName

/**
 * The algorithm prefix of a valid header.
 *
 * @since 0.1.0
 * @category constants
 */
export const algorithm = "sha1"

/**
 * A body as it arrived: bytes, or a string taken as its UTF-8 encoding.
 *
 * @since 0.1.0
 * @category models
 */
export type RawBody = Uint8Array | string

/**
 * The `X-Hub-Signature` value for a body: `sha1=` and 40 lower-case hex digits.
 *
 * @example
 * ```ts
 * import { Signature } from "@intercom-effect/webhooks"
 * import { Redacted } from "effect"
 *
 * const header = Signature.sign(Redacted.make("my-client-secret"), '{"type":"notification_event"}')
 * // "sha1=…" (40 hex digits)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const sign = (secret: Redacted.Redacted<string>, body: RawBody): string =>
  `${algorithm}=${Buffer.from(internal.digest(secret, body)).toString("hex")}`

/**
 * Checks an `X-Hub-Signature` header against a raw body, in this order: the header is present
 * (`MissingSignature`), names `sha1` (`UnsupportedAlgorithm`), carries 40 hex digits (`MalformedSignature`), and
 * matches the HMAC-SHA1 of exactly these bytes under `secret` (`InvalidSignature`). Nothing of the body is parsed.
 *
 * Pass the body exactly as received: re-serialised JSON (other spacing, other key order, other escapes) has another
 * signature.
 *
 * @example
 * ```ts
 * import { Signature } from "@intercom-effect/webhooks"
 * import { Effect, Redacted } from "effect"
 *
 * const secret = Redacted.make("my-client-secret")
 * const body = '{"type":"notification_event"}'
 *
 * const checked = Signature.verify(secret, body, Signature.sign(secret, body)) // Effect<void, SignatureError>
 * const refused = Signature.verify(secret, body, "sha256=00").pipe(
 *   Effect.catchTag("UnsupportedAlgorithm", (error) => Effect.log(error.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (
  secret: Redacted.Redacted<string>,
  rawBody: RawBody,
  header: string | null | undefined
): Effect.Effect<void, WebhookError.SignatureError> => Effect.suspend(() => internal.verify(secret, rawBody, header))

/**
 * {@link verify} as a plain boolean: true only when the header is a well-formed sha1 signature of the body.
 *
 * @since 0.1.0
 * @category verification
 */
export const isValid = (
  secret: Redacted.Redacted<string>,
  rawBody: RawBody,
  header: string | null | undefined
): boolean => Either.isRight(internal.verify(secret, rawBody, header))
