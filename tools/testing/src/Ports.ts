/**
 * Ports for test servers on 127.0.0.1.
 */
import * as Net from "node:net"
import { Effect } from "effect"

/**
 * A port nobody listens on right now: bound on 127.0.0.1, read, and closed again. For a server that must be told its
 * port before it starts (redis-server, Prism), or for a connection that must be refused.
 */
export const freePort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})
