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
        <button type="submit" name="site" value={target.slug} class="primary">
          Switch to {target.name}
        </button>
      </form>
      <p>
        <a href={`/${signedIn.site.slug}/`}>Stay at {signedIn.site.name}</a>
      </p>
    </Layout>
  );
}
