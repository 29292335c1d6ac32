// The Gatehouse Authenticator's service worker (/authenticator/sw.js, scope /authenticator). It
// keeps the app's shell in a cache, so that the app opens and shows codes with no network (the
// accounts themselves are in IndexedDB); it always asks the network first, so an update shows at
// once when online. A Web Push (payload: only the request id) shows a notification and tells an
// open app to ask for its requests; a tap on the notification opens the app.
// Served by routes/authenticator.tsx from the bundle routes/browser-scripts.ts builds.

// The worker's own globals, as far as this script uses them (the project's lib is DOM's, not WebWorker's).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface PushEvent extends ExtendableEvent {
  readonly data: { json(): unknown } | null;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
  postMessage(message: unknown): void;
}
interface WorkerSelf {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  readonly clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
}
declare const self: WorkerSelf;

const CACHE = 'gatehouse-authenticator-shell-v1';
const APP = '/authenticator';
/** What the app needs to open with no network. */
const SHELL = [
  APP,
  '/static/app.css',
  '/static/js/authenticator.js',
  '/authenticator/app.css',
  '/authenticator/manifest.webmanifest',
  '/authenticator/icon-192.png',
  '/authenticator/icon-512.png',
];
export const NOTIFICATION_TITLE = 'Sign-in request: open to approve or deny';

/** The shell's entry a request is for, or undefined (the API, and everything else, goes to the network untouched). */
function shellPath(request: Request): string | undefined {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return undefined;
  const path = url.pathname === `${APP}/` ? APP : url.pathname;
  return SHELL.includes(path) ? path : undefined;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('gatehouse-authenticator-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const path = shellPath(event.request);
  if (!path) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // By its address, not the request: a navigation's Request cannot be fetched with options.
        const response = await fetch(path, { cache: 'no-cache', credentials: 'omit' });
        if (response.ok) await cache.put(path, response.clone());
        return response;
      } catch {
        return (await cache.match(path)) ?? Response.error();
      }
    })(),
  );
});

self.addEventListener('push', (event) => {
  let requestId: string | undefined;
  try {
    const data = event.data?.json() as { requestId?: unknown } | undefined;
    if (typeof data?.requestId === 'string') requestId = data.requestId;
  } catch {
    // Not the contract's payload: still a wake-up, shown the same way.
  }
  event.waitUntil(
    (async () => {
      for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) client.postMessage({ type: 'request', requestId });
      await self.registration.showNotification(NOTIFICATION_TITLE, {
        tag: requestId ? `sign-in-request-${requestId}` : 'sign-in-request',
        icon: '/authenticator/icon-192.png',
        requireInteraction: true,
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const open = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).find((c) => new URL(c.url).pathname.startsWith(APP));
      if (open) await open.focus();
      else await self.clients.openWindow(APP);
    })(),
  );
});
