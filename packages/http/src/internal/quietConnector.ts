import * as Net from "node:net"
import * as Tls from "node:tls"
import { AbstractConnector, type RedisOptions } from "ioredis"

type Stream = Net.Socket | Tls.TLSSocket

/**
 * Connects like ioredis' own standalone connector, to a host and port (over TLS when asked), with one difference: an
 * error of the socket ends it quietly instead of being emitted.
 *
 * It is for the connection of `@effect/experimental`'s Redis store, which registers no error listener on its ioredis
 * client; ioredis prints every error of such a client to the console (a reset, when Redis dies with a command in
 * flight). Ended quietly, the socket closes, ioredis fails the commands in flight with "Connection is closed.", and
 * the shared budget goes on alone as it does for any failed command, telling it once in its own log.
 *
 * @internal
 */
export class QuietConnector extends AbstractConnector {
  private readonly options: RedisOptions

  constructor(options: RedisOptions) {
    super(options.disconnectTimeout ?? 2000)
    this.options = options
  }

  connect(): Promise<Stream> {
    const { host, port, family, tls } = this.options
    this.connecting = true
    // Like ioredis' connector, on the next tick: ioredis attaches its listeners once the promise resolves.
    return new Promise((resolve, reject) => {
      process.nextTick(() => {
        if (!this.connecting) return reject(new Error("Connection is closed."))
        const target = { host: host ?? "localhost", port: port ?? 6379, ...(family === undefined ? {} : { family }) }
        const stream: Stream = tls === undefined ? Net.createConnection(target) : Tls.connect({ ...target, ...tls })
        const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: Array<unknown>) => boolean
        stream.emit = (event: string | symbol, ...args: Array<unknown>): boolean => {
          if (event !== "error") return emit(event, ...args)
          stream.destroy()
          return true
        }
        this.stream = stream
        resolve(stream)
      })
    })
  }
}
