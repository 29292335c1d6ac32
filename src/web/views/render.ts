import type { Context } from 'hono';
import { html } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Sends a page: the doctype, then the JSX, with no caching (pages are per-person). */
export function render(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.html(html`<!doctype html>${page}`, status);
}
