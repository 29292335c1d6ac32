import { accessLabel, effectivePermissions, hasHigherAccess } from '../../auth/access.ts';
import type { SignedIn } from '../../auth/sessions.ts';
import { isPermission, PERMISSIONS } from '../../directory/permissions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { type Chrome, Layout } from './layout.tsx';

export function DashboardPage({ chrome, signedIn }: { chrome: Chrome; signedIn: SignedIn }) {
  const now = effectivePermissions(signedIn.group.permissions, signedIn.session.level);
  const withFullAccess = signedIn.group.permissions.filter(isPermission).filter((p) => !now.has(p));
  return (
    <Layout title="Dashboard" {...chrome}>
      <h1>Dashboard</h1>
      {signedIn.session.level === 'basic' && hasHigherAccess(signedIn) && (
        <div class="message warning" role="status">
          {chrome.canElevate ? (
            <>
              You have basic access. <a href={sitePaths(signedIn.site.slug).elevate()}>Elevate Your Access</a> with your second factor to use your group's full
              permissions.
            </>
          ) : (
            <>
              You have basic access only until the remaining steps are complete: your group's higher access needs a second factor (an authenticator app or a
              security key) as well as your password. <a href={sitePaths(signedIn.site.slug).securityKeys}>Add a two-factor device</a>
            </>
          )}
        </div>
      )}
      <dl class="summary">
        <dt>Signed in as</dt>
        <dd>
          {signedIn.siteUser.fullName} ({signedIn.siteUser.email})
        </dd>
        <dt>School</dt>
        <dd>{signedIn.site.name}</dd>
        <dt>Account</dt>
        <dd>{signedIn.account.kind === 'sso' ? 'Single Sign-On' : 'Identity'}</dd>
        <dt>Group</dt>
        <dd>{signedIn.group.name}</dd>
        <dt>Access</dt>
        <dd data-testid="access-level">{accessLabel(signedIn.session.level)}</dd>
      </dl>
      <h2>What you can do now</h2>
      <ul>
        {[...now].map((p) => (
          <li>{PERMISSIONS[p]}</li>
        ))}
      </ul>
      {withFullAccess.length > 0 && (
        <>
          <h2>With full access</h2>
          <ul>
            {withFullAccess.map((p) => (
              <li>{PERMISSIONS[p]}</li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
