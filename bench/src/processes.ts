/**
 * Parent-side handling of the child processes: the servers, started once per run, and one measuring child per job.
 */
import { fork, type ChildProcess } from "node:child_process"
import type { Job, Reply, Result } from "./jobs.js"
import type { Ready, ServerOptions } from "./server/main.js"
import type { Advanced, MockAnswer, MockCounters, MockOptions, MockReady, MockRequest } from "./server/mock.js"

/** A running loopback server. */
export interface Server extends Ready {
  readonly baseUrl: string
  /** Stops the server; resolves once it has exited (and its CPU time is accounted to this process). */
  readonly stop: () => Promise<void>
}

/** A child that runs for longer than this is stuck, not slow: every job takes seconds. */
const JOB_TIMEOUT_MS = 5 * 60_000

// Children run the bundles with plain node: without this, fork would pass on the parent's `--import tsx`.
const plainNode = (extra: ReadonlyArray<string> = []) => ({ execArgv: [...extra], serialization: "json" as const })

/**
 * Forks a server child (the loopback server or the mock) that stops with the harness, and resolves with it and the
 * first message it sends, which says that it listens.
 */
const forkServer = (
  entry: string,
  options: unknown,
  name: string
): Promise<{ readonly child: ChildProcess; readonly ready: unknown; readonly stop: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const child = fork(entry, [JSON.stringify(options)], {
      ...plainNode(),
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill()
      return exited
    }
    process.once("exit", () => void stop())
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`${name} exited (code ${code}) before listening`)))
    child.once("message", (ready) => resolve({ child, ready, stop }))
  })

/** Starts the server process and resolves once it listens. */
export const startServer = async (entry: string, options: ServerOptions): Promise<Server> => {
  const { ready, stop } = await forkServer(entry, options, "the loopback server")
  const server = ready as Ready
  return { ...server, baseUrl: `http://127.0.0.1:${server.port}`, stop }
}

/** The running mock Intercom of W2, S1 and S2. */
export interface Mock extends MockReady {
  readonly baseUrl: string
  /** Makes the mock count afresh: the next contender's requests, 429s and windows are its own. */
  readonly reset: () => Promise<void>
  /** What the mock counted since the last reset. */
  readonly counters: () => Promise<MockCounters>
  /** Moves a living workspace's clock forward by `ms`, making the changes due meanwhile. */
  readonly advance: (ms: number) => Promise<Advanced>
  readonly stop: () => Promise<void>
}

/** Starts the mock Intercom's process and resolves once it listens. */
export const startMock = async (entry: string, options: MockOptions): Promise<Mock> => {
  const { child, ready, stop } = await forkServer(entry, options, "the mock Intercom")
  // The harness asks one thing at a time, so answers come back in the order of the requests.
  const waiting: Array<(answer: MockAnswer) => void> = []
  child.on("message", (answer) => waiting.shift()?.(answer as MockAnswer))
  const ask = (request: MockRequest) =>
    new Promise<MockAnswer>((answered) => {
      waiting.push(answered)
      child.send(request)
    })
  const mock = ready as MockReady
  return {
    ...mock,
    baseUrl: `http://127.0.0.1:${mock.port}`,
    reset: async () => void (await ask({ type: "reset" })),
    counters: async () => {
      const answer = await ask({ type: "counters" })
      if (answer.type !== "counters") throw new Error("the mock Intercom answered out of turn")
      return answer.counters
    },
    advance: async (ms) => {
      const answer = await ask({ type: "advance", ms })
      if (answer.type !== "advanced") throw new Error("the mock Intercom answered out of turn")
      return answer.advanced
    },
    stop
  }
}

/** Runs one job in a fresh child and resolves to its reply. */
export const runJob = (entry: string, job: Job): Promise<Reply> =>
  new Promise((resolve) => {
    let reply: Reply | undefined
    const child: ChildProcess = fork(entry, [JSON.stringify(job)], {
      ...plainNode(["--expose-gc"]),
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), JOB_TIMEOUT_MS)
    child.on("message", (message) => {
      reply = message as Reply
    })
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      resolve(reply ?? { ok: false, error: `child exited (code ${code}, signal ${signal}) without a reply` })
    })
  })

/** How a job is named in progress lines and errors: `W2 sdk`, `S2 durable`. */
const labelOf = (job: Job): string => {
  switch (job.workload) {
    case "decode":
      return "decode"
    case "s1":
    case "s2":
      return `${job.workload.toUpperCase()} ${job.mode}`
    default:
      return `${job.workload.toUpperCase()} ${job.contender}`
  }
}

/**
 * Runs a job and returns its result, or stops the whole run: a figure from a failed contender would be a lie. (An
 * export that stops early is not a failed job: the child reports it, and W2's table says so.)
 */
export const mustRun = async <R extends Result>(
  entry: string,
  job: Job,
  is: (result: Result) => result is R
): Promise<R> => {
  const label = labelOf(job)
  const reply = await runJob(entry, job)
  if (!reply.ok) throw new Error(`${label} failed:\n${reply.error}`)
  if (!is(reply.result)) throw new Error(`${label}: the child answered with the wrong kind of result`)
  return reply.result
}
