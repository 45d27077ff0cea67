/**
 * The `Webhooks` service: one app's client secret and body limit, and what a receiver does with a delivery, in this
 * order: read the `X-Hub-Signature` header (an unsigned or malformed request is refused before its body is read),
 * read the body up to the limit, check the signature over the raw bytes, and only then parse and decode the
 * notification.
 *
 * {@link handler} turns this into an `@effect/platform` HTTP handler: refused deliveries are answered with
 * {@link WebhookError.httpStatus} and logged (the message, never the secret or the body), accepted ones go to a
 * function of yours.
 *
 * @example
 * ```ts
 * import { HttpRouter, HttpServer } from "@effect/platform"
 * import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
 * import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
 * import { Webhooks } from "@intercom-effect/webhooks"
 * import { Effect, Layer } from "effect"
 * import { createServer } from "node:http"
 *
 * const router = HttpRouter.empty.pipe(
 *   HttpRouter.post(
 *     "/intercom/webhooks",
 *     Webhooks.handler((notification) => Effect.log(`${notification.topic} ${notification.id}`))
 *   )
 * )
 *
 * // The client secret from INTERCOM_CLIENT_SECRET.
 * HttpServer.serve(router).pipe(
 *   Layer.provide(Webhooks.layerConfig()),
 *   Layer.provide(NodeHttpServer.layer(createServer, { port: 3000 })),
 *   Layer.launch,
 *   NodeRuntime.runMain
 * )
 * ```
 *
 * @since 0.1.0
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Config, ConfigError, Context, Effect, Either, Layer, Redacted } from "effect"
import * as body from "./internal/body.js"
import * as signature from "./internal/signature.js"
import * as Notification from "./Notification.js"
import type { RawBody } from "./Signature.js"
import * as WebhookError from "./WebhookError.js"

/**
 * The body limit unless one is set: 1 MiB. A conversation notification carries the conversation with its latest
 * parts; the limit leaves room for long ones while keeping what an unsigned sender can make a receiver buffer small.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBodyBytes = 1024 * 1024

/**
 * What {@link layer} and {@link make} take.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The app's client secret (Developer Hub, the app's Basic information page). Non-empty, without surrounding whitespace. */
  readonly secret: Redacted.Redacted<string> | string
  /** Largest body accepted, in bytes; {@link defaultMaxBodyBytes} unless set. */
  readonly maxBodyBytes?: number | undefined
}

/**
 * {@link Options} for {@link layerConfig}: each field a plain value or a `Config`. Left out, the secret comes from
 * `INTERCOM_CLIENT_SECRET`.
 *
 * @since 0.1.0
 * @category models
 */
export type ConfigOptions = {
  readonly [K in keyof Options]?: Options[K] | Config.Config<Options[K]>
}

/**
 * The service. None of its methods or fields exposes the secret.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The body limit in force, in bytes. */
  readonly maxBodyBytes: number
  /** `Signature.verify` with this app's secret. */
  readonly verify: (
    rawBody: RawBody,
    header: string | null | undefined
  ) => Effect.Effect<void, WebhookError.SignatureError>
  /** Verifies, then (only if the signature matched) decodes. */
  readonly verifyAndDecode: (
    rawBody: RawBody,
    header: string | null | undefined
  ) => Effect.Effect<Notification.Notification, WebhookError.SignatureError | WebhookError.InvalidNotification>
  /**
   * The delivery in the current request: header, bounded read, signature, decode. Runs in a span named
   * `Webhooks.fromRequest` that carries the topic and notification id once they are known.
   */
  readonly fromRequest: Effect.Effect<
    Notification.Notification,
    WebhookError.WebhookError,
    HttpServerRequest.HttpServerRequest
  >
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Webhooks extends Context.Tag("@intercom-effect/webhooks/Webhooks")<Webhooks, Service>() {}

const secretProblem = (secret: string): string | undefined =>
  secret.length === 0
    ? "the client secret is empty"
    : secret.trim() !== secret
      ? "the client secret has whitespace at its start or end (copied with a trailing newline?)"
      : undefined

const maxBodyProblem = (maxBodyBytes: number): string | undefined =>
  Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0 ? undefined : "expected a positive whole number of bytes"

const resolve = (
  options: Options
): Either.Either<
  { readonly secret: Redacted.Redacted<string>; readonly maxBodyBytes: number },
  ConfigError.ConfigError
> => {
  const secret = Redacted.isRedacted(options.secret) ? options.secret : Redacted.make(options.secret)
  const problem = secretProblem(Redacted.value(secret))
  if (problem !== undefined) return Either.left(ConfigError.InvalidData(["secret"], problem))
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  const limitProblem = maxBodyProblem(maxBodyBytes)
  if (limitProblem !== undefined) return Either.left(ConfigError.InvalidData(["maxBodyBytes"], limitProblem))
  return Either.right({ secret, maxBodyBytes })
}

/**
 * Builds the service. Fails with `ConfigError.InvalidData` (naming the field, never the value) when the secret is
 * empty or has surrounding whitespace (an HMAC under an empty key is one anybody can compute; a trailing newline would
 * make every delivery fail), or the limit is not a positive whole number.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ConfigError.ConfigError> =>
  Effect.map(
    Effect.suspend(() => resolve(options)),
    ({ maxBodyBytes, secret }): Service => {
      const verify = (rawBody: RawBody, header: string | null | undefined) =>
        Effect.suspend(() => signature.verify(secret, rawBody, header))
      const fromRequest = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const given = yield* signature.parseHeader(request.headers[signature.headerName])
        const raw = yield* body.readBounded(request, maxBodyBytes)
        yield* signature.check(secret, raw, given)
        const notification = yield* Notification.decode(raw)
        yield* Effect.annotateCurrentSpan({
          "intercom.webhook.topic": notification.topic,
          "intercom.webhook.id": notification.id
        })
        return notification
      }).pipe(Effect.withSpan("Webhooks.fromRequest"))
      return {
        maxBodyBytes,
        verify,
        verifyAndDecode: (rawBody, header) => Effect.zipRight(verify(rawBody, header), Notification.decode(rawBody)),
        fromRequest
      }
    }
  )

/**
 * The service from explicit options; building it fails on invalid ones (see {@link make}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<Webhooks, ConfigError.ConfigError> =>
  Layer.effect(Webhooks, make(options))

const field = <A>(input: A | Config.Config<A> | undefined, fallback: Config.Config<A>): Config.Config<A> =>
  input === undefined ? fallback : Config.isConfig(input) ? (input as Config.Config<A>) : Config.succeed(input)

// Checked as a plain string and only then made `Redacted`: an error raised inside a redacted `Config` loses its
// message, and this message holds no secret.
const envSecret: Config.Config<Redacted.Redacted<string>> = Config.string("INTERCOM_CLIENT_SECRET").pipe(
  Config.mapOrFail((secret) => {
    const problem = secretProblem(secret)
    return problem === undefined ? Either.right(secret) : Either.left(ConfigError.InvalidData([], problem))
  }),
  Config.map(Redacted.make)
)

/**
 * The service configured through Effect's `Config`, so any `ConfigProvider` works. Left out, the secret comes from
 * `INTERCOM_CLIENT_SECRET` (read as `Redacted`) and the limit is {@link defaultMaxBodyBytes}.
 *
 * @example
 * ```ts
 * import { Webhooks } from "@intercom-effect/webhooks"
 * import { Config } from "effect"
 *
 * const WebhooksLive = Webhooks.layerConfig({
 *   secret: Config.redacted("MY_APP_CLIENT_SECRET"),
 *   maxBodyBytes: 256 * 1024
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (options: ConfigOptions = {}): Layer.Layer<Webhooks, ConfigError.ConfigError> =>
  Layer.effect(
    Webhooks,
    Effect.flatMap(
      Config.all({
        secret: field(options.secret, envSecret),
        maxBodyBytes: field(options.maxBodyBytes, Config.succeed(undefined))
      }),
      make
    )
  )

/**
 * The delivery in the current request, through the `Webhooks` service in context (see `Service.fromRequest`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const fromRequest: Effect.Effect<
  Notification.Notification,
  WebhookError.WebhookError,
  Webhooks | HttpServerRequest.HttpServerRequest
> = Effect.flatMap(Webhooks, (webhooks) => webhooks.fromRequest)

/**
 * The answer to a refused delivery: {@link WebhookError.httpStatus} and a JSON body naming the error's tag, nothing
 * more (the sender learns which check failed, not the detail).
 *
 * @since 0.1.0
 * @category http
 */
export const errorResponse = (error: WebhookError.WebhookError): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson({ error: error._tag }, { status: WebhookError.httpStatus(error) })

/**
 * An HTTP handler for a webhook route: refuses what does not verify or decode (answered by {@link errorResponse}
 * and logged at warning level with the error's message), and hands each accepted notification to `onNotification`.
 * What `onNotification` returns is the answer; when it returns nothing the answer is an empty 200. Its failures are
 * yours to handle (the server answers an unhandled one with 500, and Intercom delivers again).
 *
 * Intercom wants an answer within seconds: do slow work (calls back to Intercom, say) in a forked fiber, and
 * de-duplicate by `notification.id`, since a delivery may arrive more than once.
 *
 * @since 0.1.0
 * @category http
 */
export const handler = <E, R>(
  onNotification: (
    notification: Notification.Notification
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse | void, E, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | Webhooks | HttpServerRequest.HttpServerRequest> =>
  fromRequest.pipe(
    Effect.matchEffect({
      onFailure: (error) =>
        Effect.as(
          Effect.logWarning(`Intercom webhook refused: ${error.message}`).pipe(
            Effect.annotateLogs({ "intercom.webhook.error": error._tag })
          ),
          errorResponse(error)
        ),
      onSuccess: (notification) =>
        Effect.map(onNotification(notification), (response) => response ?? HttpServerResponse.empty({ status: 200 }))
    })
  )
