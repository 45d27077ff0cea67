/**
 * Bundles a test's child processes into plain ESM once per test run, so each starts with plain `node`: through tsx,
 * a process of this workspace costs seconds of CPU to compile its TypeScript on load, which adds up when a test
 * starts dozens of them on a 2-core machine. The bundle holds the workspace's own TypeScript; npm packages stay
 * external and load from the `node_modules` the bundle is written under, so pick a directory below a package that
 * depends on everything the entries import.
 */
import { build } from "esbuild"
import { Effect } from "effect"
import { fileURLToPath } from "node:url"

const cache = new Map<string, Promise<Record<string, string>>>()

/**
 * The bundled entries (`name -> path of a .mjs`), built on first use into `<packageRoot>/node_modules/.cache/<id>/`.
 * `entries` are paths relative to `packageRoot` (a `file:` URL of the package's directory, with a trailing slash).
 */
export const bundle = <const Names extends string>(
  id: string,
  packageRoot: URL,
  entries: Record<Names, string>
): Effect.Effect<Record<Names, string>> =>
  Effect.promise(() => {
    let built = cache.get(id)
    if (built === undefined) {
      const outdir = fileURLToPath(new URL(`node_modules/.cache/${id}/`, packageRoot))
      const entryPoints = Object.fromEntries(
        Object.entries<string>(entries).map(([name, path]) => [name, fileURLToPath(new URL(path, packageRoot))])
      )
      built = build({
        entryPoints,
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
      }).then(() => Object.fromEntries(Object.keys(entries).map((name) => [name, `${outdir}${name}.mjs`])))
      cache.set(id, built)
    }
    return built as Promise<Record<Names, string>>
  })
