import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';

/** Binds the server to an ephemeral port on 127.0.0.1 and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the server reported no TCP port');
  }

  return address.port;
}

/** Closes an HTTP server, cutting its idle and active connections rather than waiting on them. */
export async function closeHttpServer(server: HttpServer): Promise<void> {
  if (!server.listening) {
    return;
  }

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
