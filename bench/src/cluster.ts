/**
 * The cluster job (issue 16): `intercom-sync runner` processes over one real PostgreSQL, each workspace app's budget
 * shared through a real Redis, every workspace served by one living mock process (apps/sync's test harness, the one
 * its cluster test uses). Two measurements, each on a cluster of its own (a fresh database, Redis and mock):
 *
 * - **budget-bound**: the first sync of every workspace on 1, 2 and 3 runners, under a window limit. Items/s beside
 *   the ceiling the limit sets, the share of each app's budget used, and the database's work per page fetched.
 * - **runner-bound**: the limit out of reach, so the runners are the bottleneck: the wall time of a sync on 1 runner
 *   throughout, against 1 runner with a second one joining once a fixed share of the requests is answered.
 *
 * The orchestrating process runs it (Effect over the harness); the runners and the sync are processes of their own.
 */
import * as Cluster from "@intercom-effect/sync-app/harness/Cluster"
import { Cause, Duration, Effect } from "effect"
import * as CpuQuota from "./cpuQuota.js"
import type { ClusterSize, Plan } from "./options.js"

const HOUR = 3_600_000
/** The mocks' clock starts here; their history (the seeded data) lies before it. */
const t0 = Date.UTC(2026, 9, 5)
/**
 * A backend reports its counters to `pg_stat_database` at most once a second while busy, and within 10 s once idle:
 * readings this long after the work ended include all of it.
 */
const flushMillis = 11_000

/** The difference of two readings of the database's counters. */
const minus = (after: Cluster.DatabaseWork, before: Cluster.DatabaseWork): Cluster.DatabaseWork => ({
  commits: after.commits - before.commits,
  inserted: after.inserted - before.inserted,
  updated: after.updated - before.updated,
  deleted: after.deleted - before.deleted,
  fetched: after.fetched - before.fetched,
  walBytes: after.walBytes - before.walBytes
})

const scaled = (work: Cluster.DatabaseWork, by: number): Cluster.DatabaseWork => ({
  commits: work.commits * by,
  inserted: work.inserted * by,
  updated: work.updated * by,
  deleted: work.deleted * by,
  fetched: work.fetched * by,
  walBytes: work.walBytes * by
})

/** One budget-bound sync: its figures and what the database did. */
export interface BudgetRound {
  readonly runners: number
  readonly wallMs: number
  /** Items every copy holds at the end (contacts, companies, conversations, tickets), all workspaces. */
  readonly items: number
  /** Requests the mock answered during the sync, all workspaces, and the most any one workspace answered. */
  readonly requests: number
  readonly mostRequests: number
  readonly limited: number
  readonly budget: Cluster.BudgetUse
  /** The database's work during the sync, the idle runners' own share taken off. */
  readonly work: Cluster.DatabaseWork
  /** What the idle runners alone did per second (their polling and shard leases), measured before the sync. */
  readonly idlePerSecond: Cluster.DatabaseWork
  /** Workspaces whose copy was not exact: a failed round, reported. */
  readonly inexact: ReadonlyArray<string>
}

/** The runner-bound pair: one runner throughout, then one with a second joining. */
export interface JoinRound {
  readonly workspaces: number
  /** The CPUs each runner was held to; undefined when unconstrained. */
  readonly cores: number | undefined
  /** Why a quota asked for could not be set (the round then ran unconstrained). */
  readonly quotaRefused: string | undefined
  readonly requests: number
  readonly aloneMs: number
  readonly joinedMs: number
  /** Requests the joined sync made: more than alone by the steps in flight on moved shards, fetched again. */
  readonly joinedRequests: number
  /** Requests answered when the second runner was started. */
  readonly joinedAfter: number
  /** The most shards the joining runner held while the sync went on. */
  readonly joinedShards: number
  /** What a run that stopped before its end said (it was resumed at once, and its time counted in). */
  readonly stopped: ReadonlyArray<string>
  readonly inexact: ReadonlyArray<string>
}

/** What the cluster job measured. */
export interface ClusterCollected {
  readonly budget: Array<BudgetRound>
  readonly join: Array<JoinRound>
  /** Measurements that failed, and why. */
  readonly failed: Array<string>
}

const progress = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))

/** A cluster of `runners` runners, settled (every shard held), its workspaces' clocks an hour past their history. */
const started = (options: Cluster.Options, runners: number) =>
  Effect.gen(function* () {
    const cluster = yield* Cluster.make(options)
    const all = yield* Effect.forEach(Array.from({ length: runners }), () => cluster.runner())
    yield* cluster.settled(all)
    yield* Effect.forEach(cluster.workspaces, (w) => w.mock.advance(HOUR), { discard: true })
    return { cluster, runners: all }
  })

/** `intercom-sync run`'s flags for a measured sync. */
const runFlags = (perPage: number) => [`--per-page=${perPage}`, "--partitions=4"]

/** A cluster of the plan's workspaces, `size` of them, under `limit` per `windowMs`. */
const optionsOf = (plan: Plan["cluster"], size: ClusterSize, limit: number, windowMs: number): Cluster.Options => ({
  workspaces: size.workspaces,
  mock: { ...plan.mock, contacts: size.contacts, start: t0, searchLag: Cluster.searchLag },
  limit,
  window: `${windowMs}ms`
})

/**
 * Workspaces whose copy differs from their mock, over what had settled by each one's window end (read from the
 * run's output, as the cluster test does: items made within the search lag of it are the next run's).
 */
const inexact = (cluster: Cluster.Cluster, stdout: string) =>
  Effect.map(cluster.differences(Cluster.windowEnds(stdout)), (all) =>
    all.filter(([, found]) => found.length > 0).map(([name]) => name)
  )

/** Items the workspaces hold, all of them. */
const itemsOf = (cluster: Cluster.Cluster) =>
  Effect.map(
    Effect.forEach(cluster.workspaces, (w) => w.mock.snapshot),
    (all) =>
      all.reduce((n, s) => n + s.contacts.length + s.companies.length + s.conversations.length + s.tickets.length, 0)
  )

/** Runs `intercom-sync run` to its end; fails with its stderr if it does not exit 0. */
const synced = (cluster: Cluster.Cluster, perPage: number, more: ReadonlyArray<string> = []) =>
  Effect.gen(function* () {
    const ended = yield* Effect.flatMap(cluster.run([...runFlags(perPage), ...more]), (run) => run.ended)
    if (ended.code !== 0)
      return yield* Effect.fail(new Error(`intercom-sync run exited ${ended.code}: ${ended.stderr}`))
    return ended.stdout
  })

/** The first sync of every workspace on `runners` runners, under the plan's window limit. */
const budgetRound = (plan: Plan["cluster"], runners: number) =>
  Effect.scoped(
    Effect.gen(function* () {
      const { limit, perPage, windowMs } = plan.budget
      const { cluster } = yield* started(optionsOf(plan, plan.budget, limit, windowMs), runners)
      // The idle runners' own work (polling, leases), to take off the sync's.
      const idleFrom = yield* cluster.databaseWork
      const idleStart = Date.now()
      yield* Effect.sleep(Duration.millis(flushMillis))
      const before = yield* cluster.databaseWork
      const idleSeconds = (Date.now() - idleStart) / 1000
      const idlePerSecond = scaled(minus(before, idleFrom), 1 / idleSeconds)
      // The sync's requests alone (the control routes that moved the clocks count too).
      yield* Effect.forEach(cluster.workspaces, (w) => w.mock.resetCounters, { discard: true })
      const began = Date.now()
      const stdout = yield* synced(cluster, perPage)
      const ended = Date.now()
      const counters = yield* Effect.forEach(cluster.workspaces, (w) => w.mock.counters)
      yield* Effect.sleep(Duration.millis(flushMillis))
      const after = yield* cluster.databaseWork
      const spanSeconds = (Date.now() - began) / 1000
      const work = minus(minus(after, before), scaled(idlePerSecond, spanSeconds))
      const round: BudgetRound = {
        runners,
        wallMs: ended - began,
        items: yield* itemsOf(cluster),
        requests: counters.reduce((n, c) => n + c.requests, 0),
        mostRequests: Math.max(...counters.map((c) => c.requests)),
        limited: counters.reduce((n, c) => n + (c.responses["429"] ?? 0), 0),
        budget: Cluster.budgetUsed(counters, { from: began, to: ended, limit, windowMs }),
        work,
        idlePerSecond,
        inexact: yield* inexact(cluster, stdout)
      }
      yield* progress(
        `cluster budget-bound, ${runners} runner(s): ${(round.wallMs / 1000).toFixed(1)} s, ${round.requests} requests, ` +
          `budget used ${Cluster.percentages(round.budget.perApp)} over ${round.budget.windows} windows`
      )
      return round
    })
  )

/**
 * One runner-bound sync: one runner, and a second started once `joinAfter` requests are answered (if set). With
 * `cores`, each runner gets that much CPU and no more (a cgroup quota), like a runner on a machine of its own.
 */
const joinRun = (plan: Plan["cluster"], joinAfter: number | undefined, cores: number | undefined) =>
  Effect.scoped(
    Effect.gen(function* () {
      // A limit no run reaches (the most `--budget-limit` takes): the runners are the bottleneck.
      const { cluster, runners } = yield* started(optionsOf(plan, plan.join, 100_000, 10_000), 1)
      const quota = (runner: Cluster.Runner) =>
        cores === undefined || runner.process.child.pid === undefined
          ? Effect.succeed(undefined)
          : CpuQuota.limit(runner.process.child.pid, cores)
      const quotaRefused = yield* quota(runners[0]!)
      yield* Effect.forEach(cluster.workspaces, (w) => w.mock.resetCounters, { discard: true })
      const began = Date.now()
      const run = yield* cluster.run(runFlags(plan.join.perPage))
      let joinedAfter = 0
      let joined: Cluster.Runner | undefined
      if (joinAfter !== undefined) {
        while ((joinedAfter = (yield* cluster.requests).requests) < joinAfter && run.child.exitCode === null) {
          yield* Effect.sleep("50 millis")
        }
        joined = yield* cluster.runner()
        yield* quota(joined)
      }
      let joinedShards = 0
      while (run.child.exitCode === null) {
        if (joined !== undefined) joinedShards = Math.max(joinedShards, (yield* cluster.shards).get(joined.label) ?? 0)
        yield* Effect.sleep("200 millis")
      }
      const ended = yield* run.ended
      // A run whose walks suspended (seen when shards move to a runner that joins) exits 1 and names them; it is
      // resumed at once, the time to finish counted in, and the stop reported.
      const stopped = ended.code === 0 ? undefined : ended.stderr.trim().split("\n").join(" ")
      const stdout = stopped === undefined ? ended.stdout : yield* synced(cluster, plan.join.perPage, ["--resume"])
      const wallMs = Date.now() - began
      return {
        wallMs,
        requests: (yield* cluster.requests).requests,
        joinedAfter,
        joinedShards,
        quotaRefused,
        stopped,
        inexact: yield* inexact(cluster, stdout)
      }
    })
  )

/**
 * The runner-bound pair: alone first (which gives the request count the join point is a share of), then joined; each
 * runner held to `cores` CPUs when set.
 */
const joinRound = (plan: Plan["cluster"], cores: number | undefined) =>
  Effect.gen(function* () {
    const label = cores === undefined ? "cluster runner-bound" : `cluster runner-bound, ${cores} cores a runner`
    const alone = yield* joinRun(plan, undefined, cores)
    yield* progress(`${label}, 1 runner: ${(alone.wallMs / 1000).toFixed(1)} s, ${alone.requests} requests`)
    const joined = yield* joinRun(plan, Math.round(alone.requests * plan.join.at), cores)
    yield* progress(
      `${label}, 1 runner + 1 joining after ${joined.joinedAfter} requests: ` +
        `${(joined.wallMs / 1000).toFixed(1)} s, ${joined.requests} requests, the joining runner held ${joined.joinedShards} shards` +
        [alone.stopped, joined.stopped]
          .map((why) => (why === undefined ? "" : `; STOPPED and resumed: ${why}`))
          .join("")
    )
    const round: JoinRound = {
      workspaces: plan.join.workspaces,
      cores: alone.quotaRefused === undefined ? cores : undefined,
      quotaRefused: alone.quotaRefused,
      requests: alone.requests,
      aloneMs: alone.wallMs,
      joinedMs: joined.wallMs,
      joinedRequests: joined.requests,
      joinedAfter: joined.joinedAfter,
      joinedShards: joined.joinedShards,
      stopped: [alone.stopped, joined.stopped].filter((why) => why !== undefined),
      inexact: [...alone.inexact, ...joined.inexact]
    }
    return round
  })

/** Runs the cluster job: every budget-bound round (per runner count), then the runner-bound pair. */
export const runCluster = (plan: Plan, collected: ClusterCollected): Promise<void> =>
  Effect.runPromise(
    Effect.gen(function* () {
      // A measurement that fails is said and the others go on: a long job should not lose what it measured.
      const said = (what: string) => (cause: Cause.Cause<unknown>) =>
        Effect.as(
          Effect.sync(() => collected.failed.push(`${what}: ${Cause.pretty(cause).split("\n")[0]}`)),
          undefined
        )
      for (const runners of plan.cluster.budget.runners) {
        const round = yield* Effect.catchAllCause(budgetRound(plan.cluster, runners), said(`${runners} runner(s)`))
        if (round !== undefined) collected.budget.push(round)
      }
      // Unconstrained first (every process on the machine's cores), then, when set, each runner held to a quota.
      const quotas =
        plan.cluster.join.runnerCores === undefined ? [undefined] : [undefined, plan.cluster.join.runnerCores]
      for (const cores of quotas) {
        const round = yield* Effect.catchAllCause(joinRound(plan.cluster, cores), said("runner-bound"))
        if (round !== undefined) collected.join.push(round)
      }
    })
  )
