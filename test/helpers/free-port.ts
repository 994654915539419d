import { createServer } from 'node:net';
import { listenOnLoopback } from './loopback-listen.ts';

/**
 * Asks the system for a port that is free on loopback right now. Only for programs that cannot
 * be told to listen on port 0 and report back (Orthanc); the port could in theory be taken again
 * before the program binds it, which on a test machine's loopback does not happen in practice.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
