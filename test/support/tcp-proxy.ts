import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './processes.js';

interface Relay {
  client: Socket;
  upstream: Socket;
  closeUpstream: () => void;
  closeClient: () => void;
}

/**
 * A TCP relay in front of a server (Postgres, here), so a test can take the server away from a
 * process without stopping it for the rest of the run. `refuse()` resets every relayed connection
 * and refuses new ones, as a stopped or restarting server does; `hold()` resets them too but takes
 * new connections and never answers, as a host cut off by the network or a hung server does;
 * `silence()` stops relaying on every open connection without closing it, as a server that froze
 * or a network path that went dark does (each side has its bytes acknowledged and hears nothing),
 * and new connections are held, or relayed with `{ newConnections: 'relay' }` (a firewall that
 * forgot the open flows); `restore()` resets what was held or silenced and relays again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private holding = false;
  private readonly sockets = new Set<Socket>();
  private readonly relays = new Set<Relay>();
  private readonly silenced = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), target);
    await proxy.restore();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string {
    const routed = new URL(url);
    routed.hostname = '127.0.0.1';
    routed.port = String(this.port);
    return routed.toString();
  }

  async refuse(): Promise<void> {
    const server = this.server;
    this.server = null;
    // Stops listening at once; its callback would wait for connections, and every one is reset here.
    server?.close();
    server?.unref();
    this.resetAll();
  }

  async hold(): Promise<void> {
    this.resetAll();
    this.holding = true;
    await this.listen();
  }

  async silence({ newConnections = 'hold' }: { newConnections?: 'hold' | 'relay' } = {}): Promise<void> {
    for (const { client, upstream, closeUpstream, closeClient } of this.relays) {
      // Nothing crosses a dark path, not even one side's close.
      client.off('close', closeUpstream);
      upstream.off('close', closeClient);
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      this.silenced.add(client).add(upstream);
    }
    this.relays.clear();
    this.holding = newConnections === 'hold';
    await this.listen();
  }

  async restore(): Promise<void> {
    if (this.holding) this.resetAll();
    for (const socket of this.silenced) socket.resetAndDestroy();
    this.silenced.clear();
    this.holding = false;
    await this.listen();
  }

  close(): Promise<void> {
    return this.refuse();
  }

  private resetAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.relays.clear();
    this.silenced.clear();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      this.track(client);
      if (this.holding) return;
      const upstream = connect(this.target.port, this.target.host);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const relay: Relay = {
        client,
        upstream,
        closeUpstream: () => (upstream.destroy(), this.relays.delete(relay)),
        closeClient: () => client.destroy(),
      };
      this.relays.add(relay);
      client.on('close', relay.closeUpstream);
      upstream.on('close', relay.closeClient);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }
}
