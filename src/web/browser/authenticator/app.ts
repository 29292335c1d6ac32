// The Gatehouse Authenticator (/authenticator): the page's script. It keeps the accounts of this
// phone (account-store.ts), shows each one's code with the 30-second circle (offline too: codes
// need nothing but the clock and the key), and for accounts enrolled with Gatehouse it shows the
// pending sign-in requests and answers them, each answer signed by the device key
// (gatehouse-api.ts). It learns of requests from Web Push (through the service worker), at once
// from the server-sent events while open, and by asking every 5 s while visible, whichever works.
// Served by routes/browser-scripts.ts as /static/js/authenticator.js.
import { deleteAccount, listAccounts, type StoredAccount, saveAccount } from './account-store.ts';
import { announce, byId, el } from './dom.ts';
import {
  answerRequest,
  type Decision,
  eventsUrl,
  listRequests,
  type PendingRequest,
  pushKey,
  registerDevice,
  removeDevice,
  updateSubscription,
} from './gatehouse-api.ts';
import { parseOtpauthLink } from './otpauth-link.ts';
import { cameraAvailable, type Scan, scanQrCode } from './qr-scanner.ts';
import type { DeviceKey } from './signed-request.ts';
import { generateDeviceKeyPair, publicJwk } from './signed-request.ts';
import { importTotpSecret, secondsLeft, totpCode } from './totp.ts';

const POLL_MS = 5_000;
const EVENTS_RETRY_MS = 5_000;
const SERVICE_WORKER = '/authenticator/sw.js';
const SCOPE = '/authenticator';
export const NUMBER_LABEL = 'Number shown on your sign-in screen';

const OUTCOMES = {
  approved: 'Approved. The sign-in on your other screen carries on.',
  code_sent: 'Code sent. The sign-in on your other screen carries on.',
  denied: 'Refused: that sign-in cannot go on. If it wasn\u2019t you, change your password, as someone may know it.',
} as const;

let accounts: StoredAccount[] = [];
/** The requests shown, by id, with the account each belongs to. */
const shown = new Map<string, { account: StoredAccount; request: PendingRequest; card: HTMLElement }>();
const streams = new Map<string, EventSource>();
let scan: Scan | undefined;

const status = () => byId('app-status');

function deviceKey(account: StoredAccount): DeviceKey | undefined {
  const d = account.device;
  return d ? { deviceId: d.deviceId, audience: d.audience, privateKey: d.keyPair.privateKey } : undefined;
}

function accountTitle(account: StoredAccount): string {
  return account.device?.site.name ?? account.issuer ?? 'Account';
}

// ---- Codes -------------------------------------------------------------------------------

const CIRCUMFERENCE = 2 * Math.PI * 18;

function countdownCircle(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 44 44');
  svg.setAttribute('class', 'countdown');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const part of ['track', 'left']) {
    const circle = document.createElementNS(ns, 'circle');
    circle.setAttribute('cx', '22');
    circle.setAttribute('cy', '22');
    circle.setAttribute('r', '18');
    circle.setAttribute('class', part);
    if (part === 'left') circle.setAttribute('stroke-dasharray', String(CIRCUMFERENCE));
    svg.append(circle);
  }
  return svg;
}

function formatCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

async function tick(): Promise<void> {
  const now = Date.now();
  for (const account of accounts) {
    const item = document.getElementById(`account-${account.id}`);
    if (!item) continue;
    const { period } = account.totp;
    const left = secondsLeft(period, now);
    const code = await totpCode(account.totp, now);
    const codeElement = item.querySelector<HTMLElement>('.code');
    if (codeElement && codeElement.dataset.code !== code) {
      codeElement.dataset.code = code;
      codeElement.textContent = formatCode(code);
    }
    const seconds = item.querySelector<HTMLElement>('.seconds-left');
    if (seconds) seconds.textContent = `${left} ${left === 1 ? 'second' : 'seconds'}`;
    item.querySelector('circle.left')?.setAttribute('stroke-dashoffset', String(CIRCUMFERENCE * (1 - left / period)));
  }
}

/**
 * Removing an account enrolled with Gatehouse removes its device there too, signed by the device
 * key (which goes with the account). When Gatehouse cannot be reached the account still goes from
 * this phone, and the person is told the device stays registered until removed in Account Settings.
 */
async function removeFromGatehouse(account: StoredAccount): Promise<string> {
  const who = account.device?.email ?? account.label;
  const device = deviceKey(account);
  if (!device || !account.device) return `${who} was removed from this app.`;
  const result = await removeDevice(device, account.device.site.slug);
  // "invalid": Gatehouse no longer knows this device (removed under Security keys already).
  if (result.ok || result.error === 'invalid') return `${who} was removed from this app and from Gatehouse.`;
  return `${who} was removed from this app. Gatehouse could not be reached, so it still lists this phone until you remove it in Account Settings > Security keys.`;
}

function accountItem(account: StoredAccount): HTMLElement {
  const titleId = `account-${account.id}-title`;
  const remove = el(
    'button',
    { type: 'button', class: 'link-button remove' },
    'Remove',
    el('span', { class: 'visually-hidden' }, ` ${accountTitle(account)}, ${account.device?.email ?? account.label}`),
  );
  const confirmBox = el(
    'div',
    { class: 'confirm', role: 'group', 'aria-labelledby': `${titleId}-confirm`, hidden: true },
    el(
      'p',
      { id: `${titleId}-confirm` },
      `Remove ${account.device?.email ?? account.label} from this app? This phone then shows no codes or sign-in requests for it.`,
    ),
    account.device ? el('p', {}, 'Gatehouse removes this phone from your account too (it emails you to say so), so its codes stop working there.') : undefined,
  );
  const yes = el('button', { type: 'button', class: 'danger' }, 'Remove account');
  const no = el('button', { type: 'button' }, 'Keep it');
  confirmBox.append(el('div', { class: 'actions' }, yes, no));
  remove.addEventListener('click', () => {
    confirmBox.hidden = false;
    remove.hidden = true;
    no.focus();
  });
  no.addEventListener('click', () => {
    confirmBox.hidden = true;
    remove.hidden = false;
    remove.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    const said = await removeFromGatehouse(account);
    await deleteAccount(account.id);
    await loadAccounts();
    announce(status(), said);
    byId('accounts-heading').focus();
  });
  return el(
    'li',
    { id: `account-${account.id}`, class: 'account card', 'aria-labelledby': titleId },
    el('h3', { id: titleId }, accountTitle(account)),
    el('p', { class: 'email' }, account.device?.email ?? account.label),
    el(
      'div',
      { class: 'code-line' },
      countdownCircle(),
      el('dl', {}, el('dt', {}, 'Code'), el('dd', { class: 'code' }, '\u2026'), el('dt', {}, 'New code in'), el('dd', { class: 'seconds-left' }, '')),
    ),
    account.device ? undefined : el('p', { class: 'note' }, 'Codes only: this account was not added from Gatehouse, so it gets no sign-in requests.'),
    el('p', { class: 'note device-note', hidden: true }),
    remove,
    confirmBox,
  );
}

async function loadAccounts(): Promise<void> {
  accounts = await listAccounts();
  const list = byId('accounts');
  list.replaceChildren(...accounts.map(accountItem));
  byId('no-accounts').hidden = accounts.length > 0;
  for (const [id, entry] of shown) if (!accounts.some((a) => a.id === entry.account.id)) removeCard(id);
  for (const [id, source] of streams) {
    if (!accounts.some((a) => a.id === id)) {
      source.close();
      streams.delete(id);
    }
  }
  await tick();
  offerNotifications();
  for (const account of accounts) if (account.device && !streams.has(account.id)) void listen(account);
  void refreshAll();
}

// ---- Sign-in requests ---------------------------------------------------------------------

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function safeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function placeDetail(request: PendingRequest): HTMLElement {
  const attribution = request.placeAttribution;
  const href = attribution ? safeUrl(attribution.url) : undefined;
  return el(
    'dd',
    {},
    request.place,
    attribution && href
      ? el('span', { class: 'attribution' }, ' (', el('a', { href, rel: 'noopener noreferrer', target: '_blank' }, attribution.text), ')')
      : undefined,
  );
}

function removeCard(id: string): void {
  shown.get(id)?.card.remove();
  shown.delete(id);
  byId('no-requests').hidden = shown.size > 0;
}

/** Whether the person is in the middle of answering: a card they are using stays until they finish. */
function inUse(card: HTMLElement): boolean {
  const input = card.querySelector('input');
  return card.contains(document.activeElement) || (input?.value ?? '') !== '';
}

function requestCard(account: StoredAccount, request: PendingRequest): HTMLElement {
  const base = `request-${request.id}`;
  const message = el('div', { id: `${base}-message`, role: 'alert', class: 'live' });
  const number = el('input', {
    id: `${base}-number`,
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: '2',
    pattern: '[0-9]{2}',
    'aria-describedby': `${base}-message`,
    class: 'number',
  });
  const approve = el('button', { type: 'submit', class: 'primary' }, 'Approve');
  const sendCode = el('button', { type: 'button' }, 'Send Code');
  const deny = el('button', { type: 'button', class: 'danger' }, "It wasn't me");
  const form = el(
    'form',
    { novalidate: true },
    el('label', { for: number.id }, NUMBER_LABEL),
    number,
    message,
    el('div', { class: 'actions' }, approve, sendCode, deny),
  );
  const buttons = [approve, sendCode, deny];
  const answer = async (decision: Decision) => {
    const typed = number.value.trim();
    if (decision !== 'deny' && !/^[0-9]{2}$/.test(typed)) {
      announce(message, 'Type the two-digit number shown on your sign-in screen first.', 'error');
      number.focus();
      return;
    }
    const device = deviceKey(account);
    if (!device) return;
    for (const b of buttons) b.disabled = true;
    const code = decision === 'send_code' ? await totpCode(account.totp, Date.now()) : undefined;
    const result = await answerRequest(device, { requestId: request.id, number: typed, decision, ...(code ? { code } : {}) });
    for (const b of buttons) b.disabled = false;
    if (result.ok) {
      removeCard(request.id);
      announce(status(), OUTCOMES[result.value]);
      byId('requests-heading').focus();
      return;
    }
    // Each of these ends the request: its card goes, and the words stay at the top.
    if (result.error === 'expired' || result.error === 'answered' || result.error === 'wrong_number') {
      removeCard(request.id);
      announce(status(), result.message, 'error');
      byId('requests-heading').focus();
      return;
    }
    announce(message, result.message, 'error');
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void answer('approve');
  });
  sendCode.addEventListener('click', () => void answer('send_code'));
  deny.addEventListener('click', () => void answer('deny'));
  const created = new Date(request.createdAt);
  const expires = new Date(request.expiresAt);
  return el(
    'li',
    { id: base, class: 'request card', 'aria-labelledby': `${base}-title` },
    el('h3', { id: `${base}-title` }, `Sign-in to ${request.site.name}`),
    el(
      'dl',
      { class: 'summary' },
      el('dt', {}, 'Account'),
      el('dd', {}, account.device?.email ?? account.label),
      el('dt', {}, 'Browser'),
      el('dd', {}, request.browser),
      el('dt', {}, 'Time'),
      el('dd', {}, Number.isNaN(created.getTime()) ? '' : timeFormat.format(created)),
      el('dt', {}, 'Place'),
      placeDetail(request),
      el('dt', {}, 'Expires'),
      el('dd', {}, Number.isNaN(expires.getTime()) ? '' : `at ${timeFormat.format(expires)}`),
    ),
    form,
  );
}

/** Shows this account's pending requests as Gatehouse lists them: new ones added (and announced), gone ones removed. */
function showRequests(account: StoredAccount, requests: PendingRequest[]): void {
  const list = byId('requests');
  const ids = new Set(requests.map((r) => r.id));
  for (const [id, entry] of shown) {
    if (entry.account.id === account.id && !ids.has(id) && !inUse(entry.card)) removeCard(id);
  }
  const added: PendingRequest[] = [];
  for (const request of requests) {
    if (shown.has(request.id)) continue;
    const card = requestCard(account, request);
    list.append(card);
    shown.set(request.id, { account, request, card });
    added.push(request);
  }
  byId('no-requests').hidden = shown.size > 0;
  if (added.length > 0) {
    const first = added[0]!;
    announce(byId('requests-status'), `New sign-in request: ${first.site.name}, ${first.browser}, ${first.place}.`);
  }
}

const refreshing = new Map<string, Promise<void>>();

function refresh(account: StoredAccount): Promise<void> {
  const device = deviceKey(account);
  if (!device) return Promise.resolve();
  // One call at a time per account: an event, a push and a poll arriving together ask once.
  let running = refreshing.get(account.id);
  if (running) return running;
  running = (async () => {
    const result = await listRequests(device);
    const note = document.querySelector<HTMLElement>(`#account-${account.id} .device-note`);
    if (result.ok) {
      showRequests(account, result.value);
      if (note) note.hidden = true;
      byId('offline').hidden = true;
    } else if (result.error === 'offline') {
      byId('offline').hidden = false;
    } else if (note && result.error === 'invalid') {
      note.textContent =
        'Gatehouse no longer accepts this phone for sign-in requests (removed under Security keys?). Codes still work; to approve sign-ins again, remove this account and add it again.';
      note.hidden = false;
    }
  })().finally(() => refreshing.delete(account.id));
  refreshing.set(account.id, running);
  return running;
}

async function refreshAll(): Promise<void> {
  await Promise.all(accounts.map(refresh));
}

/** The account's stream of new requests; a new signature for each connection, since one lasts a minute. */
async function listen(account: StoredAccount): Promise<void> {
  const device = deviceKey(account);
  if (!device || typeof EventSource === 'undefined') return;
  const source = new EventSource(await eventsUrl(device));
  streams.set(account.id, source);
  source.addEventListener('request', () => void refresh(account));
  source.addEventListener('open', () => void refresh(account));
  source.addEventListener('error', () => {
    source.close();
    if (streams.get(account.id) !== source) return;
    streams.delete(account.id);
    setTimeout(() => {
      if (accounts.some((a) => a.id === account.id) && !streams.has(account.id)) void listen(account);
    }, EVENTS_RETRY_MS);
  });
}

// ---- Adding an account ----------------------------------------------------------------------

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

function webPushPossible(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/**
 * This browser's push subscription for Gatehouse's VAPID key, or null where Web Push is off,
 * not allowed (yet: the person allows notifications with a button of their own, see
 * setUpNotifications) or unreachable.
 */
async function pushSubscription(): Promise<PushSubscriptionJSON | null> {
  try {
    if (!webPushPossible() || Notification.permission !== 'granted') return null;
    const key = await pushKey();
    if (!key) return null;
    const registration = await withTimeout(navigator.serviceWorker.ready, 5_000);
    if (!registration) return null;
    const existing = await registration.pushManager.getSubscription();
    const subscription =
      existing ?? (await withTimeout(registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64urlBytes(key) }), 10_000));
    return subscription ? subscription.toJSON() : null;
  } catch {
    return null;
  }
}

function newId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function addAccount(link: string, name: string): Promise<{ ok: true; title: string } | { ok: false; message: string }> {
  const parsed = parseOtpauthLink(link);
  if (!parsed.ok) return parsed;
  const { account: otp } = parsed;
  const totpKey = await importTotpSecret(otp.secret, otp.algorithm);
  // The secret's bytes are not kept: only the non-extractable key is.
  otp.secret.fill(0);
  const account: StoredAccount = {
    id: newId(),
    issuer: otp.issuer,
    label: otp.label,
    totp: { key: totpKey, algorithm: otp.algorithm, digits: otp.digits, period: otp.period },
    addedAt: Date.now(),
  };
  if (otp.enrolment) {
    const keyPair = await generateDeviceKeyPair();
    const subscription = await pushSubscription();
    const enrolled = await registerDevice({
      enrolment: otp.enrolment,
      publicKey: await publicJwk(keyPair.publicKey),
      pushSubscription: subscription,
      ...(name ? { name } : {}),
    });
    if (!enrolled.ok) return { ok: false, message: enrolled.message };
    const { deviceId, audience, account: who } = enrolled.value;
    account.device = { deviceId, audience, keyPair, email: who.email, site: who.site, pushEndpoint: subscription?.endpoint ?? null };
  }
  await saveAccount(account);
  return { ok: true, title: `${accountTitle(account)} (${account.device?.email ?? account.label})` };
}

function setUpAdding(): void {
  const form = byId<HTMLFormElement>('add-form');
  const link = byId<HTMLInputElement>('link');
  const name = byId<HTMLInputElement>('device-name');
  const message = byId('add-message');
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const add = async (text: string) => {
    submit.disabled = true;
    announce(message, '');
    const result = await addAccount(text, name.value.trim().slice(0, 60)).catch(() => ({
      ok: false as const,
      message: 'This browser could not keep the account (private browsing, or storage full?). Try again in a normal window.',
    }));
    submit.disabled = false;
    if (!result.ok) {
      announce(message, result.message, 'error');
      link.focus();
      return;
    }
    link.value = '';
    name.value = '';
    await loadAccounts();
    announce(status(), `Added ${result.title}. Its codes and sign-in requests show here.`);
    byId('accounts-heading').focus();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void add(link.value);
  });

  const scanButton = byId<HTMLButtonElement>('scan');
  const stopButton = byId<HTMLButtonElement>('stop-scan');
  const scanner = byId('scanner');
  const video = byId<HTMLVideoElement>('camera');
  if (!cameraAvailable()) {
    scanButton.hidden = true;
    return;
  }
  scanButton.addEventListener('click', async () => {
    announce(message, '');
    scanner.hidden = false;
    scanButton.hidden = true;
    try {
      scan = await scanQrCode(video);
    } catch {
      scanner.hidden = true;
      scanButton.hidden = false;
      announce(message, 'The camera could not be used (no camera, or not allowed). Allow the camera for this app, or paste the link instead.', 'error');
      return;
    }
    stopButton.focus();
    const text = await scan.result;
    scan = undefined;
    scanner.hidden = true;
    scanButton.hidden = false;
    if (text !== undefined) await add(text);
    else scanButton.focus();
  });
  stopButton.addEventListener('click', () => scan?.stop());
}

// ---- Notifications --------------------------------------------------------------------------

/** Tells Gatehouse of this browser's push subscription where it differs from what Gatehouse was last given. */
async function keepSubscriptionsCurrent(): Promise<boolean> {
  if (!webPushPossible() || Notification.permission !== 'granted') return false;
  const subscription = await pushSubscription();
  // None now (no push service reachable, for a moment?): Gatehouse keeps the one it has.
  if (!subscription) return false;
  for (const account of accounts) {
    const device = deviceKey(account);
    if (!device || !account.device || (subscription?.endpoint ?? null) === account.device.pushEndpoint) continue;
    const result = await updateSubscription(device, subscription);
    if (result.ok) {
      account.device.pushEndpoint = subscription?.endpoint ?? null;
      await saveAccount(account);
    }
  }
  return true;
}

/**
 * The offer to turn notifications on, shown while the browser has not been asked and an account
 * can get sign-in requests: asked only when the person presses the button (phones allow the
 * question only then, and a question out of nowhere is refused by habit).
 */
function offerNotifications(): void {
  const offer = byId('notifications-offer');
  offer.hidden = !(webPushPossible() && Notification.permission === 'default' && accounts.some((a) => a.device));
}

function setUpNotifications(): void {
  const button = byId<HTMLButtonElement>('notifications');
  button.addEventListener('click', async () => {
    const permission = await Notification.requestPermission();
    offerNotifications();
    if (permission !== 'granted') {
      announce(status(), 'Notifications are off. The app still shows sign-in requests while it is open.');
      return;
    }
    const subscribed = await keepSubscriptionsCurrent().catch(() => false);
    announce(
      status(),
      subscribed
        ? 'Notifications are on: a sign-in request shows even when the app is closed.'
        : 'This phone could not reach a notification service. The app still shows sign-in requests while it is open.',
    );
  });
}

// ---- Start ---------------------------------------------------------------------------------

async function start(): Promise<void> {
  byId('app').hidden = false;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(SERVICE_WORKER, { scope: SCOPE }).catch(() => undefined);
    // The service worker passes on a push that arrives while the app is open.
    navigator.serviceWorker.addEventListener('message', () => void refreshAll());
  }
  setUpAdding();
  setUpNotifications();
  try {
    await loadAccounts();
  } catch {
    announce(status(), 'This browser does not let the app keep accounts (private browsing?). Open it in a normal window.', 'error');
    return;
  }
  setInterval(() => void tick(), 1_000);
  setInterval(() => {
    if (document.visibilityState === 'visible') void refreshAll();
  }, POLL_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshAll();
  });
  window.addEventListener('online', () => void refreshAll());
  void keepSubscriptionsCurrent().catch(() => undefined);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
