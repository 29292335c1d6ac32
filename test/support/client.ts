// A browser-shaped HTTP client for integration tests: keeps cookies, reads each page's CSRF
// token, posts forms, and does not follow redirects (tests look at them).
export interface PageResponse {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

export class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36' },
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit = {}): Promise<PageResponse> {
    const send = () =>
      fetch(new URL(path, this.base), {
        ...init,
        redirect: 'manual',
        headers: { ...this.headers, cookie: this.cookieHeader(), ...(init.headers as Record<string, string> | undefined) },
      });
    // A pooled keep-alive connection the server has just closed fails once: a GET is safe to send again.
    const res = await send().catch((err: unknown) => {
      if ((init.method ?? 'GET') === 'GET') return send();
      throw err;
    });
    this.remember(res);
    const html = await res.text();
    const token = html.match(/name="_csrf" value="([^"]+)"/);
    if (token) this.csrf = token[1]!;
    return { status: res.status, headers: res.headers, html, location: res.headers.get('location') };
  }

  get(path: string) {
    return this.request(path);
  }

  /** Posts a form with this client's CSRF token (fetch a page first). */
  post(path: string, fields: Record<string, string>, extraHeaders: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders },
    });
  }

  async signIn(site: string, email: string, password: string, provider: 'identity' | 'sso' = 'identity') {
    await this.get(`/${site}/login`);
    return this.post(`/${site}/login`, { email, password, provider });
  }

  sessionCookie(): string | undefined {
    return this.cookies.get('gatehouse_session') ?? this.cookies.get('__Host-gatehouse_session');
  }
}

/**
 * Where a page sends the browser on: its redirect, or the refresh of no delay of the page that
 * hands the person back to the system (routes/oidc-interaction.tsx: not a redirect, for CSP).
 */
export function movesOnTo(page: PageResponse): string | undefined {
  if (page.location) return page.location;
  const refresh = page.html.match(/<meta http-equiv="refresh" content="0;url=([^"]+)"/);
  return refresh ? refresh[1]!.replace(/&amp;/g, '&') : undefined;
}

/** The visible text of an HTML page, for asserting on what a person reads. */
export function text(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The visible text of the region a heading names (a `<section aria-labelledby>` pointing at an
 * element with this text), as a screen reader's landmark list would find it; undefined when none.
 */
export function sectionText(html: string, heading: string): string | undefined {
  for (const m of html.matchAll(/<section[^>]* aria-labelledby="([^"]+)"[^>]*>([\s\S]*?)<\/section>/g)) {
    const named = html.match(new RegExp(`<(\\w+)[^>]* id="${m[1]}"[^>]*>([\\s\\S]*?)</\\1>`));
    if (named && text(named[2]!) === heading) return text(m[2]!);
  }
  return undefined;
}
