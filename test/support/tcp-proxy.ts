// A TCP proxy the test controls, between Gatehouse and the PostgreSQL server: down() resets
// every connection through it and refuses new ones (as a server restarting does), up() lets
// them through again. The machine's PostgreSQL server itself is never stopped: others share it.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | undefined;
  private readonly open = new Set<Socket>();
  /** How many connections were made through it, in all. */
  connections = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.up();
    return proxy;
  }

  /** The same URL with this proxy's address instead of the server's. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Lets connections through (again, on the same port). */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      this.connections++;
      const upstream = connect(this.target.port, this.target.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.open.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.open.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Resets every connection through it and refuses new ones until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.open) socket.resetAndDestroy();
    await closed;
  }

  async close(): Promise<void> {
    await this.down();
  }
}
