// Local HTTP servers and a connection-attempt recorder for the client tests. Everything listens on loopback.
import { channel } from 'node:diagnostics_channel';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  /** Origin, e.g. http://127.0.0.1:40123 (IPv6 hosts are bracketed). */
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: () => number;
  /** Requests seen so far (method, url, headers). */
  requests: { url: string; headers: Record<string, string | string[] | undefined> }[];
  close: () => Promise<void>;
}

export async function startServer(handler: RequestListener, host = '127.0.0.1'): Promise<TestServer> {
  const server: Server = createServer(handler);
  let connections = 0;
  const requests: TestServer['requests'] = [];
  server.on('connection', () => {
    connections += 1;
  });
  server.on('request', (req) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Records the address of every outgoing TCP connection attempt in this process (net's `connectionAttempt`
 * event, emitted right before connect(2)). An attempt that is never made is proof the guard refused first.
 */
export function recordConnectionAttempts(): { attempts: string[]; stop: () => void } {
  const attempts: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.on('connectionAttempt', (ip: string) => attempts.push(ip));
  };
  const sockets = channel('net.client.socket');
  sockets.subscribe(onSocket);
  return { attempts, stop: () => sockets.unsubscribe(onSocket) };
}

export const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';
