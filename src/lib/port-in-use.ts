// A port already taken is the most common start-up failure (a second `npm start`): say so in
// one line, and find out before anything is written (the data directory, the secret key).
import { type AddressInfo, createServer, type Server } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    setting = 'PORT',
  ) {
    super(`port ${port} is in use on ${host}: stop whatever is using it, or set ${setting} to another port`);
    this.name = 'PortInUseError';
  }
}

/** Listens, turning EADDRINUSE into a PortInUseError that names the setting to change. */
export function listenOn(server: Pick<Server, 'listen' | 'once' | 'off'>, port: number, host: string, setting = 'PORT'): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, host, setting) : err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** The address a listening server answers on, as a URL. */
export function urlOf(server: Pick<Server, 'address'>): string {
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Throws a PortInUseError when the port cannot be had now (port 0, any free port, always can). */
export async function checkPortFree(port: number, host: string, setting = 'PORT'): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listenOn(probe, port, host, setting);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
