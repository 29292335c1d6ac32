import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../env.ts';
import { Layout } from './layout.tsx';
import { render } from './render.ts';

/** Every refusal is a page a person can read and act on, with a real status code. */
export function errorPage(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return render(
    c,
    <Layout title={title} csrfToken={c.get('csrfToken') ?? ''}>
      <h1>{title}</h1>
      <p>{message}</p>
    </Layout>,
    status,
  );
}
