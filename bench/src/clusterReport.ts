/**
 * The cluster job's section of the report: throughput of 1, 2 and 3 runners beside the ceiling the window limit
 * sets, each app's share of its budget, PostgreSQL's work per page fetched, and a runner joining a runner-bound sync.
 */
import * as Cluster from "@intercom-effect/sync-app/harness/Cluster"
import type { BudgetRound, ClusterCollected, JoinRound } from "./cluster.js"
import { table } from "./markdown.js"
import type { Plan } from "./options.js"
import { max, median, min, num, ratio } from "./stats.js"

const seconds = (ms: number) => num(ms / 1000, 1)

/**
 * The items/s the limit allows: the busiest workspace needs `requests / (perWindow / window)` seconds at least, and
 * the sync is done when it is; every workspace's items over that time. With `perWindow` the limit, the hard ceiling;
 * with the shared budget's pace, the ceiling the pacing leaves.
 */
const ceiling = (round: BudgetRound, perWindow: number, windowMs: number) =>
  round.items / ((round.mostRequests * windowMs) / perWindow / 1000)

const shares = (round: BudgetRound) => {
  const known = round.budget.perApp.filter((share) => !Number.isNaN(share))
  return known.length === 0
    ? "n/a"
    : `${Cluster.percentages([min(known)])} / ${Cluster.percentages([median(known)])} / ${Cluster.percentages([max(known)])}`
}

const perPage = (round: BudgetRound, value: number) => num(value / round.requests, 2)

/** Pages (requests) a second the one runner of a runner-bound pair fetched alone. */
const aloneRate = (round: JoinRound): number => round.requests / (round.aloneMs / 1000)

/** One runner-bound pair: one runner throughout against one with a second joining. */
const joinSentence = (plan: Plan, round: JoinRound): string => {
  const { join } = plan.cluster
  const rate = aloneRate(round)
  const held =
    round.cores !== undefined
      ? ` Each runner held to ${round.cores} of a core (a cgroup CPU quota), as a runner on a machine of its own would be:`
      : round.quotaRefused !== undefined
        ? ` (A CPU quota per runner was asked for, but ${round.quotaRefused}: unconstrained.)`
        : " Every process on the machine's cores:"
  return (
    `Runner-bound: ${join.workspaces} workspaces of ${num(join.contacts)} contacts (pages of ${join.perPage}), a limit no run reaches, ${num(round.requests)} requests.${held} ` +
    `one runner throughout: ${seconds(round.aloneMs)} s (${num(rate, 1)} pages/s). One runner and a second started after ${num(round.joinedAfter)} requests (${Math.round(join.at * 100)} % of them): ${seconds(round.joinedMs)} s, ${ratio(round.joinedMs / round.aloneMs)} the time, ${num(round.joinedRequests)} requests (the steps in flight on the shards that moved are fetched again); the runner that joined held up to ${round.joinedShards} shards of ${Cluster.shardsPerGroup}.` +
    (round.stopped.length === 0
      ? ""
      : ` A run stopped before its end and was resumed at once (its time counted in): ${round.stopped.join("; ")}`)
  )
}

/** The section, or a line saying the job did not run to its end. */
export const clusterSection = (plan: Plan, collected: ClusterCollected): string => {
  const { budget, join } = plan.cluster
  const paced = Cluster.paced(budget.limit, budget.windowMs)
  const rounds = collected.budget
  const joined = collected.join[0]
  const inexact = [...rounds.flatMap((r) => r.inexact), ...collected.join.flatMap((r) => r.inexact)]
  const biggest = rounds[rounds.length - 1]
  const oneRunnerRate = joined === undefined ? NaN : aloneRate(joined)
  return [
    `## Cluster (issue 16): intercom-sync runners over PostgreSQL, budgets shared through Redis`,
    "",
    `Budget-bound: the first sync of ${budget.workspaces} workspaces (${num(budget.contacts)} contacts, ${plan.cluster.mock.companies} companies, ${plan.cluster.mock.conversations} conversations, ${plan.cluster.mock.tickets} tickets each; pages of ${budget.perPage}, contacts in 4 partitions), every workspace one app limited to ${budget.limit} requests per ${budget.windowMs / 1000} s by the mock (one process serving all of them by token) and paced by the runners' shared budget at ${paced} of ${budget.limit}. A fresh PostgreSQL, Redis and mock for each count of runners. The ceiling is what the limit allows: the busiest workspace's requests need requests × window / limit seconds, and every item is synced when it is done (${budget.workspaces} × ${budget.limit} / ${budget.windowMs / 1000} s × items per request when the workspaces are alike). Budget used: each app's requests over the whole windows in which every app had work pending (all runners up), against its limit (min / median / max over the apps).`,
    "",
    table(
      [
        { header: "runners" },
        { header: "wall s", right: true },
        { header: "items", right: true },
        { header: "requests", right: true },
        { header: "items/s", right: true },
        { header: "ceiling items/s (limit / pace)", right: true },
        { header: "of the paced ceiling", right: true },
        { header: "budget used min / median / max", right: true },
        { header: "windows", right: true },
        { header: "429", right: true }
      ],
      rounds.map((round) => [
        String(round.runners),
        seconds(round.wallMs),
        num(round.items),
        num(round.requests),
        num(round.items / (round.wallMs / 1000)),
        `${num(ceiling(round, budget.limit, budget.windowMs))} / ${num(ceiling(round, paced, budget.windowMs))}`,
        ratio(round.items / (round.wallMs / 1000) / ceiling(round, paced, budget.windowMs)),
        shares(round),
        String(round.budget.windows),
        String(round.limited)
      ])
    ),
    "",
    `PostgreSQL's work per page (per request the mock answered: pages of lists and searches, and each conversation fetched), from \`pg_stat_database\` (commits, rows inserted / updated / deleted / returned) and the WAL position, read before the sync and 11 s after it (backends report their counts late), less what the idle runners did meanwhile (measured over 11 s before the sync; in the last column, per runner).`,
    "",
    table(
      [
        { header: "runners" },
        { header: "commits/page", right: true },
        { header: "inserted/page", right: true },
        { header: "updated/page", right: true },
        { header: "deleted/page", right: true },
        { header: "returned/page", right: true },
        { header: "WAL KB/page", right: true },
        { header: "rows written/item", right: true },
        { header: "idle commits/s per runner", right: true }
      ],
      rounds.map((round) => [
        String(round.runners),
        perPage(round, round.work.commits),
        perPage(round, round.work.inserted),
        perPage(round, round.work.updated),
        perPage(round, round.work.deleted),
        perPage(round, round.work.fetched),
        perPage(round, round.work.walBytes / 1024),
        num((round.work.inserted + round.work.updated + round.work.deleted) / round.items, 2),
        num(round.idlePerSecond.commits / round.runners, 1)
      ])
    ),
    "",
    joined === undefined
      ? "Runner-bound: did not run."
      : collected.join.map((round) => joinSentence(plan, round)).join("\n\n"),
    "",
    biggest === undefined || joined === undefined
      ? ""
      : `On paper (apps/sync/README.md): 50 runners each at the one-runner rate above (${num(oneRunnerRate, 1)} pages/s of up to ${join.perPage} items) fetch ${num(50 * oneRunnerRate)} pages/s, which at ${biggest.runners} runner(s)' cost is ${num((50 * oneRunnerRate * biggest.work.commits) / biggest.requests)} commits/s (commits go by page) and, per item (rows and WAL go by item), up to ${num((50 * oneRunnerRate * join.perPage * (biggest.work.inserted + biggest.work.updated + biggest.work.deleted)) / biggest.items)} rows written/s and ${num((50 * oneRunnerRate * join.perPage * biggest.work.walBytes) / biggest.items / 2 ** 20, 1)} MB/s of WAL, plus ${num(50 * (biggest.idlePerSecond.commits / biggest.runners))} commits/s of idle polling.`,
    ...(inexact.length === 0 ? [] : ["", `NOT EXACT after the sync: ${inexact.join(", ")}.`]),
    ...(collected.failed.length === 0 ? [] : ["", `FAILED: ${collected.failed.join("; ")}`])
  ].join("\n")
}
