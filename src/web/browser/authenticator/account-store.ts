// The accounts this phone holds, in IndexedDB: each with its TOTP key and, when enrolled with
// Gatehouse, its device key pair. Both are CryptoKey objects made non-extractable, which
// IndexedDB stores as they are (structured clone): the secret and the private key never exist
// as bytes this script, or anything injected into the page, could read back.
import type { TotpAlgorithm } from './otpauth-link.ts';

export interface StoredAccount {
  /** This app's own id of the account (random). */
  id: string;
  issuer: string;
  label: string;
  totp: { key: CryptoKey; algorithm: TotpAlgorithm; digits: number; period: number };
  /** Set when Gatehouse registered this phone for sign-in requests. */
  device?: {
    deviceId: string;
    audience: string;
    keyPair: CryptoKeyPair;
    email: string;
    site: { slug: string; name: string };
    /** The push endpoint Gatehouse was last given, to tell it when the browser's changes. */
    pushEndpoint: string | null;
  };
  addedAt: number;
}

const DB_NAME = 'gatehouse-authenticator';
const STORE = 'accounts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let opened: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  opened.catch(() => {
    opened = undefined;
  });
  return opened;
}

async function store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await database()).transaction(STORE, mode).objectStore(STORE);
}

/** Every account, oldest first. */
export async function listAccounts(): Promise<StoredAccount[]> {
  const all = await request((await store('readonly')).getAll() as IDBRequest<StoredAccount[]>);
  return all.sort((a, b) => a.addedAt - b.addedAt);
}

export async function saveAccount(account: StoredAccount): Promise<void> {
  await request((await store('readwrite')).put(account));
}

export async function deleteAccount(id: string): Promise<void> {
  await request((await store('readwrite')).delete(id));
}
