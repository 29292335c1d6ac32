import type { SignedIn } from '../../auth/sessions.ts';
import type { Site } from '../../directory/sites.ts';
import { type Chrome, CsrfField, Layout } from './layout.tsx';

/** Signed in at one school, visiting another of the account's schools: switching is a choice. */
export function SwitchPrompt({ chrome, signedIn, target }: { chrome: Chrome; signedIn: SignedIn; target: Site }) {
  return (
    <Layout title="Switch school" {...chrome}>
      <h1>Switch school?</h1>
      <p>
        You are signed in at {signedIn.site.name}. You also have access to {target.name}.
      </p>
      <form method="post" action={`/${signedIn.site.slug}/switch`}>
        <CsrfField token={chrome.csrfToken} />
        <button type="submit" name="site" value={target.slug} class="primary">Switch to {target.name}</button>
      </form>
      <p><a href={`/${signedIn.site.slug}/`}>Stay at {signedIn.site.name}</a></p>
    </Layout>
  );
}

export function LandingPage({ csrfToken }: { csrfToken: string }) {
  return (
    <Layout title="Sign in" csrfToken={csrfToken}>
      <h1>Gatehouse</h1>
      <p>Each school has its own sign-in address, such as <code>/your-school/login</code>. Ask your school's Gatehouse administrator for yours.</p>
    </Layout>
  );
}

export function AdminAccessPage({ chrome, signedIn }: { chrome: Chrome; signedIn: SignedIn }) {
  return (
    <Layout title="Admin" {...chrome}>
      <h1>Admin needs full access</h1>
      <p>
        The Admin area holds other people's details, so it needs a second factor as well as your password. You are signed in
        to {signedIn.site.name} with basic access.
      </p>
      {chrome.canElevate ? (
        <p><a href={`/${signedIn.site.slug}/elevate?next=${encodeURIComponent(`/${signedIn.site.slug}/admin`)}`} class="button primary">Elevate Your Access</a></p>
      ) : (
        <p><a href={`/${signedIn.site.slug}/account/security-keys`} class="button primary">Add a two-factor device</a></p>
      )}
    </Layout>
  );
}
