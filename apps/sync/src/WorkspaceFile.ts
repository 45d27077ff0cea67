/**
 * The workspaces a cluster of `intercom-sync` runners keeps copies of, read from a JSON file:
 *
 *   { "workspaces": [ { "name": "acme", "tokenEnv": "ACME_INTERCOM_TOKEN" },
 *                     { "name": "globex", "tokenFile": "/run/secrets/globex-intercom", "region": "eu" } ] }
 *
 * The file names where each token is, never the token itself, so it can be kept in a repository and handed to every
 * runner; the tokens come from the environment or from secret files, are held as `Redacted` and are never printed.
 * Each workspace's copy is the Postgres schema `intercom_<name>`.
 */
import { Effect, Redacted, Schema } from "effect"
import { readFileSync } from "node:fs"

/** A workspace's name: it names its schema, so letters, digits and `_` (at most 40). */
const Name = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9_]{0,39}$/, {
    message: () => "a workspace name is lower-case letters, digits and _, starting with a letter, at most 40"
  })
)

/** Where a workspace's API is, when not where INTERCOM_REGION / INTERCOM_BASE_URL say for all. */
const Where = {
  region: Schema.optional(Schema.Literal("us", "eu", "au")),
  baseUrl: Schema.optional(Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/)))
}

const Entry = Schema.Union(
  Schema.Struct({ name: Name, tokenEnv: Schema.String.pipe(Schema.pattern(/^[A-Za-z_][A-Za-z0-9_]*$/)), ...Where }),
  Schema.Struct({ name: Name, tokenFile: Schema.String.pipe(Schema.minLength(1)), ...Where })
)

const File = Schema.Struct({ workspaces: Schema.Array(Entry).pipe(Schema.minItems(1)) })

/** One workspace as the runners serve it. */
export interface Workspace {
  readonly name: string
  /** The Postgres schema of its copy. */
  readonly schema: string
  readonly token: Redacted.Redacted<string>
  /** Its region or API URL, when the file names one. */
  readonly region?: "us" | "eu" | "au" | undefined
  readonly baseUrl?: string | undefined
}

/** Why the workspaces could not be read: what, and what to do (never a token). */
export class WorkspaceFileError extends Schema.TaggedError<WorkspaceFileError>()("WorkspaceFileError", {
  message: Schema.String,
  fix: Schema.String
}) {}

const decode = Schema.decodeUnknownEither(Schema.parseJson(File))

/** A workspace as the file lists it, before any token is read. */
export interface Listed {
  readonly name: string
  /** The Postgres schema of its copy. */
  readonly schema: string
}

const schemaOf = (name: string): string => `intercom_${name}`

const parse = (path: string) =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (error) =>
        new WorkspaceFileError({
          message: `cannot read the workspaces file ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
          fix: "pass --workspaces a JSON file listing each workspace's name and where its token is"
        })
    })
    const decoded = decode(text)
    if (decoded._tag === "Left") {
      return yield* new WorkspaceFileError({
        message: `the workspaces file ${path} is not a list of workspaces: ${decoded.left.message.split("\n").slice(-1)[0]?.trim() ?? ""}`,
        fix: 'write {"workspaces":[{"name":"acme","tokenEnv":"ACME_TOKEN"}, ...]} (or "tokenFile" instead of "tokenEnv")'
      })
    }
    const seen = new Set<string>()
    for (const entry of decoded.right.workspaces) {
      if (seen.has(entry.name)) {
        return yield* new WorkspaceFileError({
          message: `the workspace ${entry.name} is listed twice in ${path}`,
          fix: "give each workspace one entry"
        })
      }
      seen.add(entry.name)
    }
    return decoded.right.workspaces
  })

/**
 * The workspaces the file lists and their schemas, without reading a token: what `status` needs, which shows the
 * copies and calls no API.
 */
export const list = (path: string): Effect.Effect<ReadonlyArray<Listed>, WorkspaceFileError> =>
  Effect.map(parse(path), (entries) => entries.map((entry) => ({ name: entry.name, schema: schemaOf(entry.name) })))

/** Reads the file and every token it names. */
export const read = (path: string): Effect.Effect<ReadonlyArray<Workspace>, WorkspaceFileError> =>
  Effect.flatMap(parse(path), (entries) =>
    Effect.forEach(entries, (entry) =>
      Effect.map(
        "tokenEnv" in entry ? fromEnv(entry.name, entry.tokenEnv) : fromFile(entry.name, entry.tokenFile),
        (token): Workspace => ({
          name: entry.name,
          schema: schemaOf(entry.name),
          token,
          ...(entry.region === undefined ? {} : { region: entry.region }),
          ...(entry.baseUrl === undefined ? {} : { baseUrl: entry.baseUrl })
        })
      )
    )
  )

const fromEnv = (name: string, variable: string) => {
  const value = process.env[variable]?.trim() ?? ""
  return value === ""
    ? Effect.fail(
        new WorkspaceFileError({
          message: `the token of workspace ${name} is missing: ${variable} is not set`,
          fix: `set ${variable} to the workspace's access token`
        })
      )
    : Effect.succeed(Redacted.make(value))
}

const fromFile = (name: string, path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8").trim(),
    catch: () =>
      new WorkspaceFileError({
        message: `the token of workspace ${name} cannot be read from ${path}`,
        fix: "point tokenFile at a readable file holding the access token"
      })
  }).pipe(
    Effect.filterOrFail(
      (token) => token !== "",
      () =>
        new WorkspaceFileError({
          message: `the token file of workspace ${name} (${path}) is empty`,
          fix: "write the workspace's access token into it"
        })
    ),
    Effect.map((token) => Redacted.make(token))
  )
