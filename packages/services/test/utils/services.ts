/**
 * Test helpers: the services over a real client (undici) against a base URL, and every service object at once.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomClient, IntercomConfig } from "@intercom-effect/http"
import { Effect, Layer } from "effect"
import * as Services from "../../src/index.js"
import secret from "./secret.json" with { type: "json" }

/**
 * A token for tests (never a real one). The root test command scans all output for it: a leak fails the run. It
 * holds `/`, `+` and `=` so that its escaped forms differ from it.
 */
export const token: string = secret.token

/** Every service and their client, over undici, against `baseUrl`; retries off unless asked for. */
export const layerFor = (baseUrl: string, options: Partial<IntercomConfig.Options> = {}) =>
  Services.Intercom.layer.pipe(
    // A configuration a test gets wrong is a bug in the test, not a failure to assert on.
    Layer.provide(
      Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, retry: { maxRetries: 0 }, ...options }))
    ),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** All 21 service objects by name. */
export const all = Effect.all(Services.Intercom.tags)

/** The type of {@link all}'s result. */
export type All = Effect.Effect.Success<typeof all>

/** Runs `f` with every service, against `baseUrl`. */
export const withServices = <A, E>(
  baseUrl: string,
  f: (services: All) => Effect.Effect<A, E>,
  options: Partial<IntercomConfig.Options> = {}
): Effect.Effect<A, E> => Effect.flatMap(all, f).pipe(Effect.provide(layerFor(baseUrl, options)))

export { IntercomClient }
