/**
 * Bundles the child entries (the loopback server, W2's mock Intercom and the measuring child) into plain ESM before a
 * run.
 *
 * Why not run them through tsx like the parent: tsx costs about 1.5 s and 100 MB of RSS per process for compiling
 * TypeScript on load, which would drown the peak-RSS figures and slow every round. The bundle holds this repository's
 * TypeScript (the SDK packages and the harness) compiled as a published build would be; every npm package (effect,
 * @effect/*, undici, intercom-client) stays external and loads from node_modules, as it does in a user's app.
 */
import { build } from "esbuild"
import { rmSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** Build output and profiles live under `dist/`, which git, eslint and prettier ignore. */
export const distDir = fileURLToPath(new URL("../dist/", import.meta.url))

/** Where the bundles go; emptied by every build so no stale chunk survives. */
export const bundleDir = `${distDir}bundle/`

/** Paths of the built entries. */
export interface Bundles {
  readonly child: string
  readonly server: string
  /** W2's server, the mock Intercom. */
  readonly mock: string
}

export const bundle = async (): Promise<Bundles> => {
  const src = fileURLToPath(new URL("./", import.meta.url))
  rmSync(bundleDir, { recursive: true, force: true })
  await build({
    entryPoints: { child: `${src}child.ts`, server: `${src}server/main.ts`, mock: `${src}server/mock.ts` },
    outdir: bundleDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // Each contender's dynamic import becomes a chunk of its own, loaded only by the child that runs it.
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // Maps beside the bundles, read by `--profile` to name source lines; no comment in the code, so Node ignores them.
    sourcemap: "external",
    // The SDK packages say `sideEffects: false`, which would let the bundler drop the schema modules W1 does not use.
    // A user's app loads the whole published index, so load all of it here too.
    ignoreAnnotations: true,
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
  })
  return { child: `${bundleDir}child.mjs`, server: `${bundleDir}server.mjs`, mock: `${bundleDir}mock.mjs` }
}
