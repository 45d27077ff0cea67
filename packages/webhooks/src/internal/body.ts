/**
 * Reads a request body whole, but never more than a limit: a `Content-Length` over it is refused before a byte is
 * read, and a body sent without one (chunked) is refused as soon as the bytes read pass it. What was read is
 * dropped; nothing of it is hashed.
 *
 * @internal
 */
import type { HttpServerRequest } from "@effect/platform"
import { Effect, Stream } from "effect"
import * as WebhookError from "../WebhookError.js"

const declaredLength = (request: HttpServerRequest.HttpServerRequest): number | undefined => {
  const header = request.headers["content-length"]
  if (header === undefined || !/^\d+$/.test(header)) return undefined
  return Number(header)
}

/** @internal */
export const readBounded = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number
): Effect.Effect<Uint8Array, WebhookError.BodyTooLarge | WebhookError.UnreadableBody> =>
  Effect.suspend(() => {
    const declared = declaredLength(request)
    if (declared !== undefined && declared > maxBytes) {
      return Effect.fail(new WebhookError.BodyTooLarge({ maxBytes, receivedBytes: declared }))
    }
    const chunks: Array<Uint8Array> = []
    let size = 0
    return request.stream.pipe(
      // The error names what failed, not the request's URL (a query string may carry a credential).
      Stream.mapError(
        (error) =>
          new WebhookError.UnreadableBody({
            detail: error.description ?? (error.cause instanceof Error ? error.cause.message : error.reason)
          })
      ),
      Stream.runForEach((chunk) => {
        size += chunk.byteLength
        if (size > maxBytes) return Effect.fail(new WebhookError.BodyTooLarge({ maxBytes, receivedBytes: size }))
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.map(() => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    )
  })
