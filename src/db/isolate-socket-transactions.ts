// pglite-socket runs each wire message under PGlite's query lock only, so a socket client's
// transaction and this process's own queries interleave, and each joins the other's
// transaction: a `gatehouse` command that rolls back would take the server's writes made
// meanwhile with it, and the server's rollback the command's. The socket server gets this
// view of the PGlite instead: its messages also take the transaction lock (the one PGlite's
// own query() and transaction() take), and keep it from the message that opens a transaction
// to the one that ends it. Socket transactions are the only ones it reports or rolls back.
import type { PGlite } from '@electric-sql/pglite';

/** A simple-protocol Query message ('Q', length, text, NUL). */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

export function isolateSocketTransactions(pglite: PGlite): PGlite {
  let held: (() => void) | undefined; // releases the transaction lock an open socket transaction holds
  const takeTransactionLock = () =>
    new Promise<() => void>((taken) => {
      void pglite._runExclusiveTransaction(() => new Promise<void>((release) => taken(release)));
    });
  const overrides = {
    async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
      const release = held ?? (await takeTransactionLock());
      held = undefined;
      try {
        return await pglite.runExclusive(fn);
      } finally {
        if (pglite.isInTransaction()) held = release;
        else release();
      }
    },
    isInTransaction: () => held !== undefined,
    /** pglite-socket's one use: rolling back the transaction of a client that went away. */
    async exec(sql: string) {
      const release = held;
      if (!release) return [];
      held = undefined;
      try {
        await pglite.runExclusive(() => pglite.execProtocolRaw(simpleQuery(sql)));
      } finally {
        release();
      }
      return [];
    },
  };
  return new Proxy(pglite, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof typeof overrides];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
