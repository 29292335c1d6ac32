// An admin (or a DSL, at the security overview) in a basic session: the page needs a second
// factor; how to get one. Elevating comes back to the page asked for (`next`).
import type { SignedIn } from '../../auth/sessions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { type Chrome, Layout } from './layout.tsx';

export function AdminAccessPage({ chrome, signedIn, next }: { chrome: Chrome; signedIn: SignedIn; next: string }) {
  return (
    <Layout title="Admin" {...chrome}>
      <h1>Admin needs full access</h1>
      <p>
        The Admin area holds other people's details, so it needs a second factor as well as your password. You are signed in to {signedIn.site.name} with basic
        access.
      </p>
      {chrome.canElevate ? (
        <p>
          <a href={sitePaths(signedIn.site.slug).elevate(next)} class="button primary">
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
