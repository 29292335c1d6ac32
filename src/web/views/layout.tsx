import type { Child } from 'hono/jsx';
import { accessLabel, groupHas } from '../../auth/access.ts';
import type { SignedIn } from '../../auth/sessions.ts';
import type { SupportContact } from '../../config.ts';
import type { SiteChoice } from '../../directory/sites.ts';
import { ASK_YOUR_KEY_HOLDER, waysToGetHelp } from '../../lib/support-contact.ts';
import { sitePaths } from '../../lib/urls.ts';
import { usePageContext } from './page-context.ts';

export interface Chrome {
  csrfToken: string;
  signedIn?: SignedIn | undefined;
  /** Sites the signed-in account may switch to (SSO accounts: more than one). */
  sites?: SiteChoice[];
  /** The site whose page this is, when nobody is signed in (sign-in pages). */
  siteName?: string;
  /** A basic session of an account with a device: "Elevate Your Access" shows, top right. */
  canElevate?: boolean;
  /** This page's address, for coming back to it after elevating. */
  path?: string | undefined;
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** The school's name, top left; for an SSO account it opens the list of their sites. */
function SchoolSwitcher({ signedIn, sites, csrfToken }: { signedIn: SignedIn; sites: SiteChoice[]; csrfToken: string }) {
  if (sites.length < 2) return <span class="school-name">{signedIn.site.name}</span>;
  return (
    <details class="school-switcher">
      <summary class="school-name">{signedIn.site.name}</summary>
      <form method="post" action={`/${signedIn.site.slug}/switch`} class="school-list">
        <CsrfField token={csrfToken} />
        <p id="switch-label">Switch school</p>
        <ul aria-labelledby="switch-label">
          {sites.map((s) => (
            <li>
              <button type="submit" name="site" value={s.slug} aria-current={s.slug === signedIn.site.slug ? 'true' : undefined}>
                {s.name}
                {s.kind === 'staffsafe' ? ' (StaffSafe)' : ''}
              </button>
            </li>
          ))}
        </ul>
      </form>
    </details>
  );
}

function Navigation({ signedIn, csrfToken }: { signedIn: SignedIn; csrfToken: string }) {
  const base = `/${signedIn.site.slug}`;
  const showAdmin = groupHas(signedIn, 'admin');
  // A DSL has the Admin area's Overview alone.
  const showOverview = !showAdmin && groupHas(signedIn, 'security_overview');
  return (
    <nav aria-label="Main">
      <ul>
        <li>
          <a href={`${base}/`}>Dashboard</a>
        </li>
        <li>
          <a href={`${base}/account`}>Account Settings</a>
        </li>
        {showAdmin && (
          <li>
            <a href={`${base}/admin`}>Admin</a>
          </li>
        )}
        {showOverview && (
          <li>
            <a href={`${base}/admin/overview`}>Security overview</a>
          </li>
        )}
        <li>
          <form method="post" action={`${base}/logout`} class="inline">
            <CsrfField token={csrfToken} />
            <button type="submit" class="link-button">
              Logout
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** How to get help, as the reference prints it on every page: the support contact, or the school's key holders. */
function SupportFooter({ support }: { support: SupportContact }) {
  const ways = waysToGetHelp(support).map((way) => (
    <li>
      {way.before}
      <a href={way.href}>{way.label}</a>
    </li>
  ));
  return (
    <footer class="site-footer" id="help">
      <h2>Need help?</h2>
      {ways.length ? <ul class="support">{ways}</ul> : <p>{ASK_YOUR_KEY_HOLDER}</p>}
    </footer>
  );
}

export function Layout(props: Chrome & { title: string; children?: Child }) {
  const { signedIn, title } = props;
  const place = signedIn?.site.name ?? props.siteName;
  const { support } = usePageContext();
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{[title, place, 'Gatehouse'].filter(Boolean).join(' · ')}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header>
          <div class="topbar">
            {signedIn ? (
              <>
                <SchoolSwitcher signedIn={signedIn} sites={props.sites ?? []} csrfToken={props.csrfToken} />
                <Navigation signedIn={signedIn} csrfToken={props.csrfToken} />
                <span class="access">
                  {accessLabel(signedIn.session.level)}
                  {props.canElevate && (
                    <a href={sitePaths(signedIn.site.slug).elevate(props.path)} class="elevate">
                      Elevate Your Access
                    </a>
                  )}
                </span>
              </>
            ) : (
              <span class="brand">Gatehouse</span>
            )}
          </div>
          {signedIn && <p class="responsibility">It is your responsibility to log out and protect the security of student information.</p>}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <SupportFooter support={support} />
      </body>
    </html>
  );
}
