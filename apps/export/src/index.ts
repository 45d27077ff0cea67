/**
 * The export as a library: the engine, its stores and its progress reporter (the CLI and the demo use these).
 */
export * as Cleanup from "./Cleanup.js"
export * as Cli from "./Cli.js"
export * as Export from "./Export.js"
export * as NdjsonStore from "./NdjsonStore.js"
export * as Patience from "./Patience.js"
export * as Report from "./Report.js"
export * as SqliteStore from "./SqliteStore.js"
export * as Store from "./Store.js"
