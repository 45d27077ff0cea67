/**
 * A lean `HttpClient` over undici's `dispatcher.request`, for measuring what the platform's own client costs on the
 * request path (`NodeHttpClient.layerUndici` wraps every request in an `AbortController`, a `URL`, a
 * `FinalizationRegistry` entry and a second response object, and reads each body through `Effect.cached` and a
 * `runSync` of its own). This one sends the request as it is, aborts the socket when the fiber is interrupted, and
 * reads the body with one promise. Enough for the SDK's calls (text, JSON, empty and byte bodies; no cookies, no
 * form data, no tracing of its own): an experiment of the bench, not a transport the SDK ships.
 */
import { Headers, HttpClient, HttpClientError, HttpClientResponse, type HttpClientRequest } from "@effect/platform"
import * as Cookies from "@effect/platform/Cookies"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import { Effect, Inspectable, Layer, Option, Stream } from "effect"
import { Agent, type Dispatcher } from "undici"

/** Where the path starts in an absolute URL (after `scheme://host`). */
const pathStart = (url: string): number => {
  const at = url.indexOf("/", url.indexOf("//") + 2)
  return at < 0 ? url.length : at
}

class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly status: number
  readonly remoteAddress = Option.none<string>()
  private cachedHeaders: Headers.Headers | undefined
  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Dispatcher.ResponseData
  ) {
    super()
    this.status = source.statusCode
    // An error on a body nobody reads would otherwise be thrown as unhandled.
    source.body.on("error", () => {})
  }
  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= Headers.fromInput(this.source.headers as Record<string, string>))
  }
  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }
  /** Reads the body once with `read`; interruption destroys the body, which frees the socket. */
  private body<A>(
    read: (body: Dispatcher.ResponseData["body"]) => Promise<A>
  ): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      const body = this.source.body
      read(body).then(
        (value) => resume(Effect.succeed(value)),
        (cause) =>
          resume(
            Effect.fail(
              new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
            )
          )
      )
      return Effect.sync(() => body.destroy())
    })
  }
  get text() {
    return this.body((body) => body.text())
  }
  get json() {
    return Effect.map(this.text, (text) => (text === "" ? null : (JSON.parse(text) as unknown)))
  }
  get arrayBuffer() {
    return this.body((body) => body.arrayBuffer())
  }
  get formData() {
    return this.body((body) => body.formData() as Promise<FormData>)
  }
  get urlParamsBody() {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromAsyncIterable(
      this.source.body as AsyncIterable<Uint8Array>,
      (cause) => new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    )
  }
  toJSON() {
    return { _id: "@effect/platform/HttpClientResponse", request: this.request.toJSON(), status: this.status }
  }
}

const bodyOf = (request: HttpClientRequest.HttpClientRequest): Uint8Array | string | null | undefined => {
  switch (request.body._tag) {
    case "Empty":
      return null
    case "Uint8Array":
      return request.body.body
    case "Raw":
      return request.body.body as string
    default:
      return undefined
  }
}

/** Sends one request; interruption before the response aborts it. */
const send =
  (dispatcher: Dispatcher) =>
  (
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
    Effect.async((resume) => {
      const body = bodyOf(request)
      if (body === undefined) {
        resume(
          Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: "unsupported body" }))
        )
        return
      }
      const query = request.urlParams.length === 0 ? "" : `?${UrlParams.toString(request.urlParams)}`
      const at = pathStart(request.url)
      const controller = new AbortController()
      dispatcher
        .request({
          origin: request.url.slice(0, at),
          path: request.url.slice(at) + query,
          method: request.method,
          headers: request.headers,
          body,
          signal: controller.signal,
          // Timeouts are the caller's (the SDK's per-attempt timeout), as with the platform's client.
          headersTimeout: 60 * 60 * 1000,
          bodyTimeout: 0
        })
        .then(
          (response) => resume(Effect.succeed(new Response(request, response))),
          (cause) => resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
        )
      return Effect.sync(() => controller.abort())
    })

/** The lean client as a layer, over an undici `Agent` of its own (closed with the layer). */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => new Agent()),
      (agent) => Effect.promise(() => agent.destroy())
    ),
    (agent) =>
      HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
        (request) => Effect.flatMap(request, send(agent)),
        Effect.succeed
      )
  )
)
