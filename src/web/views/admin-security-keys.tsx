// A user's profile > Security keys: their devices, and (for an admin key holder, an Identity
// account) removing them all, after ticking that the notice was read. The reference's words.
import { type DeviceKind, deviceTypeOf } from '../../auth/second-factors/index.ts';
import type { ManagedUser } from '../../directory/managed-users.ts';
import { AdminUserProfileLayout, profileBase } from './admin-users-profile.tsx';
import { formatDateTime } from './format.ts';
import { type Chrome, CsrfField } from './layout.tsx';
import { usePageContext } from './page-context.ts';
import { TableScroll } from './table-scroll.tsx';

export interface AdminDeviceRow {
  kind: DeviceKind;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const CONFIRM_LABEL = 'I confirm that I have read and understand this notice';

function DeviceTable({ devices, timeZone, labelledBy, none }: { devices: AdminDeviceRow[]; timeZone: string; labelledBy: string; none: string }) {
  if (devices.length === 0) return <p>{none}</p>;
  return (
    <TableScroll labelledBy={labelledBy}>
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Date Registered</th>
            <th scope="col">Last Used</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr>
              <td>{d.name}</td>
              <td>{deviceTypeOf(d.kind).names.adminType}</td>
              <td>{formatDateTime(d.createdAt, timeZone)}</td>
              <td>{formatDateTime(d.lastUsedAt, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The devices the person added, and each kind listed apart (managed tokens), its own heading's id first. */
function byListing(devices: AdminDeviceRow[]) {
  const apart = new Map<string, { heading: string; id: string; rows: AdminDeviceRow[] }>();
  const together: AdminDeviceRow[] = [];
  for (const d of devices) {
    const listed = deviceTypeOf(d.kind).listedApart;
    if (!listed) together.push(d);
    else apart.set(listed.id, { heading: listed.heading, id: `admin-${listed.id}`, rows: [...(apart.get(listed.id)?.rows ?? []), d] });
  }
  return { together, apart: [...apart.values()] };
}

/** Why a school's admins cannot remove an SSO account's devices, and who can. */
function SsoExplanation({ user }: { user: ManagedUser }) {
  // The help contact every page's footer shows: how to reach support, not a command to run.
  const { support } = usePageContext();
  return (
    <div class="message warning">
      <p>
        {user.fullName} signs in with a Single Sign-On account, which they use at more than one school or staff-vetting site. A school's admins cannot remove
        its two-factor devices: Gatehouse platform support removes them for every site at once.
      </p>
      <p>
        If {user.fullName} has lost their devices, they (or you) should contact your Gatehouse support team, from the school's email address
        {support.email || support.phone ? ':' : '.'}
        {support.email && (
          <>
            {' '}
            <a href={`mailto:${support.email}`}>{support.email}</a>
          </>
        )}
        {support.email && support.phone && ' or'}
        {support.phone && <> {support.phone}</>}
        {support.email || support.phone ? '.' : ''} The removal is recorded in this school's audit.
      </p>
    </div>
  );
}

/** Locked after 100 failed second factors in a row: who can unlock it. */
function LockedNotice({ user, keyHolder, chrome }: { user: ManagedUser; keyHolder: boolean; chrome: Chrome }) {
  const sso = user.accountKind === 'sso';
  return (
    <div class="message warning">
      <p>
        {user.fullName}'s two-factor sign-in is locked: their second factors were refused 100 times in a row, each time after a right password. Setting a new
        password with the emailed link unlocks it, and tells them that someone may know it.
      </p>
      {sso ? (
        <p>
          This is a Single Sign-On account: platform support unlocks it (<code>gatehouse support unlock-2fa {user.email}</code>).
        </p>
      ) : keyHolder ? (
        <form method="post" action={`${profileBase(chrome, user.id)}/security-keys/unlock`}>
          <CsrfField token={chrome.csrfToken} />
          <button type="submit">Unlock two-factor sign-in</button>
        </form>
      ) : (
        <p>Only an Admin key holder at this school can unlock it.</p>
      )}
    </div>
  );
}

export function AdminSecurityKeysPage(p: {
  chrome: Chrome;
  timeZone: string;
  user: ManagedUser;
  devices: AdminDeviceRow[];
  /** An admin key holder at this site: the removal form shows. */
  keyHolder: boolean;
  /** Two-factor sign-in is locked after 100 failures in a row. */
  locked: boolean;
  error?: string | undefined;
  notice?: string | undefined;
}) {
  const { user } = p;
  const removable = p.devices.filter((d) => deviceTypeOf(d.kind).removable).length;
  const { together, apart } = byListing(p.devices);
  const sso = user.accountKind === 'sso';
  return (
    <AdminUserProfileLayout chrome={p.chrome} user={user} current="security-keys" notice={p.notice}>
      <h2 id="devices-heading">Security keys</h2>
      {sso ? (
        <SsoExplanation user={user} />
      ) : (
        <p id="removal-notice">
          In the case that {user.fullName} loses or no longer has access to all of their registered two-factor authentication devices listed below, you can
          remove them, enabling them to register new devices when they next log in. In the time between removing the devices and registering new ones, the user
          account will not be able to access areas of the system restricted to two-factor users only. Please note, managed tokens will not be removed.
        </p>
      )}
      {p.error && (
        <div class="message error" role="alert">
          {p.error}
        </div>
      )}
      {p.locked && <LockedNotice user={user} keyHolder={p.keyHolder} chrome={p.chrome} />}
      <DeviceTable
        devices={together}
        timeZone={p.timeZone}
        labelledBy="devices-heading"
        none={apart.length > 0 ? 'No other two-factor devices are registered.' : 'No two-factor devices are registered.'}
      />
      {!sso && removable > 0 && !p.keyHolder && <p>Only an Admin key holder at this school can remove these devices.</p>}
      {!sso && removable > 0 && p.keyHolder && (
        <form method="post" action={`${profileBase(p.chrome, user.id)}/security-keys`}>
          <CsrfField token={p.chrome.csrfToken} />
          {/* `required`: the browser does nothing until it is ticked; the server checks it again. */}
          <label>
            <input type="checkbox" name="confirm" value="yes" required aria-describedby="removal-notice" /> {CONFIRM_LABEL}
          </label>
          <p>
            <button type="submit" class="danger-solid">
              Remove this user's 2FA devices
            </button>
          </p>
        </form>
      )}
      {apart.map((group) => (
        <>
          <h3 id={group.id}>{group.heading}</h3>
          <DeviceTable devices={group.rows} timeZone={p.timeZone} labelledBy={group.id} none="" />
        </>
      ))}
    </AdminUserProfileLayout>
  );
}
