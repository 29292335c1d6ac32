import { accessLabel, effectivePermissions, hasHigherAccess } from '../../auth/access.ts';
import type { SignedIn } from '../../auth/sessions.ts';
import { isPermission, PERMISSIONS } from '../../directory/permissions.ts';
import { showCalendarDate } from '../../lib/calendar-date.ts';
import { localDate } from '../../lib/end-of-local-day.ts';
import { sitePaths } from '../../lib/urls.ts';
import { type Chrome, Layout } from './layout.tsx';

/** Their last two weeks here: the dashboard says when their access ends. */
const ACCESS_NOTICE_DAYS = 14;

function accessEndsSoon(endsOn: string | null, timeZone: string, now: Date): boolean {
  if (!endsOn) return false;
  const daysLeft = (Date.parse(`${endsOn}T00:00:00Z`) - Date.parse(`${localDate(now, timeZone)}T00:00:00Z`)) / 86_400_000;
  return daysLeft >= 0 && daysLeft < ACCESS_NOTICE_DAYS;
}

export function DashboardPage({ chrome, signedIn, now: at = new Date() }: { chrome: Chrome; signedIn: SignedIn; now?: Date }) {
  const now = effectivePermissions(signedIn.group.permissions, signedIn.session.level);
  const endsOn = signedIn.siteUser.accessEndsOn;
  const withFullAccess = signedIn.group.permissions.filter(isPermission).filter((p) => !now.has(p));
  return (
    <Layout title="Dashboard" {...chrome}>
      <h1>Dashboard</h1>
      {accessEndsSoon(endsOn, signedIn.site.timeZone, at) && (
        <div class="message notice" role="status">
          Your access to {signedIn.site.name} ends on {showCalendarDate(endsOn)}, at the end of that day. If that is wrong, ask an administrator at your school.
        </div>
      )}
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
