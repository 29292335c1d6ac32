// An admin (or a DSL, at the security overview) in a basic session: the page needs a second
// factor; how to get one. Elevating comes back to the page asked for (`next`).
import type { SignedIn } from '../../auth/sessions.ts';
import type { Permission } from '../../directory/permissions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { type Chrome, Layout } from './layout.tsx';

/** What the page is called, by the permission it needs: a DSL meets it at the security overview, not the Admin area. */
const NEEDING_FULL_ACCESS: Partial<Record<Permission, { title: string; heading: string; holds: string }>> = {
  security_overview: { title: 'Security overview', heading: 'The security overview needs full access', holds: 'The security overview names people' },
};

export function AdminAccessPage({ chrome, signedIn, next, permission }: { chrome: Chrome; signedIn: SignedIn; next: string; permission: Permission }) {
  const page = NEEDING_FULL_ACCESS[permission] ?? { title: 'Admin', heading: 'Admin needs full access', holds: "The Admin area holds other people's details" };
  return (
    <Layout title={page.title} {...chrome}>
      <h1>{page.heading}</h1>
      <p>
        {page.holds}, so it needs a second factor as well as your password. You are signed in to {signedIn.site.name} with basic access.
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
