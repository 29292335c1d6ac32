// A port already taken is the most common start-up failure (a second `npm start`): say so in
// one line, and find out before anything is written (the data directory, the secret key).
import { createServer, type Server } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} is in use on ${host}: stop whatever is using it, or set PORT to another port`);
    this.name = 'PortInUseError';
  }
}

/** Listens, turning EADDRINUSE into a PortInUseError. */
export function listenOn(server: Pick<Server, 'listen' | 'once' | 'off'>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, host) : err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Throws a PortInUseError when the port cannot be had now (port 0, any free port, always can). */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listenOn(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
