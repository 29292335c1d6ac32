// The page for any request that needed the database while it could not be reached: 503 with
// Retry-After, the same words on every instance. A form sent then was not applied (each change
// is one transaction), so the page offers to send it again with what was typed, except what is
// secret: passwords, codes, tokens and security keys' answers are never written into a page.
import type { Context } from 'hono';
import { RETRY_AFTER_SECONDS } from '../../db/availability.ts';
import type { AppEnv } from '../env.ts';
import { CsrfField, Layout } from './layout.tsx';
import { render } from './render.ts';

export const UNAVAILABLE_TITLE = 'Gatehouse is briefly unavailable';
export const UNAVAILABLE_MESSAGE = 'Gatehouse is briefly unavailable, try again in a moment.';

/** Fields never put back into a page: what a person must type again. */
const SECRET_FIELD = /password|confirmation|code|token|secret|credential|recovery|otp|^_csrf$/i;

async function keptFields(c: Context<AppEnv>): Promise<Array<[string, string]>> {
  if (c.req.method !== 'POST') return [];
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    return [];
  }
  const kept: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(body)) {
    if (SECRET_FIELD.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') kept.push([name, v]);
  }
  return kept;
}

export async function unavailablePage(c: Context<AppEnv>) {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  const csrfToken = c.get('csrfToken') ?? '';
  const fields = csrfToken ? await keptFields(c) : [];
  const retry = c.req.method === 'POST' && csrfToken !== '';
  const here = new URL(c.req.url);
  return render(
    c,
    <Layout title={UNAVAILABLE_TITLE} csrfToken={csrfToken}>
      <h1>{UNAVAILABLE_TITLE}</h1>
      <p>{UNAVAILABLE_MESSAGE}</p>
      {retry ? (
        <form method="post" action={c.req.path}>
          <CsrfField token={csrfToken} />
          {fields.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <p>Nothing you sent was saved. Try again sends what you typed once more; you will be asked again for any password or code.</p>
          <button type="submit">Try again</button>
        </form>
      ) : (
        <p>
          <a href={here.pathname + here.search}>Try again</a>
        </p>
      )}
    </Layout>,
    503,
  );
}
