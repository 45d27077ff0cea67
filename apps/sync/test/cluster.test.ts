/**
 * Many workspaces on a cluster of `intercom-sync runner` processes over one real PostgreSQL, budgets shared through
 * a real Redis, the workspaces served by one living mock process, each picked by its own token and with its own
 * data, clock, rate limit and counters.
 *
 * Three runners sync 12 workspaces exactly; a second sync (reconciling every id, so it is long enough to be cut) loses
 * one runner to SIGKILL mid-way, the others take its shards, and every copy is still exact. Then a runner joins in
 * the middle of a third sync and takes shards. Figures (takeover time, budget used, durations) are printed; what is
 * asserted is what must hold however loaded the machine is: exact copies, no 429, shards taken over, a generous
 * bound on the takeover that only a hang would break.
 *
 * The package's test script runs this file after the others, alone: the budget figure says how close the runners'
 * shared pacing gets to each app's limit (90 % at most here), and other test files at work beside it would take the
 * CPU the runners need to keep that pace. It counts the windows from when every workspace's walks are at work (its
 * copy holds an item): before, the `run` process plans each run, counting where the items are, and the walks start
 * on the runners, all of it within the first 8-10 s. Measured at pages of 10: 89-91 % in seven runs; over every
 * window from the first request, printed beside it, 84-90 % in six.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import * as Cluster from "./utils/Cluster.js"

const HOUR = 3_600_000
const t0 = Date.UTC(2026, 9, 5)
const WINDOW_MS = 4_000
const LIMIT = 20
const SHARDS = 300

const report = (line: string) => Effect.sync(() => process.stdout.write(`[cluster] ${line}\n`))

const assertExact = (cluster: Cluster.Cluster, when: string, stdout?: string) =>
  Effect.gen(function* () {
    const until = stdout === undefined ? undefined : Cluster.windowEnds(stdout)
    if (until !== undefined) assert.strictEqual(until.size, cluster.workspaces.length, stdout)
    for (const [name, found] of yield* cluster.differences(until)) {
      assert.strictEqual(
        found.length,
        0,
        `${when}, ${name}: ${found.length} differences, first ${JSON.stringify(found[0])}`
      )
    }
  })

describe("intercom-sync on a cluster", () => {
  it.live(
    "3 runners sync 12 workspaces exactly; a runner SIGKILLed mid-sync is taken over; a runner added mid-sync takes shards",
    () =>
      Effect.gen(function* () {
        const cluster = yield* Cluster.make({
          workspaces: Number(process.env["CLUSTER_WS"] ?? 12),
          mock: {
            contacts: 600,
            companies: 20,
            conversations: 30,
            tickets: 10,
            start: t0,
            searchLag: Cluster.searchLag,
            // Quiet an hour before the third sync: its copies must be exact in every item, both ways.
            quietAfter: t0 + 12 * HOUR
          },
          limit: LIMIT,
          window: `${WINDOW_MS}ms`
        })
        const runners = yield* Effect.forEach(Array.from({ length: Number(process.env["CLUSTER_RUNNERS"] ?? 3) }), () =>
          cluster.runner()
        )
        yield* cluster.settled(runners)
        for (const w of cluster.workspaces) yield* w.mock.advance(HOUR)

        // 1. Everything, with all three at work. Pages of 10, as in the bench's budget-bound job: the budgets, not the
        // runners' CPU, are then what bounds the sync (with pages of 50 the limit's 60 pages a second, 3,000 items,
        // is more than half of what this machine syncs at all, and the budget figure measured the CPU instead).
        const began = Date.now()
        const first = yield* cluster.run(["--per-page=10", "--partitions=4"])
        // The budget is measured from when every workspace's walks are at work: first the `run` process plans each
        // run (a few dozen one-item searches that count where the items are), which no runner takes part in.
        const walking = yield* Effect.fork(cluster.walking)
        const firstEnd = yield* first.ended
        const ended = Date.now()
        assert.strictEqual(firstEnd.code, 0, firstEnd.stderr)
        assert.strictEqual(firstEnd.stdout.trim().split("\n").length, 12, firstEnd.stdout)
        yield* assertExact(cluster, "after the first sync", firstEnd.stdout)
        const at = yield* Fiber.join(walking)
        const counters = yield* Effect.forEach(cluster.workspaces, (w) => w.mock.counters)
        const span = { to: ended, limit: LIMIT, windowMs: WINDOW_MS }
        const used = Cluster.budgetUsed(counters, { ...span, from: at })
        // Beside it, for comparison, the windows from the first request on: planning and the walks' start included.
        const all = Cluster.budgetUsed(counters, { ...span, from: began })
        yield* report(
          `first sync of 12 workspaces on 3 runners: ${((ended - began) / 1000).toFixed(1)} s, every workspace's ` +
            `walks at work after ${((at - began) / 1000).toFixed(1)} s; budget used per workspace app (pacing allows ` +
            `${Cluster.paced(LIMIT, WINDOW_MS)}/${LIMIT}) over the ${used.windows} windows they were: ` +
            `${Cluster.percentages(used.perApp)}; over ${all.windows} windows from the first request: ` +
            Cluster.percentages(all.perApp)
        )
        const held = yield* cluster.shards
        yield* report(`shards held: ${runners.map((r) => held.get(r.label) ?? 0).join(", ")}`)
        assert.strictEqual(
          runners.reduce((n, r) => n + (held.get(r.label) ?? 0), 0),
          SHARDS,
          "the three runners hold every shard"
        )

        // 2. A long second sync (every id reconciled); one runner SIGKILLed once a fifth of it is done.
        for (const w of cluster.workspaces) yield* w.mock.advance(6 * HOUR)
        const before = (yield* cluster.requests).requests
        const second = yield* cluster.run(["--per-page=50", "--reconcile-every=0"])
        while ((yield* cluster.requests).requests < before + 12 * 40 && second.child.exitCode === null) {
          yield* Effect.sleep("50 millis")
        }
        const victim = runners[0]!
        const heldByVictim = (yield* cluster.shards).get(victim.label) ?? 0
        const killedAt = Date.now()
        yield* report(`killing a runner at ${new Date(killedAt).toISOString()}`)
        victim.process.child.kill("SIGKILL")
        yield* victim.process.ended
        let takenOverMs = -1
        while (Date.now() - killedAt < 120_000) {
          const now = yield* cluster.shards
          const alive = runners.slice(1).reduce((n, r) => n + (now.get(r.label) ?? 0), 0)
          if (alive === SHARDS) {
            takenOverMs = Date.now() - killedAt
            break
          }
          yield* Effect.sleep("100 millis")
        }
        yield* report(
          `runner killed holding ${heldByVictim} shards; all ${SHARDS} held by the other two after ${takenOverMs} ms`
        )
        assert.isAbove(takenOverMs, -1, "the shards of the killed runner were taken over within 120 s")
        const secondEnd = yield* second.ended
        assert.strictEqual(secondEnd.code, 0, secondEnd.stderr)
        yield* assertExact(cluster, "after the sync that lost a runner", secondEnd.stdout)

        // 3. A runner joins a third sync once it has begun: it takes shards, and the sync ends exact.
        for (const w of cluster.workspaces) yield* w.mock.advance(6 * HOUR)
        const before3 = (yield* cluster.requests).requests
        const third = yield* cluster.run(["--per-page=50", "--reconcile-every=0"])
        while ((yield* cluster.requests).requests < before3 + 12 * 20 && third.child.exitCode === null) {
          yield* Effect.sleep("50 millis")
        }
        const joined = yield* cluster.runner()
        let joinedShards = 0
        while (joinedShards === 0 && third.child.exitCode === null) {
          joinedShards = (yield* cluster.shards).get(joined.label) ?? 0
          yield* Effect.sleep("100 millis")
        }
        const thirdEnd = yield* third.ended
        assert.strictEqual(thirdEnd.code, 0, thirdEnd.stderr)
        yield* report(`a runner joined mid-sync and took ${joinedShards} shards`)
        assert.isAbove(joinedShards, 0, "the runner that joined took shards while the sync went on")
        yield* assertExact(cluster, "after the sync a runner joined")

        const { limited, requests } = yield* cluster.requests
        // Where any 429 fell (workspace, window, what it served), to tell a pacing fault from a stalled mock.
        const refused = (yield* Effect.forEach(cluster.workspaces, (w) =>
          Effect.map(w.mock.counters, (c) =>
            c.windows
              .filter((window) => window.limited > 0)
              .map(
                (window) =>
                  `${w.name} at ${new Date(window.start).toISOString()}: ${window.served} served, ${window.limited} refused`
              )
          )
        )).flat()
        yield* report(
          `${requests} requests in all, ${limited} answered 429${refused.length === 0 ? "" : ` (${refused.join("; ")})`}`
        )
        assert.strictEqual(limited, 0, "no response 429 at any workspace")
      }).pipe(Effect.scoped),
    { timeout: 900_000 }
  )
})
