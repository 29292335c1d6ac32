import type { Context } from 'hono';
import { html } from 'hono/html';
import { jsx } from 'hono/jsx';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { SupportContact } from '../../config.ts';
import { supportContactFor } from '../../lib/support-contact.ts';
import type { AppEnv } from '../env.ts';
import { PageContextProvider } from './page-context.ts';

/** Sends a page: the doctype, then the JSX, with no caching (pages are per-person). */
export function render(c: Context<AppEnv>, page: JSX.Element, status: ContentfulStatusCode = 200): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  // jsx() rather than calling the Provider: only an element makes the value visible to the page's components.
  const withContext = jsx(PageContextProvider, { value: { support: supportContactOf(c) } }, page);
  return c.html(html`<!doctype html>${withContext}`, status);
}

/** The school's own contact when it has one, else the service's (SUPPORT_*), else the one the page was given. */
function supportContactOf(c: Context<AppEnv>): SupportContact {
  return supportContactFor(c.var.site?.settings.support, c.var.services?.config.support ?? c.var.support ?? {});
}
