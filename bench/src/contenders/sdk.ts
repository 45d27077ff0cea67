/**
 * This SDK as a user composes it: `IntercomClient` with its default configuration over `NodeHttpClient.layerUndici`,
 * `Paginate.cursor` for the walk, and every page decoded with the generated `ContactList` schema (`AdminWithApp` for
 * GET /me). Nothing is switched off: retry policy, rate-limit gate, timeouts, spans and status mapping all run.
 */
// The module itself, not the package index: the index also loads cluster, rpc, sql and workflow, which have nothing
// to do with HTTP and would only inflate the peak RSS measured here.
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomClient, IntercomConfig } from "@intercom-effect/http"
import { Paginate } from "@intercom-effect/pagination"
import { AdminWithApp, ContactList } from "@intercom-effect/schemas"
import { Effect, Layer, ManagedRuntime, Option, Stream } from "effect"
import { effectContender } from "./effectContender.js"
import { TOKEN, type Contender } from "./types.js"

/**
 * `prefetch` is Paginate's option: 0 walks strictly page after page, as the other contenders do; 1 (its default)
 * fetches the next page while the consumer is on the second half of the current one. `transport` picks the
 * `HttpClient` under the SDK: the platform's over undici, as users compose it, or the SDK's own
 * `UndiciHttpClient.layer` (its lean transport over undici's `request`).
 */
export const make = async (
  baseUrl: string,
  prefetch: number,
  transport: "platform" | "undici" = "platform"
): Promise<Contender> => {
  const layer = IntercomClient.layer.pipe(
    Layer.provide(IntercomConfig.layer({ accessToken: TOKEN, baseUrl })),
    // `undici`: the shipped `UndiciHttpClient.layer`, by its own module path, as a user composes it.
    Layer.provide(
      transport === "platform"
        ? NodeHttpClient.layerUndici
        : (await import("@intercom-effect/http/UndiciHttpClient")).layer
    )
  )
  const runtime = ManagedRuntime.make(layer)
  const client = await runtime.runPromise(IntercomClient.IntercomClient)

  // Counting the items the stream emits is the check that every one of them came out of a decoded page: the client
  // only hands over a page once `ContactList` has decoded all of it.
  const walk = (items: number) =>
    Paginate.cursor(
      (position) =>
        client.request({
          method: "GET",
          path: "/contacts",
          urlParams: Option.match(position, {
            onNone: () => ({ per_page: 150 }),
            onSome: (cursor) => ({ per_page: 150, starting_after: cursor.startingAfter })
          }),
          response: ContactList
        }),
      { getItems: (page) => page.data, maxItems: items, prefetch }
    ).items.pipe(Stream.runCount)

  return effectContender(runtime, {
    walk,
    identifyOnce: Effect.map(
      client.request({ method: "GET", path: "/me", response: AdminWithApp }),
      (admin) => admin.type === "admin"
    )
  })
}
