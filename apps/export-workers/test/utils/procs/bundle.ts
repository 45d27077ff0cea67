/**
 * Bundles the test's processes (the worker, src/main.ts, and the mock server) into plain ESM once per test run, so
 * each process starts with plain `node`: through tsx, each of them cost about 2.7 s of CPU and 260 MB to compile its
 * TypeScript on load, against 1 s and 150 MB bundled, which on a 2-core machine running every package's tests at
 * once is the difference that matters. The bundle holds this repository's TypeScript; npm packages stay external
 * and load from node_modules, which is why the bundles are written below this package's node_modules.
 */
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { Effect } from "effect"

const root = new URL("../../../", import.meta.url)
const outdir = fileURLToPath(new URL("node_modules/.cache/export-workers-tests/", root))

export interface Bundles {
  readonly worker: string
  readonly mockServer: string
}

let built: Promise<Bundles> | undefined

/** The paths of the bundled entries, built on first use. */
export const bundles: Effect.Effect<Bundles> = Effect.promise(() => {
  built ??= build({
    entryPoints: {
      worker: fileURLToPath(new URL("src/main.ts", root)),
      mockServer: fileURLToPath(new URL("test/utils/procs/mockServer.ts", root))
    },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [
      {
        name: "npm-packages-external",
        setup(b) {
          // Bare specifiers that are not this workspace's own packages resolve at run time from node_modules.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@intercom-effect/") ? undefined : { path: args.path, external: true }
          )
        }
      }
    ]
  }).then(() => ({ worker: `${outdir}worker.mjs`, mockServer: `${outdir}mockServer.mjs` }))
  return built
})
