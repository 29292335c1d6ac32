// The Gatehouse Authenticator as a test plays it: a P-256 device key (jose), registered with
// the enrolment token from Account Settings' QR link, and every later call a JWS signed with it,
// as push-contract.md describes. `sign` can be told to go wrong (another key, audience, time).
import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface SignOptions {
  key?: CryptoKey;
  audience?: string;
  kid?: string;
  iat?: number;
  exp?: number;
  jti?: string;
}

export class Phone {
  deviceId = '';
  audience = '';

  private constructor(
    readonly base: string,
    readonly privateKey: CryptoKey,
    readonly publicJwk: Record<string, unknown>,
  ) {}

  static async make(base: string): Promise<Phone> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { kty, crv, x, y } = await exportJWK(publicKey);
    return new Phone(base, privateKey, { kty, crv, x, y });
  }

  async api(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(new URL(`/authenticator/api/${path}`, this.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async register(enrolment: string, pushSubscription: unknown = null, name = 'Test phone') {
    const r = await this.api('devices', { enrolment, publicKey: this.publicJwk, pushSubscription, name });
    if (r.status === 201) {
      this.deviceId = r.json.deviceId as string;
      this.audience = r.json.audience as string;
    }
    return r;
  }

  async sign(payload: JWTPayload, o: SignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const iat = o.iat ?? now;
    return new SignJWT({ ...payload, jti: o.jti ?? randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? this.deviceId, typ: 'gatehouse-authenticator+jwt' })
      .setAudience(o.audience ?? this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(o.exp ?? iat + 60)
      .sign(o.key ?? this.privateKey);
  }

  async list() {
    const r = await this.api('requests', { jws: await this.sign({ action: 'list' }) });
    return r.json.requests as { id: string; site: { name: string }; browser: string; place: string; placeAttribution: unknown }[];
  }

  async answer(requestId: string, decision: 'approve' | 'deny' | 'send_code', extra: { number?: string; code?: string } = {}, o: SignOptions = {}) {
    return this.api('answer', { jws: await this.sign({ requestId, decision, ...extra }, o) });
  }
}

/** The enrolment token and the TOTP secret in Add new device's link for the Gatehouse Authenticator. */
export function enrolmentFrom(html: string): { token: string; secret: string; link: string } {
  const link = html.match(/id="enrolment-link"[^>]*value="([^"]+)"/)![1]!.replace(/&amp;/g, '&');
  const url = new URL(link);
  return { token: url.searchParams.get('gatehouse_enrol')!, secret: url.searchParams.get('secret')!, link };
}

/** The number and request id the waiting page shows. */
export function requestShown(html: string): { number: string; requestId: string } | undefined {
  const number = html.match(/class="figure-value">(\d\d)</)?.[1];
  const requestId = html.match(/name="request" value="([0-9a-f-]{36})"/)?.[1];
  return number && requestId ? { number, requestId } : undefined;
}

/** Opens a server-sent event stream; `next(event)` resolves with the data of the next event of that name. */
export async function openEvents(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`stream refused: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const seen: { event: string; data: string }[] = [];
  async function next(event: string): Promise<unknown> {
    for (;;) {
      const i = seen.findIndex((e) => e.event === event);
      if (i >= 0) return JSON.parse(seen.splice(i, 1)[0]!.data);
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a "${event}" event`);
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
        const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
        seen.push({ event: name, data });
        end = buffer.indexOf('\n\n');
      }
    }
  }
  return { next, close: () => controller.abort() };
}
