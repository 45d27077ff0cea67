/**
 * What the `intercom-export` command adds to the export engine of `@intercom-effect/sync` (`Export`, its stores and
 * `Patience`), shared with `intercom contacts|conversations export` and the demo: the command-line options, the
 * progress reporter for a terminal, and the removal of a store a failed run created.
 */
export * as Cleanup from "./Cleanup.js"
export * as Cli from "./Cli.js"
export * as Report from "./Report.js"
