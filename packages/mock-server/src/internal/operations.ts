/**
 * The mock's routes against the one operation table (`operations` of @intercom-effect/schemas, generated from the
 * spec): every route the mock serves must be an operation of the API, by method and path, so a mock route cannot
 * drift from what the SDK sends. The mock serves a subset of the operations; the check is that nothing it serves is
 * outside the table. Path parameters are compared by position, not by name (`/contacts/:id/tags` is the spec's
 * `/contacts/{contact_id}/tags`): the names a handler reads are its own business.
 *
 * @internal
 */
import type { HttpRouter } from "@effect/platform"
import { operations } from "@intercom-effect/schemas"
import { Chunk } from "effect"

/** A path with each parameter replaced by `{}`: `/contacts/:id/tags` and `/contacts/{contact_id}/tags` agree. */
const shape = (path: string): string =>
  path
    .split("/")
    .map((segment) => (segment.startsWith(":") || /^\{\w+\}$/.test(segment) ? "{}" : segment))
    .join("/")

const known: ReadonlyMap<string, string> = new Map(
  Object.values(operations).map((op) => [`${op.method} ${shape(op.path)}`, op.operationId])
)

/** The operationId a mock route serves, if the table has one with its method and path. @internal */
export const operationOf = (method: string, path: string): string | undefined => known.get(`${method} ${shape(path)}`)

/**
 * The routes of a router that are no operation of the table, each as `METHOD /path` with why; empty when every
 * route is one. A route for every method (`*`) or a mounted sub-application is reported too: neither says which
 * operation it serves.
 *
 * @internal
 */
export const drift = <E, R>(router: HttpRouter.HttpRouter<E, R>): ReadonlyArray<string> => [
  ...Chunk.toReadonlyArray(router.routes).flatMap((route) => {
    const path = String(route.path)
    if (route.method === "*") return [`* ${path}: a route for every method is no operation of the table`]
    return operationOf(route.method, path) === undefined
      ? [`${route.method} ${path}: no operation of the table has this method and path`]
      : []
  }),
  ...Chunk.toReadonlyArray(router.mounts).map(([path]) => `${path}: a mounted application is no operation of the table`)
]
