/**
 * Test helpers: the mock on a random port with the test token, and the SDK's services pointed at it over undici.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomConfig } from "@intercom-effect/http"
import * as Services from "@intercom-effect/services"
import { Effect, Layer } from "effect"
import { MockIntercom } from "../../src/index.js"
import secret from "./secret.json" with { type: "json" }

/**
 * A token for tests (never a real one). The root test command scans all output for it: a leak fails the run.
 */
export const token: string = secret.token

/** The mock with the test token, on 127.0.0.1 and a free port. */
export const mock = (options: MockIntercom.Options = {}) =>
  MockIntercom.layer({ accessToken: token, ...options }).pipe(Layer.orDie)

/** Every service and their client, over undici, against `baseUrl`. */
export const services = (baseUrl: string, options: Partial<IntercomConfig.Options> = {}) =>
  Services.Intercom.layer.pipe(
    Layer.provide(Layer.orDie(IntercomConfig.layer({ accessToken: token, baseUrl, ...options }))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** Runs `effect` with the services (and their client) against the mock in context. */
export const withServices = <A, E, R>(effect: Effect.Effect<A, E, R>, options: Partial<IntercomConfig.Options> = {}) =>
  Effect.flatMap(MockIntercom.MockIntercom, (m) => Effect.provide(effect, services(m.url, options)))
