/**
 * Every reason a webhook delivery is refused, as tagged errors in the error channel. The signature errors come before
 * anything of the body is parsed; `InvalidNotification` only after the signature matched.
 *
 * No error holds the client secret, the signature Intercom sent, or the one this side computed (that would hand out
 * the HMAC of a chosen body), nor the body itself (it carries customer data). What they keep is what a log needs to
 * tell the cases apart: the algorithm named in the header, sizes, and for a body that is not a notification, the
 * field path and the schema's complaint.
 *
 * Each error has a short `_tag` to `catchTag` on, a namespaced schema identifier, and the {@link TypeId} behind
 * {@link isWebhookError}; {@link httpStatus} says how a receiver answers it.
 *
 * @since 0.1.0
 */
import { Predicate, Schema } from "effect"

/**
 * Marks every error of this module, so {@link isWebhookError} can recognise them whatever their tag.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@intercom-effect/webhooks/WebhookError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Whether a value is one of the errors of this module.
 *
 * @example
 * ```ts
 * import { WebhookError } from "@intercom-effect/webhooks"
 *
 * WebhookError.isWebhookError(new WebhookError.MissingSignature()) // true
 * WebhookError.isWebhookError(new Error("boom")) // false
 * ```
 *
 * @since 0.1.0
 * @category guards
 */
export const isWebhookError = (u: unknown): u is WebhookError => Predicate.hasProperty(u, TypeId)

const identifier = (tag: string) => `@intercom-effect/webhooks/WebhookError/${tag}`

/**
 * The request carries no `X-Hub-Signature` header (or an empty one). Intercom signs every notification when the app
 * has a client secret, so an unsigned request did not come from it.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissingSignature extends Schema.TaggedError<MissingSignature>(identifier("MissingSignature"))(
  "MissingSignature",
  {}
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return "the request carries no X-Hub-Signature header"
  }
}

/**
 * The signature names another algorithm than `sha1` (for example `sha256=`). Intercom signs with HMAC-SHA1 only, and
 * accepting a second algorithm would only widen what a forger may try.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedAlgorithm extends Schema.TaggedError<UnsupportedAlgorithm>(identifier("UnsupportedAlgorithm"))(
  "UnsupportedAlgorithm",
  {
    /** The algorithm the header names, lower case; `"(unprintable)"` when it is not a short plain name. */
    algorithm: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `the X-Hub-Signature header names the algorithm ${this.algorithm}, not sha1`
  }
}

/**
 * The header is not `sha1=` followed by 40 hexadecimal digits.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedSignature extends Schema.TaggedError<MalformedSignature>(identifier("MalformedSignature"))(
  "MalformedSignature",
  {
    /** What is wrong with it, in words; never the header's value. */
    reason: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `the X-Hub-Signature header is malformed: ${this.reason}`
  }
}

/**
 * The signature is well formed but does not match the body: the body was changed on the way, or it was signed with
 * another secret (a forgery, or a secret that was rotated).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends Schema.TaggedError<InvalidSignature>(identifier("InvalidSignature"))(
  "InvalidSignature",
  {
    /** Size of the body that was checked. */
    bodyBytes: Schema.Number
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `the X-Hub-Signature does not match the body (${this.bodyBytes} bytes): altered, or signed with another secret`
  }
}

/**
 * The body is larger than the receiver accepts. Raised from the `Content-Length` header before anything is read, or
 * as soon as the bytes read pass the limit; the body is never hashed or parsed.
 *
 * @since 0.1.0
 * @category errors
 */
export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>(identifier("BodyTooLarge"))("BodyTooLarge", {
  maxBytes: Schema.Number,
  /** The declared `Content-Length`, or how many bytes had arrived when reading stopped. */
  receivedBytes: Schema.Number
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `the body is larger than the ${this.maxBytes} bytes accepted (${this.receivedBytes} bytes or more)`
  }
}

/**
 * The request body could not be read to its end (the sender hung up, or the connection failed).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnreadableBody extends Schema.TaggedError<UnreadableBody>(identifier("UnreadableBody"))("UnreadableBody", {
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  override get message(): string {
    return `the request body could not be read: ${this.detail}`
  }
}

/**
 * The signature matched, but the body is not an Intercom notification: not UTF-8 JSON (`"NotJson"`), or JSON whose
 * envelope (or whose item, for a topic this package models) does not decode (`"NotANotification"`). `fieldPath` is
 * the path to the first offending field (`["data", "item", "id"]`); `issue` is the schema's complaint, shortened.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidNotification extends Schema.TaggedError<InvalidNotification>(identifier("InvalidNotification"))(
  "InvalidNotification",
  {
    reason: Schema.Literal("NotJson", "NotANotification"),
    fieldPath: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
    issue: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId

  /** `data.item.id`, or `(the body)` for the top level. */
  get at(): string {
    return this.fieldPath.length === 0
      ? "(the body)"
      : this.fieldPath.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join("")
  }

  override get message(): string {
    return this.reason === "NotJson"
      ? `the signed body is not JSON: ${this.issue}`
      : `the signed body is not an Intercom notification, at ${this.at}: ${this.issue}`
  }
}

/**
 * The errors of reading and checking the `X-Hub-Signature` header against a body.
 *
 * @since 0.1.0
 * @category models
 */
export type SignatureError = MissingSignature | UnsupportedAlgorithm | MalformedSignature | InvalidSignature

/**
 * Every reason a delivery is refused.
 *
 * @since 0.1.0
 * @category models
 */
export type WebhookError = SignatureError | BodyTooLarge | UnreadableBody | InvalidNotification

/**
 * A schema of the whole union, for users that persist or send errors across a boundary.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WebhookError = Schema.Union(
  MissingSignature,
  UnsupportedAlgorithm,
  MalformedSignature,
  InvalidSignature,
  BodyTooLarge,
  UnreadableBody,
  InvalidNotification
)

/**
 * The HTTP status a receiver answers a refused delivery with: 401 for every signature error (the sender is not who
 * it says), 413 for a body over the limit, 400 for a body that cannot be read or is not a notification.
 *
 * @example
 * ```ts
 * import { WebhookError } from "@intercom-effect/webhooks"
 *
 * WebhookError.httpStatus(new WebhookError.UnsupportedAlgorithm({ algorithm: "sha256" })) // 401
 * ```
 *
 * @since 0.1.0
 * @category conversions
 */
export const httpStatus = (error: WebhookError): 400 | 401 | 413 => {
  switch (error._tag) {
    case "MissingSignature":
    case "UnsupportedAlgorithm":
    case "MalformedSignature":
    case "InvalidSignature":
      return 401
    case "BodyTooLarge":
      return 413
    case "UnreadableBody":
    case "InvalidNotification":
      return 400
  }
}
