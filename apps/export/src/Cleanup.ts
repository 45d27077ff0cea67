/**
 * A failed run leaves no empty store behind. Opening a store creates it (the SQLite file and its tables, the NDJSON
 * directory), so a run that fails at its first call (a wrong token, an unreachable host) would leave an empty store
 * that a later run then mistakes for an export begun. When the store did not exist before the run and the run ends
 * without storing a page, failed or stopped, what opening it created is removed.
 */
import * as fs from "node:fs"
import * as ExportStore from "@intercom-effect/sync/ExportStore"
import { Context, Effect, Exit, Layer } from "effect"

/** What opening a store at `location` may have created: the file or directory, and SQLite's files beside it. */
const created = (location: string): ReadonlyArray<string> => [
  location,
  `${location}-journal`,
  `${location}-wal`,
  `${location}-shm`
]

/**
 * Runs `use` with the store `layer` (which opens the store at `location`); if `location` did not exist before and
 * the run fails or is stopped before a page is stored, removes what the store created. `use` must provide the layer
 * itself, so the store is closed before it is removed.
 */
export const removeIfUnused = <A, E, R>(
  location: string,
  layer: Layer.Layer<ExportStore.Store, ExportStore.StoreError>,
  use: (store: Layer.Layer<ExportStore.Store, ExportStore.StoreError>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const existed = fs.existsSync(location)
    let written = false
    const tracked = Layer.map(layer, (context) => {
      const store = Context.get(context, ExportStore.Store)
      return Context.make(
        ExportStore.Store,
        ExportStore.Store.of({
          ...store,
          write: (...args) => Effect.tap(store.write(...args), () => (written = true))
        })
      )
    })
    return Effect.onExit(use(tracked), (exit) =>
      Exit.isSuccess(exit) || existed || written
        ? Effect.void
        : Effect.sync(() => created(location).forEach((path) => fs.rmSync(path, { recursive: true, force: true })))
    )
  })
