/**
 * The workspaces a process serves, and what a run needs for each: its copy, its Intercom client (its own token and
 * rate-limit gate) and the services over that client.
 *
 * The run workflows carry the name of their workspace; whichever runner executes one looks its workspace up here. The
 * embedded sync serves one workspace from the services in context (`single`); a runner of a cluster serves many
 * (`layerMany`), building a workspace's services on first use and keeping them while its runs go on.
 *
 * @since 0.1.0
 */
import type { IntercomClient } from "@intercom-effect/http"
import { Context, type Duration, Effect, Layer, RcMap, type Scope } from "effect"
import { CopyError } from "./Copy.js"
import type { Needs } from "./Run.js"

/**
 * What a workspace's entry provides: what a run needs, and the Intercom client (planning asks it for the time).
 *
 * @since 0.1.0
 * @category models
 */
export type Provided = Needs | IntercomClient.IntercomClient

/**
 * The workspaces' service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Runs `effect` with the services of `workspace` (the name a run was planned for; `""` for the single one). */
  readonly use: <A, E, R>(
    workspace: string,
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | CopyError, Exclude<R, Provided>>
}

/**
 * The workspaces' tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Workspaces extends Context.Tag("@intercom-effect/sync/Workspaces")<Workspaces, Service>() {}

/**
 * One workspace, served by the services in context: every run, whatever workspace it names, uses them.
 *
 * @since 0.1.0
 * @category layers
 */
export const single: Layer.Layer<Workspaces, never, Provided> = Layer.effect(
  Workspaces,
  Effect.map(Effect.context<Provided>(), (context) =>
    Workspaces.of({
      use: (_workspace, effect) => Effect.provide(effect, context) as Effect.Effect<never, never, never>
    })
  )
)

/**
 * Options of {@link layerMany}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ManyOptions<E, R> {
  /** The names served; a run naming another fails as a `CopyError` (and suspends, to be resumed once it is served). */
  readonly names: ReadonlyArray<string>
  /** The services of one workspace. */
  readonly layer: (name: string) => Layer.Layer<Provided, E, R>
  /** How long a workspace's services (its connection to Intercom, its budget) stay after its last run: 1 minute. */
  readonly idleTimeToLive?: Duration.DurationInput | undefined
}

/**
 * Many workspaces, each workspace's services built when a run first needs them and shared by its runs.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMany = <E extends { readonly message: string }, R>(
  options: ManyOptions<E, R>
): Layer.Layer<Workspaces, never, Exclude<R, Scope.Scope>> =>
  Layer.scoped(
    Workspaces,
    Effect.gen(function* () {
      const served = new Set(options.names)
      const contexts = yield* RcMap.make({
        lookup: (name: string) =>
          served.has(name)
            ? Layer.build(options.layer(name)).pipe(
                Effect.mapError(
                  (error) => new CopyError({ operation: `serve the workspace ${name}`, detail: error.message })
                )
              )
            : Effect.fail(
                new CopyError({ operation: `serve the workspace ${name}`, detail: "this runner does not serve it" })
              ),
        idleTimeToLive: options.idleTimeToLive ?? "1 minute"
      })
      return Workspaces.of({
        use: (workspace, effect) =>
          Effect.scoped(
            Effect.flatMap(RcMap.get(contexts, workspace), (context) => Effect.provide(effect, context))
          ) as Effect.Effect<never, never, never>
      })
    })
  )
