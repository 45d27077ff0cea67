/**
 * Helpers shared by the tests that run the client over real sockets (undici against a 127.0.0.1 TestServer).
 */
import { assert } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Effect, Layer, Schema } from "effect"
import { IntercomClient, IntercomConfig, type IntercomError } from "../../src/index.js"
import { token } from "./fake.js"

export const Admin = Schema.Struct({ type: Schema.Literal("admin"), id: Schema.String, email: Schema.String })
export const admin = { type: "admin", id: "991", email: "ops@example.com" } as const

/** The client over undici, against `baseUrl`, with test defaults (no jitter). The options are valid, hence orDie. */
export const layerFor = (baseUrl: string, options: Partial<IntercomConfig.Options> = {}) =>
  IntercomClient.layer.pipe(
    Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, retry: { jitter: 0 }, ...options }))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

export const withClient = <A, E>(
  baseUrl: string,
  options: Partial<IntercomConfig.Options>,
  f: (client: IntercomClient.Service) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.flatMap(IntercomClient.IntercomClient, f).pipe(Effect.provide(layerFor(baseUrl, options)))

export const noRetry = { retry: { maxRetries: 0 } } as const

/** GET /me once, without retries: the call most error tests make. */
export const getMeOnce = (baseUrl: string) =>
  withClient(baseUrl, noRetry, (client) => client.request({ method: "GET", path: "/me", response: Admin }))

export type AnyError = IntercomError.IntercomError
export type ErrorOf<T extends AnyError["_tag"]> = Extract<AnyError, { readonly _tag: T }>

/**
 * Asserts that none of `secrets` appears in any rendering of `error` a user may see: its message, `String`,
 * `JSON.stringify` and `Cause.pretty`. The assertion messages never print the compared text, so a leak fails the
 * test without writing the secret to the output.
 */
export const assertNoSecret = (error: AnyError, secrets: ReadonlyArray<string> = [token]) => {
  const renderings = {
    message: error.message,
    String: String(error),
    "JSON.stringify": JSON.stringify(error),
    "Cause.pretty": Cause.pretty(Cause.fail(error), { renderErrorCause: true })
  }
  for (const [how, text] of Object.entries(renderings)) {
    secrets.forEach((secret, i) =>
      assert.isFalse(text.includes(secret), `secret #${i} leaked into ${how}(${error._tag})`)
    )
  }
}

/** Checks the token is nowhere in the error, then logs it (so the test output holds real error text). */
export const observe = (error: AnyError) =>
  Effect.gen(function* () {
    assertNoSecret(error)
    yield* Effect.logInfo(error.message, error)
    return error
  })

/** Runs a call that must fail, logs its error and narrows it to the expected tag. */
export const failsWith = <T extends AnyError["_tag"], A>(tag: T, effect: Effect.Effect<A, AnyError>) =>
  Effect.gen(function* () {
    const error = yield* observe(yield* Effect.flip(effect))
    assert.strictEqual(error._tag, tag, error.message)
    return error as ErrorOf<T>
  })

/** Waits on the event loop, not on the Clock, so it works under TestClock too (sockets run in real time). */
export const realSleep = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/** Polls a condition set by the server's callbacks, with a bounded wait in real time. */
export const waitUntil = (what: string, predicate: () => boolean, withinMillis = 3000) =>
  Effect.gen(function* () {
    const deadline = Date.now() + withinMillis
    while (!predicate()) {
      if (Date.now() > deadline)
        return yield* Effect.dieMessage(`gave up after ${withinMillis} ms waiting until ${what}`)
      yield* realSleep(10)
    }
  })

export const errorList = (requestId: string, code: string, message: string, field?: string) => ({
  type: "error.list",
  request_id: requestId,
  errors: [field === undefined ? { code, message } : { code, message, field }]
})

export const str = (value: string | Array<string> | undefined): string | undefined =>
  Array.isArray(value) ? value.join(", ") : value
