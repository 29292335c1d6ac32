// A user's profile > Security keys: /:site/admin/users/:id/security-keys. Anyone in the Admin
// area sees the devices; only an admin key holder may remove them (POST), after ticking that
// they read the notice, or unlock two-factor sign-in after 100 failures in a row. The user is
// looked up within the admin's site only: another school's user is "not found", whatever the id.

import type { Context } from 'hono';
import { Hono } from 'hono';
import { can } from '../../../auth/access.ts';
import { listDevices } from '../../../auth/flows/manage-devices.ts';
import { removeDevicesByAdmin } from '../../../auth/flows/remove-devices.ts';
import { unlockSecondFactorsByAdmin } from '../../../auth/flows/unlock-second-factors.ts';
import { secondFactorsLocked } from '../../../auth/throttle/index.ts';
import type { ManagedUser } from '../../../directory/managed-users.ts';
import { sitePaths } from '../../../lib/urls.ts';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../form.ts';
import { requirePermission, requireRecentAuthentication } from '../../guards/index.ts';
import { AdminSecurityKeysPage } from '../../views/admin-security-keys.tsx';
import { render } from '../../views/render.ts';
import { statusOf } from './admin-context.ts';
import { profileUser } from './user-profile.tsx';

export const REMOVED_NOTICE = "Successfully removed the user's two-factor devices";
export const UNLOCKED_NOTICE = "The user's two-factor sign-in has been unlocked.";

const NOTICES: Record<string, string> = { removed: REMOVED_NOTICE, unlocked: UNLOCKED_NOTICE };

async function keysPage(c: Context<AppEnv>, user: ManagedUser, extra: { error?: string; notice?: string } = {}, status: 200 | 400 | 403 | 404 = 200) {
  const { signedIn, chrome } = c.var.here;
  const { db } = c.var.services;
  const [devices, locked] = await Promise.all([listDevices(db, user.accountId), secondFactorsLocked(db, user.accountId)]);
  const page = (
    <AdminSecurityKeysPage
      chrome={chrome}
      timeZone={c.var.site.timeZone}
      user={user}
      devices={devices}
      locked={locked}
      keyHolder={can(signedIn, 'admin_key_holder')}
      {...extra}
    />
  );
  return render(c, page, status);
}

/** The tab's address: a key holder's forms come back to it after confirming it's them. */
const keysTab = (c: Context<AppEnv>) => `${sitePaths(c.var.site.slug).adminUser(c.req.param('id') ?? '')}/security-keys`;

/** A key holder's action on a user of this site (another school's id: not found). */
async function asKeyHolder(c: Context<AppEnv>, act: (user: ManagedUser, here: string) => Promise<Response>): Promise<Response> {
  const user = await profileUser(c, c.req.param('id') ?? '');
  return user instanceof Response ? user : act(user, keysTab(c));
}

/** What removing or unlocking needs: the key-holder permission (refused and logged otherwise), and a recent sign-in or elevation. */
const keyHolderOnly = (why: string) => [requirePermission('admin_key_holder', why), requireRecentAuthentication(keysTab)] as const;

/** Who does it to whom, from where: what the key holder's flows record. */
function keyHolderAction(c: Context<AppEnv>, user: ManagedUser) {
  const { signedIn } = c.var.here;
  return {
    admin: { siteUserId: signedIn.siteUser.id, fullName: signedIn.siteUser.fullName },
    site: signedIn.site,
    target: { siteUserId: user.id, fullName: user.fullName, accountId: user.accountId },
    client: { ip: c.var.ip, userAgent: c.var.userAgent },
  };
}

export const adminUserSecurityKeyRoutes = new Hono<AppEnv>()
  .get('/:id/security-keys', async (c) => {
    const user = await profileUser(c, c.req.param('id'));
    if (user instanceof Response) return user;
    const notice = NOTICES[c.req.query('done') ?? ''];
    return keysPage(c, user, notice ? { notice } : {});
  })
  .post('/:id/security-keys', ...keyHolderOnly("Only an Admin key holder at this school can remove a user's two-factor devices."), (c) =>
    asKeyHolder(c, async (user, here) => {
      const form = await readForm(c);
      if (form instanceof Response) return form;
      if (form.confirm !== 'yes' && user.accountKind !== 'sso') {
        return keysPage(c, user, { error: 'Nothing was removed. Tick "I confirm that I have read and understand this notice" first.' }, 400);
      }
      const removal = await removeDevicesByAdmin(c.var.services, keyHolderAction(c, user));
      if (!removal.ok) return keysPage(c, user, { error: removal.message }, statusOf(removal));
      if (removal.value.removed === 0) return keysPage(c, user, { notice: `${user.fullName} has no two-factor devices to remove.` });
      return c.redirect(`${here}?done=removed`, 303);
    }),
  )
  .post('/:id/security-keys/unlock', ...keyHolderOnly("Only an Admin key holder at this school can unlock a user's two-factor sign-in."), (c) =>
    asKeyHolder(c, async (user, here) => {
      const unlocked = await unlockSecondFactorsByAdmin(c.var.services, keyHolderAction(c, user));
      if (!unlocked.ok) return keysPage(c, user, { error: unlocked.message }, statusOf(unlocked));
      if (!unlocked.value.unlocked) return keysPage(c, user, { notice: `${user.fullName}'s two-factor sign-in is not locked.` });
      return c.redirect(`${here}?done=unlocked`, 303);
    }),
  );
