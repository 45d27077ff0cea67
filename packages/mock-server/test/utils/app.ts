/**
 * Calls to the mock's application without a server, for tests that run it under a `TestClock` or need no socket.
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { token } from "./mock.js"

export interface AppResponse {
  readonly status: number
  readonly headers: Headers
  /** The parsed JSON body; undefined when there is none. */
  readonly json: Record<string, unknown>
}

/** One request with the test token and `Intercom-Version: 2.10`. */
export const call = (
  app: HttpApp.Default<never, HttpServerRequest.HttpServerRequest>,
  path: string,
  method = "GET",
  body?: unknown
): Effect.Effect<AppResponse> =>
  Effect.gen(function* () {
    const request = HttpServerRequest.fromWeb(
      new Request(`http://mock.test${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "intercom-version": "2.10", "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
    )
    const response = HttpServerResponse.toWeb(
      yield* Effect.provideService(app, HttpServerRequest.HttpServerRequest, request)
    )
    const text = yield* Effect.promise(() => response.text())
    return {
      status: response.status,
      headers: response.headers,
      json: (text === "" ? undefined : JSON.parse(text)) as Record<string, unknown>
    }
  })
