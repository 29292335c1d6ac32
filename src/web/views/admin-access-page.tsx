// An admin in a basic session at the Admin area: it needs a second factor; how to get one.
import type { SignedIn } from '../../auth/sessions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { type Chrome, Layout } from './layout.tsx';

export function AdminAccessPage({ chrome, signedIn }: { chrome: Chrome; signedIn: SignedIn }) {
  return (
    <Layout title="Admin" {...chrome}>
      <h1>Admin needs full access</h1>
      <p>
        The Admin area holds other people's details, so it needs a second factor as well as your password. You are signed in to {signedIn.site.name} with basic
        access.
      </p>
      {chrome.canElevate ? (
        <p>
          <a href={sitePaths(signedIn.site.slug).elevate(sitePaths(signedIn.site.slug).admin)} class="button primary">
            Elevate Your Access
          </a>
        </p>
      ) : (
        <p>
          <a href={sitePaths(signedIn.site.slug).securityKeys} class="button primary">
            Add a two-factor device
          </a>
        </p>
      )}
    </Layout>
  );
}
