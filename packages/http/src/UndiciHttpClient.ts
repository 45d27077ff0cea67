/**
 * An `HttpClient` of `@effect/platform` over undici's `Dispatcher.request`, doing less per request than
 * `NodeHttpClient.layerUndici`. It drops in where that layer goes:
 *
 * ```ts
 * IntercomClient.layerConfig().pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 *
 * When tracing is off for a request (the `IntercomClient` turns the platform's HTTP spans off and opens its own), a
 * request is sent as it is: no `URL` parsed for an absolute URL of plain characters, one `AbortController` (for
 * interruption), no wrapper around the response, headers read into a record once, and each body read with one
 * promise. When a request is traced, it goes through `HttpClient.make`, which opens the span with the platform's
 * attributes and propagates the trace context, as every platform client does.
 *
 * Semantics: interrupting a request aborts it (the socket is closed); interrupting a body read destroys the body,
 * which closes the socket too; a response whose body is never read has that body destroyed once the response is
 * garbage-collected, so a large unread body does not hold a keep-alive socket. Transport failures are `RequestError`
 * (reason `Transport`); a URL that does not parse is `RequestError` (`InvalidUrl`); a body that fails to read or
 * parse is `ResponseError` (`Decode`). Timeouts are the caller's: undici's own are switched off, as in the
 * platform's client. `HttpClient.withScope` is honoured on traced requests only: on the lean path, interrupt the
 * fiber instead.
 *
 * @since 0.3.0
 */
import { Readable } from "node:stream"
import type { ReadableStream as WebReadableStream } from "node:stream/web"
import {
  Cookies,
  Headers,
  HttpClient,
  HttpClientError,
  type HttpBody,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import { Effect, FiberRef, Inspectable, Layer, Option, Stream } from "effect"
import { Agent, getGlobalDispatcher, type Dispatcher } from "undici"

// ---------------------------------------------------------------------------------------------------------------
// Where a request goes
// ---------------------------------------------------------------------------------------------------------------

interface Target {
  readonly origin: string
  readonly path: string
}

// An absolute URL as a client builds it (scheme, plain host name or IPv4, port, a path of printable ASCII) is sliced
// as it is. Anything else goes through `URL`, which normalises it the way the platform's client does: spaces and
// non-ASCII characters, user info, IPv6 hosts, a fragment, a backslash or a dot segment (`/./`, `/../`).
const plainOrigin = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?=\/|$)/
const plainPath = /^[\x21\x22\x24-\x5b\x5d-\x7e]*$/

const queryOf = (request: HttpClientRequest.HttpClientRequest, path: string): string =>
  request.urlParams.length === 0 ? "" : (path.includes("?") ? "&" : "?") + UrlParams.toString(request.urlParams)

/** The origin and the path (with the query) of a request, or why its URL is not one. The fragment is never sent. */
const targetOf = (request: HttpClientRequest.HttpClientRequest): Target | HttpClientError.RequestError => {
  const url = request.url
  const origin = plainOrigin.exec(url)
  if (origin !== null) {
    const path = url.slice(origin[0].length)
    if (plainPath.test(path) && !path.includes("/.")) {
      return { origin: origin[0], path: (path === "" ? "/" : path) + queryOf(request, path) }
    }
  }
  const parsed = UrlParams.makeUrl(url, request.urlParams, Option.none())
  return parsed._tag === "Left"
    ? new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: parsed.left })
    : { origin: parsed.right.origin, path: parsed.right.pathname + parsed.right.search }
}

// ---------------------------------------------------------------------------------------------------------------
// The response
// ---------------------------------------------------------------------------------------------------------------

type Body = Dispatcher.ResponseData["body"]

// undici frees a socket once the response's body is complete, and a body larger than the stream's buffer is only
// complete once someone reads it. Without a body timeout (timeouts are the caller's), a response dropped unread
// would hold its socket for ever: when it is collected, its body is destroyed. A read takes the entry off.
const unread = new FinalizationRegistry<Body>((body) => body.destroy())

// An error nobody listens to would be thrown as unhandled; reads and streams report their own.
const ignore = () => {}

const noAddress = Option.none<string>()

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly status: number
  readonly remoteAddress = noAddress
  private headersRecord: Headers.Headers | undefined
  private cookiesRead: Cookies.Cookies | undefined
  private textRead: Promise<string> | undefined
  private bytesRead: Promise<ArrayBuffer> | undefined
  private formRead: Promise<FormData> | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Dispatcher.ResponseData
  ) {
    super()
    this.status = source.statusCode
    source.body.on("error", ignore)
    unread.register(this, source.body, this)
  }

  get headers(): Headers.Headers {
    return (this.headersRecord ??= Headers.fromInput(this.source.headers))
  }

  get cookies(): Cookies.Cookies {
    if (this.cookiesRead === undefined) {
      const header = this.source.headers["set-cookie"]
      this.cookiesRead =
        header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
    }
    return this.cookiesRead
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  /**
   * Waits for one read of the body, started once (`start` keeps its promise, so a second `text` gets the same
   * string). Interruption destroys the body, which aborts the request and closes the socket.
   */
  private read<A>(start: () => Promise<A>): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      unread.unregister(this)
      start().then(
        (value) => resume(Effect.succeed(value)),
        (cause) => resume(Effect.fail(this.decodeError(cause)))
      )
      return Effect.sync(() => this.source.body.destroy())
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.read(() => (this.textRead ??= this.source.body.text()))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      if (text === "") return Effect.succeed(null)
      try {
        return Effect.succeed(JSON.parse(text) as unknown)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.read(() => (this.bytesRead ??= this.source.body.arrayBuffer()))
  }

  /** undici's `request` body parses no form data: the bytes go through a fetch `Response`, which does. */
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.read(() => {
      const contentType = this.headers["content-type"]
      return (this.formRead ??= this.source.body
        .arrayBuffer()
        .then((bytes) =>
          new globalThis.Response(
            bytes,
            contentType === undefined ? {} : { headers: { "content-type": contentType } }
          ).formData()
        ))
    })
  }

  /** The body as it arrives, one chunk in the stream's buffer at a time; ending the stream early destroys it. */
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.async<Uint8Array, HttpClientError.ResponseError>((emit) => {
      unread.unregister(this)
      const body = this.source.body
      if (body.readableEnded) {
        void emit.end()
        return
      }
      if (body.destroyed) {
        void emit.fail(this.decodeError(body.errored ?? new Error("the response body was already closed")))
        return
      }
      body.on("data", (chunk: Uint8Array) => {
        // Held until the chunk is in the stream's buffer: the consumer's pace is the socket's.
        body.pause()
        void emit.single(chunk).then(() => body.resume())
      })
      body.once("end", () => void emit.end())
      body.once("error", (cause) => void emit.fail(this.decodeError(cause)))
      return Effect.sync(() => body.destroy())
    })
  }

  toJSON(): unknown {
    // No body: printing a response must not read it.
    return {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------------------------

type RequestBody = Exclude<Dispatcher.RequestOptions["body"], undefined>

/**
 * The body as undici takes it, and the content type it sets when the body decides it (form data's boundary). A
 * `Stream` body is read through a Node `Readable` in the caller's context.
 */
const withBody = <A, E>(
  body: HttpBody.HttpBody,
  f: (body: RequestBody, contentType?: string) => Effect.Effect<A, E>
): Effect.Effect<A, E> => {
  switch (body._tag) {
    case "Empty":
      return f(null)
    case "Uint8Array":
      return f(body.body)
    case "Raw":
      // What the caller gave (a string, bytes, a Node stream...): undici says so when it cannot send it.
      return f(body.body as RequestBody)
    case "FormData": {
      // undici encodes only its own FormData class, not the global one; a fetch `Response` encodes any as multipart.
      const encoded = new globalThis.Response(body.formData)
      return f(
        encoded.body === null ? null : Readable.fromWeb(encoded.body as WebReadableStream<Uint8Array>),
        encoded.headers.get("content-type") ?? undefined
      )
    }
    case "Stream":
      return Effect.flatMap(Stream.toAsyncIterableEffect(body.stream), (chunks) => f(Readable.from(chunks)))
  }
}

/**
 * One request on `dispatcher`. `controller`, when the request owns it, is aborted on interruption; otherwise the
 * caller (`HttpClient.make`) aborts `signal` itself.
 */
const send = (
  dispatcher: Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  target: Target,
  signal: AbortSignal,
  controller: AbortController | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  withBody(request.body, (body, contentType) =>
    Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
      dispatcher
        .request({
          origin: target.origin,
          path: target.path,
          method: request.method,
          headers: contentType === undefined ? request.headers : { ...request.headers, "content-type": contentType },
          body,
          signal,
          // Timeouts are the caller's (`Effect.timeout`, the SDK's per-attempt timeout), as in the platform's client.
          headersTimeout: 60 * 60 * 1000,
          bodyTimeout: 0
        })
        .then(
          (response) => resume(Effect.succeed(new UndiciResponse(request, response))),
          (cause) => resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
        )
      if (controller !== undefined) return Effect.sync(() => controller.abort())
    })
  )

/**
 * The client over `dispatcher` (undici's global dispatcher when none is given). The dispatcher stays the caller's:
 * nothing closes it. To use it as a layer: `Layer.succeed(HttpClient.HttpClient, UndiciHttpClient.make(agent))`.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (dispatcher: Dispatcher = getGlobalDispatcher()): HttpClient.HttpClient => {
  // Traced requests: the platform opens the span, sets its attributes, propagates the trace context.
  const traced = HttpClient.make((request, url, signal) =>
    send(dispatcher, request, { origin: url.origin, path: url.pathname + url.search }, signal, undefined)
  )
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
          if (
            fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
            !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
          ) {
            return traced.execute(request)
          }
          const target = targetOf(request)
          if (target instanceof HttpClientError.RequestError) return Effect.fail(target)
          const controller = new AbortController()
          return send(dispatcher, request, target, controller.signal, controller)
        })
      ),
    Effect.succeed
  )
}

/**
 * The client over an undici `Agent` of its own, made with `options` (connections per origin, keep-alive times,
 * TLS...), and destroyed when the layer is released: its sockets close, and requests still in flight are aborted
 * rather than waited for (they belong to fibers being torn down).
 *
 * @since 0.3.0
 * @category layers
 */
export const layerWith = (options?: Agent.Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new Agent(options)),
        (agent) => Effect.ignore(Effect.tryPromise(() => agent.destroy()))
      ),
      make
    )
  )

/**
 * The client over an undici `Agent` of its own with undici's defaults (keep-alive sockets, no limit on connections
 * per origin), destroyed with the layer. It provides `HttpClient.HttpClient`, as `NodeHttpClient.layerUndici` does.
 *
 * @since 0.3.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
