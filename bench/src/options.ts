/**
 * Command-line flags and the plan they make: how many rounds, how big each workload is, what runs.
 */
import { parseArgs } from "node:util"
import { contenderNames, type ContenderName } from "./jobs.js"

export const workloadNames = ["w1", "decode", "w2", "w3", "s1", "s2", "cluster"] as const
export type WorkloadName = (typeof workloadNames)[number]

/** How big a cluster job's sync is: workspaces, contacts in each, items a page. */
export interface ClusterSize {
  readonly workspaces: number
  readonly contacts: number
  readonly perPage: number
}

export interface Plan {
  readonly quick: boolean
  readonly rounds: number
  readonly workloads: ReadonlyArray<WorkloadName>
  readonly contenders: ReadonlyArray<ContenderName>
  readonly w1: { readonly items: number; readonly warmupItems: number }
  readonly w3: { readonly calls: number; readonly warmupCalls: number; readonly concurrencies: ReadonlyArray<number> }
  readonly w2: {
    /** Contacts the mock holds, all exported by every contender. */
    readonly contacts: number
    /** The mock's window limit: `limit` requests per `windowMillis`. */
    readonly limit: number
    readonly windowMillis: number
    /** `created_at` partitions of the partitioned SDK contender. */
    readonly partitions: number
    /** W2 runs in the first this many rounds only: each of its runs lasts as long as the limit makes it. */
    readonly rounds: number
  }
  readonly decode: { readonly pages: number; readonly iterations: number }
  /** S1: an incremental sync of `changed` changed contacts among `contacts`. */
  readonly s1: {
    readonly contacts: number
    /** Contact updates the living mock makes in the simulated hour between the first run and the measured one. */
    readonly changed: number
    /** S1 runs in the first this many rounds only: each round starts a mock of its own. */
    readonly rounds: number
  }
  /** S2: a first sync of `contacts` contacts, durable and inline. */
  readonly s2: { readonly contacts: number }
  /** The cluster job (issue 16): `intercom-sync runner` processes over PostgreSQL and Redis, see cluster.ts. */
  readonly cluster: {
    /** What every workspace holds beside its contacts (the living mock's sizes). */
    readonly mock: { readonly companies: number; readonly conversations: number; readonly tickets: number }
    /**
     * Budget-bound: `workspaces` apps of `contacts` contacts at `limit` requests per `windowMs` each, synced with
     * `perPage` items a page on each count of `runners`.
     */
    readonly budget: ClusterSize & {
      readonly limit: number
      readonly windowMs: number
      readonly runners: ReadonlyArray<number>
    }
    /** Runner-bound: no reachable limit; the second runner joins once `at` of the requests are answered. */
    readonly join: ClusterSize & {
      readonly at: number
      /** The runner-bound pair again with each runner held to this many CPUs (a cgroup quota, see cpuQuota.ts). */
      readonly runnerCores: number | undefined
    }
  }
  /** Serve the shapes real Intercom traffic has beyond the spec file (see server/data.ts). */
  readonly realTraffic: boolean
  /** Rewrite BENCHMARKS.md at the repository root from this run. */
  readonly write: boolean
  /** A paragraph for BENCHMARKS.md saying what the run is (e.g. a baseline before some change). */
  readonly note: string | undefined
  /** Profile the SDK contender with `--cpu-prof` instead of benchmarking; the value is how many functions to list. */
  readonly profile: number | undefined
  /** The command that repeats this run, for the report. */
  readonly command: string
}

export const usage = `pnpm bench [flags]

  --quick             smaller workloads and 2 rounds (W2: 1): the whole run in about a minute on a quiet machine
  --rounds N          rounds per contender and workload (default 5, quick 2, and for W2 in quick 1)
  --only LIST         workloads to run, comma-separated: ${workloadNames.join(",")}
  --contenders LIST   contenders to run, comma-separated: ${contenderNames.join(",")}
  --real-traffic      serve shapes live Intercom sends beyond the spec file (null lead emails, avatar URL strings)
  --write             rewrite BENCHMARKS.md at the repository root from this run
  --note TEXT         a paragraph BENCHMARKS.md opens with (what this run is a baseline of, ...)
  --profile           no benchmark: take a CPU profile of the SDK contender (or of --contenders) in W1 and W3
                      and list where its time goes; the .cpuprofile files are kept under bench/dist/profiles
  --top N             functions listed per profile (default 25)
  --help              this text

  cluster runs intercom-sync runners over PostgreSQL and Redis (both on PATH, as the tests use them): the first sync
  of 12 workspaces on 1, 2 and 3 runners under 50 requests per 10 s each (items/s, the ceiling the limit sets, the
  budget used per app, PostgreSQL's work per page), then 24 workspaces with no reachable limit on 1 runner against
  1 + 1 joining, every process on the machine's cores and again with each runner held to 0.15 of a core.
  Some 18 minutes: run it alone with --only cluster.

  S1 and S2 measure the sync engine (@intercom-effect/sync): --only s1,s2 runs them alone (S1: 3 rounds unless
  --rounds says otherwise, each with a mock of its own). --profile --only s2 profiles S2's modes (inline, durable,
  durable-per-page) instead of the contenders.
`

const listOf = <T extends string>(value: string | undefined, allowed: ReadonlyArray<T>, flag: string): Array<T> => {
  if (value === undefined) return [...allowed]
  const picked = value.split(",").map((s) => s.trim())
  const unknown = picked.filter((s) => !(allowed as ReadonlyArray<string>).includes(s))
  if (unknown.length > 0) throw new Error(`${flag}: unknown ${unknown.join(", ")} (choose from ${allowed.join(", ")})`)
  // Keep the canonical order whatever order the flag gave.
  return allowed.filter((name) => picked.includes(name))
}

/** Parses `argv` (without node and the script); throws with a readable message on a bad flag. */
export const parse = (argv: ReadonlyArray<string>): Plan | "help" => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      only: { type: "string" },
      contenders: { type: "string" },
      "real-traffic": { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      note: { type: "string" },
      profile: { type: "boolean", default: false },
      top: { type: "string" },
      help: { type: "boolean", default: false }
    },
    allowPositionals: false,
    strict: true
  })
  if (values.help) return "help"
  const quick = values.quick
  const rounds = values.rounds === undefined ? (quick ? 2 : 5) : Number(values.rounds)
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer`)
  const top = values.top === undefined ? 25 : Number(values.top)
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top: expected a positive integer`)

  // The command shown in the report: the flags that change the figures, not the ones that only say where they go.
  const shown = argv.filter((arg, i) => arg !== "--write" && arg !== "--note" && argv[i - 1] !== "--note")
  return {
    quick,
    rounds,
    workloads: listOf(values.only, workloadNames, "--only"),
    // A profile is of the SDK unless asked otherwise; a benchmark compares all four.
    contenders:
      values.contenders === undefined && values.profile
        ? ["sdk"]
        : listOf(values.contenders, contenderNames, "--contenders"),
    // Warm-ups are long on purpose: on this machine undici and Effect reach steady speed only after a few thousand
    // calls (measured: the first 1,000 GET /me cost 2-3× the 5,000th), and the targets are about steady speed.
    // Quick keeps the same bodies and calls and only does fewer of them.
    w1: quick ? { items: 4_500, warmupItems: 4_500 } : { items: 30_000, warmupItems: 15_000 },
    w3: quick
      ? { calls: 500, warmupCalls: 1_000, concurrencies: [1, 16] }
      : { calls: 2_000, warmupCalls: 5_000, concurrencies: [1, 16] },
    decode: quick ? { pages: 10, iterations: 60 } : { pages: 20, iterations: 200 },
    // Intercom's windows are 10 s long; a 2 s window with the limit scaled to match keeps a full export of 20,000
    // contacts (134 pages of 150) at about 12 s, long enough for the pacing to dominate and short enough for rounds.
    // Quick exports 3,000 contacts (20 pages) at 10 per 1 s window, one round: a check that W2 runs and paces (at
    // least 1 s each, 2 s partitioned), not a figure to quote, since the last window is a large part of so short a run.
    w2: {
      ...(quick
        ? { contacts: 3_000, limit: 10, windowMillis: 1_000 }
        : { contacts: 20_000, limit: 20, windowMillis: 2_000 }),
      partitions: 4,
      rounds: quick && values.rounds === undefined ? 1 : rounds
    },
    // 1 % of the contacts changed, as issue 15 asks. Each S1 round starts a mock of its own (its workspace must be
    // the one the first run copied), which takes about half a minute at 100,000 contacts: 3 rounds by default.
    s1: {
      ...(quick ? { contacts: 10_000, changed: 100 } : { contacts: 100_000, changed: 1_000 }),
      rounds: values.rounds === undefined ? (quick ? 1 : 3) : rounds
    },
    s2: { contacts: quick ? 3_000 : 60_000 },
    // 50 per 10 s: the shared budget paces at 48 of 50 (its slack is 2), so pacing leaves 96 % to use. The share of a
    // budget used is counted over whole windows in which every app had work pending, so each sync must span several
    // windows: 3,000 contacts in pages of 10 and a conversation fetched each make some 340 requests per workspace,
    // about 70 s at the pace (12 workspaces: some 4,000 requests, 58 a second between them). The runner-bound pair
    // syncs 24 workspaces of 6,000 contacts in pages of 50 (some 4,000 requests) with no reachable limit. A runner that
    // joins pays a handover first (its start-up and cold code, the shards released one by one, the moved walks
    // replayed: some 25 s on a small quota), so the sync must be long enough for the second runner's share to
    // outweigh it.
    cluster: {
      mock: { companies: 20, conversations: 30, tickets: 10 },
      budget: {
        ...(quick
          ? { workspaces: 4, contacts: 500, runners: [1, 2] }
          : { workspaces: 12, contacts: 3_000, runners: [1, 2, 3] }),
        perPage: 10,
        limit: 50,
        windowMs: 10_000
      },
      join: {
        ...(quick ? { workspaces: 6, contacts: 1_000 } : { workspaces: 24, contacts: 6_000 }),
        perPage: 50,
        at: 0.25,
        // The runners must be the bottleneck, with room left above them: one mock process serving every workspace and
        // PostgreSQL, on the same 2 cores, cap the whole cluster near 85 requests/s (one runner held to half a core
        // reached it alone, and two together went no faster), and one runner on a quarter of a core already fetched
        // 50-75. At 0.15 of a core one runner fetches some 25 a second, so a second one can nearly double it.
        runnerCores: 0.15
      }
    },
    realTraffic: values["real-traffic"],
    write: values.write,
    note: values.note,
    profile: values.profile ? top : undefined,
    command: ["pnpm bench", ...shown].join(" ")
  }
}
