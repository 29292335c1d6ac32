import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sitePaths } from '../../lib/urls.ts';
import { chrome } from '../chrome.ts';
import type { AppEnv } from '../env.ts';
import { type Chrome, Layout } from './layout.tsx';
import { render } from './render.ts';

/**
 * The chrome of an error page: a signed-in person keeps their navigation (and the school
 * switcher), so a refusal is never a dead end; anyone else gets the plain header.
 */
function errorChrome(c: Context<AppEnv>): Chrome {
  const here = c.get('here') as AppEnv['Variables']['here'] | undefined;
  if (here) return here.chrome;
  const signedIn = c.get('signedIn');
  if (signedIn) return chrome(c, signedIn, signedIn.account.hasDevice);
  return { csrfToken: c.get('csrfToken') ?? '', siteName: c.get('site')?.name };
}

/** Where "back" goes: the person's dashboard, else this school's sign-in page, else the start. */
function wayBack(c: Context<AppEnv>, pageChrome: Chrome): { href: string; text: string } {
  if (pageChrome.signedIn) return { href: sitePaths(pageChrome.signedIn.site.slug).home, text: 'Back to your dashboard' };
  const site = c.get('site');
  if (site) return { href: sitePaths(site.slug).login, text: 'Back to the sign-in page' };
  return { href: '/', text: 'Back to the start page' };
}

/** Every refusal is a page a person can read and act on, with a real status code and a way back. */
export function errorPage(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  const pageChrome = errorChrome(c);
  const back = wayBack(c, pageChrome);
  return render(
    c,
    <Layout title={title} {...pageChrome}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={back.href}>{back.text}</a>
      </p>
    </Layout>,
    status,
  );
}
