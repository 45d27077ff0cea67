/**
 * Intercom timestamps are unix seconds (integers), although the spec declares many of them `date-time`.
 * The generated schemas keep them as numbers, so decoding never guesses; these helpers convert where a
 * `DateTime` is wanted.
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"

/**
 * Unix seconds -> `DateTime.Utc`.
 *
 * @since 0.1.0
 */
export const toDateTime = (seconds: number): DateTime.Utc => DateTime.unsafeMake(seconds * 1000)

/**
 * `DateTime` -> unix seconds, rounded down: Intercom stores whole seconds.
 *
 * @since 0.1.0
 */
export const fromDateTime = (dateTime: DateTime.DateTime): number => Math.floor(DateTime.toEpochMillis(dateTime) / 1000)

/**
 * Unix seconds, as Intercom sends and expects them: a non-negative integer.
 *
 * @since 0.1.0
 */
export const UnixSeconds = Schema.NonNegativeInt.annotations({ identifier: "UnixSeconds" })

/**
 * A schema from unix seconds (encoded) to `DateTime.Utc` (decoded), to compose with a generated field
 * where a `DateTime` reads better, e.g. `Schema.decodeUnknownSync(DateTimeFromUnixSeconds)(contact.created_at)`.
 *
 * @since 0.1.0
 */
export const DateTimeFromUnixSeconds: Schema.Schema<DateTime.Utc, number> = Schema.transform(
  UnixSeconds,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: toDateTime,
    encode: fromDateTime
  }
).annotations({ identifier: "DateTimeFromUnixSeconds" })
