// The pages of a school system's sign-in through Gatehouse (src/oidc/): not a member of the
// system's school, full access needing a second factor, and the provider's own pages (its
// errors, "Sign out of Gatehouse?", signed out), all in Gatehouse's look.
import type { ErrorOut, ProviderPages } from '../../oidc/provider.ts';
import { type Chrome, CsrfField, Layout } from './layout.tsx';

function GiveUp({ action, csrfToken, reason, label }: { action: string; csrfToken: string; reason: string; label: string }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="reason" value={reason} />
      <button type="submit">{label}</button>
    </form>
  );
}

/** On the way back to the system: the browser moves on at once (a refresh of no delay), or the person follows the link. */
export function ContinueToSystemPage(p: { resume: string }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content={`0;url=${p.resume}`} />
        <title>Signing you in · Gatehouse</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <main>
          <h1>Signing you in</h1>
          <p>
            <a href={p.resume}>Continue</a>
          </p>
        </main>
      </body>
    </html>
  );
}

export function NotAMemberPage(p: { chrome: Chrome; systemName: string; schoolName: string; email: string; signInHere: string; abandon: string }) {
  return (
    <Layout title="Not a member of this school" {...p.chrome}>
      <h1>You cannot sign in to {p.systemName} with this account</h1>
      <p>
        {p.systemName} belongs to {p.schoolName}. You are signed in as {p.email}, who is not a member of {p.schoolName}.
      </p>
      <p>
        <a href={p.signInHere}>Sign in at {p.schoolName} with another account</a>
      </p>
      <GiveUp action={p.abandon} csrfToken={p.chrome.csrfToken} reason="access_denied" label={`Return to ${p.systemName}`} />
    </Layout>
  );
}

export function AddDevicePage(p: {
  chrome: Chrome;
  systemName: string;
  because: 'school_requires' | 'full_access_asked';
  securityKeys: string;
  retry: string;
  abandon: string;
}) {
  return (
    <Layout title="A second factor is needed" {...p.chrome}>
      <h1>{p.systemName} needs full access</h1>
      <p>
        {p.because === 'school_requires'
          ? 'Your school requires two-factor authentication for all staff, and your account has no second factor yet.'
          : `${p.systemName} asked for full access, which needs a second factor, and your account has none yet.`}
      </p>
      <p>
        Add a security key or an authenticator app in <a href={p.securityKeys}>Account Settings &gt; Security keys</a>, then come back and{' '}
        <a href={p.retry}>continue signing in to {p.systemName}</a>.
      </p>
      <GiveUp action={p.abandon} csrfToken={p.chrome.csrfToken} reason="unmet_authentication_requirements" label={`Give up and return to ${p.systemName}`} />
    </Layout>
  );
}

const page = (element: unknown) => `<!doctype html>${String(element)}`;

/** The provider's own pages: it has no Gatehouse session or CSRF token to give them. */
export const providerPages: ProviderPages = {
  error(out: ErrorOut) {
    // Never the provider's description of what was wrong with a request unless it is one a person can act on.
    const title = out.error === 'invalid_redirect_uri' || out.error === 'invalid_client' ? 'This system is not registered' : 'Sign-in could not start';
    return page(
      <Layout title={title} csrfToken="">
        <h1>{title}</h1>
        <p>The system that sent you here asked Gatehouse for something it cannot do. Nothing was signed in. Tell the school's admin, quoting:</p>
        <p>
          <code>
            {out.error}
            {out.error_description ? `: ${out.error_description}` : ''}
          </code>
        </p>
      </Layout>,
    );
  },
  logout({ action, xsrf, clientName }) {
    return page(
      <Layout title="Sign out" csrfToken="">
        <h1>Sign out of Gatehouse?</h1>
        <p>
          {clientName ? `${clientName} asked to sign you out.` : 'A school system asked to sign you out.'} This signs you out of Gatehouse and of every school
          system you signed in to with it.
        </p>
        <form method="post" action={action}>
          <input type="hidden" name="xsrf" value={xsrf} />
          <button type="submit" name="logout" value="yes" class="primary">
            Sign out
          </button>
        </form>
      </Layout>,
    );
  },
  loggedOut(clientName) {
    return page(
      <Layout title="Signed out" csrfToken="">
        <h1>You are signed out</h1>
        <p>{clientName ? `You have signed out of Gatehouse and ${clientName}.` : 'You have signed out of Gatehouse.'} You can close this window.</p>
      </Layout>,
    );
  },
};
