/**
 * The sections of S1 and S2 in the report: issue 15's incremental sync (requests against the least possible) and
 * the cost of durability (durable / inline).
 */
import { Run } from "@intercom-effect/sync"
import { type SyncMode, syncModes, type SyncResult } from "./jobs.js"
import { table } from "./markdown.js"
import type { Plan } from "./options.js"
import type { S1Collected, S1Round, S2Collected } from "./syncRounds.js"
import { max, median, min, num, ratio } from "./stats.js"

/** Contacts per search page: the plan's default, Intercom's most. */
const PER_PAGE = 150

/**
 * The fewest requests an incremental run can make for `changed` changed contacts: one `GET /me` (the server's clock,
 * which ends the window and checks the token before anything is planned) and the search pages that hold them.
 */
export const leastRequests = (changed: number): number => 1 + Math.ceil(changed / PER_PAGE)

const seconds = (ms: number) => num(ms / 1000, 2)

export const s1Section = (plan: Plan, collected: S1Collected): string => {
  const { changed, contacts } = plan.s1
  const rounds = collected.rounds
  const over = (metric: (round: S1Round) => number) => rounds.map(metric)
  const least = (round: S1Round) => leastRequests(round.advanced.changed)
  const first = collected.first
  const firstLine =
    first === undefined
      ? []
      : [
          `The first run (not part of the rounds, timed apart): ${num(first.stored)} contacts in ${seconds(first.wallMs)} s (${num(first.stored / (first.wallMs / 1000))} contacts/s), ${num(first.served)} requests (${num(first.pages)} pages of ${PER_PAGE} and GET /me), CPU ${seconds(first.cpuMs)} s (the mock's: ${seconds(first.mockCpuMs)} s), peak RSS ${num(first.peakRssMb)} MB.`,
          ""
        ]
  return [
    `## S1: incremental sync of ${num(changed)} changed contacts among ${num(contacts)}`,
    "",
    `\`@intercom-effect/sync\` (\`Sync.run\`, the workflow on SQLite, contacts only, default plan) against the living mock Intercom in its own process. A first run copies every contact into a SQLite file; each round starts a fresh mock with the same seed (the workspace that run copied), moves its clock one simulated hour in which it makes ${num(changed)} contact updates (a contact may be picked twice: "changed" counts distinct contacts), and times an incremental run, in a fresh process, into a copy of the first run's file. Requests are what the mock answered during the run; the least possible is GET /me plus ⌈changed / ${PER_PAGE}⌉ search pages. The seeded history ends the day before the clock starts, so the run's window (whole days, from the day the last one ended in) holds the changes alone; a workspace busy that morning would add its other changes of the day to the window. Contacts/s is changed contacts over wall time, which includes planning, the workflow's start and its commit, and the mock's serving (its CPU is given: a fresh mock encodes each contact through its \`Schema\` the first time it serves it, and searches every contact); CPU is the sync process's (all threads), in a fresh process as a command's run would be. ${rounds.length} round${rounds.length === 1 ? "" : "s"}.`,
    "",
    ...firstLine,
    table(
      [
        { header: "changed" },
        { header: "fetched", right: true },
        { header: "requests", right: true },
        { header: "least possible", right: true },
        { header: "requests / least", right: true },
        { header: "wall ms median", right: true },
        { header: "wall ms best", right: true },
        { header: "contacts/s median", right: true },
        { header: "CPU ms median", right: true },
        { header: "mock CPU ms median", right: true },
        { header: "peak RSS MB", right: true }
      ],
      [
        [
          num(median(over((round) => round.advanced.changed))),
          num(median(over((round) => round.items))),
          num(median(over((round) => round.served))),
          num(median(over(least))),
          ratio(max(over((round) => round.served / least(round)))),
          num(median(over((round) => round.wallMs))),
          num(min(over((round) => round.wallMs))),
          num(median(over((round) => round.advanced.changed / (round.wallMs / 1000)))),
          num(median(over((round) => round.cpuMs))),
          num(median(over((round) => round.mockCpuMs))),
          num(median(over((round) => round.peakRssMb)))
        ]
      ]
    ),
    "",
    `Requests / least is the worst round's. Issue 15: requests used against the least possible: ${ratio(max(over((round) => round.served / least(round))))}.`
  ].join("\n")
}

const modeLabels: Readonly<Record<SyncMode, string>> = {
  inline: "inline (Sync.runInline: no engine)",
  durable: "durable (Sync.run: the workflow on SQLite, default steps)",
  "durable-per-page": "durable, one page per step (the engine before issue 15)"
}

export const s2Section = (plan: Plan, collected: S2Collected): string => {
  const roundsOf = (mode: SyncMode) => collected.get(mode) ?? []
  const over = (mode: SyncMode, metric: (result: SyncResult) => number) => roundsOf(mode).map(metric)
  const versus = (mode: SyncMode, metric: (result: SyncResult) => number) =>
    median(over(mode, metric)) / median(over("inline", metric))
  const wall = (result: SyncResult) => result.wallMs
  const cpu = (result: SyncResult) => result.cpuMs
  const pages = median(over("durable", (result) => result.pages))
  const ran = syncModes.filter((mode) => roundsOf(mode).length > 0)
  return [
    `## S2: what durability costs, a first sync of ${num(plan.s2.contacts)} contacts`,
    "",
    `The same plan, walk (${num(pages)} search pages of ${PER_PAGE}), writes and commit into an empty SQLite file, run as the workflow on the SQLite engine (each step an activity whose result the engine stores: by default pages until they have taken ${Run.defaultConfig.requestsPerStep} requests, or one page per step) and inline (no engine). Each run in a fresh process after a warm-up run of its own into another file; the runtime (file, tables, engine, client) is built before the clock starts. The mock (the same one for every run, warmed by an unmeasured run) serves from its own process, so wall time includes its serving; CPU is the sync process's alone (all threads). Ratios compare medians; ${plan.rounds} rounds, the order of the modes rotating.`,
    "",
    table(
      [
        { header: "mode" },
        { header: "wall s median", right: true },
        { header: "wall s best", right: true },
        { header: "CPU s median", right: true },
        { header: "CPU s min", right: true },
        { header: "contacts/s median", right: true },
        { header: "peak RSS MB", right: true },
        { header: "wall vs inline", right: true },
        { header: "CPU vs inline", right: true }
      ],
      ran.map((mode) => [
        modeLabels[mode],
        seconds(median(over(mode, wall))),
        seconds(min(over(mode, wall))),
        seconds(median(over(mode, cpu))),
        seconds(min(over(mode, cpu))),
        num(median(over(mode, (result) => result.stored / (result.wallMs / 1000)))),
        num(median(over(mode, (result) => result.peakRssMb))),
        ratio(versus(mode, wall)),
        ratio(versus(mode, cpu))
      ])
    ),
    "",
    `Durable / inline: wall ${ratio(versus("durable", wall))}, CPU ${ratio(versus("durable", cpu))} (issue 15 target ≤ 1.10×); with one page per step, ${ratio(versus("durable-per-page", wall))} and ${ratio(versus("durable-per-page", cpu))}.`
  ].join("\n")
}
