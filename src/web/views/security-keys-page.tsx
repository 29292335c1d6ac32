// Account Settings > Security keys: the person's own second factors.
import type { Child } from 'hono/jsx';
import { TOTP_QR_PIXELS } from '../../auth/methods/totp/index.ts';
import { deviceTypeOf, type ListedDevice, type SettingsSection } from '../../auth/second-factors/index.ts';
import { sitePaths } from '../../lib/urls.ts';
import { AccountTabs } from './account-tabs.tsx';
import { formatDate, formatDateTime } from './format.ts';
import { type Chrome, CsrfField, Layout } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

/** A rename the person just tried that was refused: shown at that device, with what they typed. */
export interface RenameRefused {
  deviceId: string;
  message: string;
  typed: string;
}

function DeviceTable({
  devices,
  base,
  csrfToken,
  caption,
  renameRefused,
}: {
  devices: ListedDevice[];
  base: string;
  csrfToken: string;
  caption: string;
  renameRefused?: RenameRefused | undefined;
}) {
  if (devices.length === 0) return <p>None yet.</p>;
  return (
    <TableScroll label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Registered</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => {
            const refused = renameRefused?.deviceId === d.id ? renameRefused : undefined;
            return (
              <tr>
                <td>
                  {d.name} {d.verifiedAt === null && <span class="badge">Unverified</span>}
                </td>
                <td>{formatDate(d.createdAt)}</td>
                <td>{d.lastUsedAt ? formatDateTime(d.lastUsedAt) : 'N/A'}</td>
                <td class="actions">
                  <form method="post" action={`${base}/${d.id}/rename`} class="inline">
                    <CsrfField token={csrfToken} />
                    <label class="visually-hidden" for={`rename-${d.id}`}>
                      New name for {d.name}
                    </label>
                    {refused && (
                      <p class="field-error" id={`rename-${d.id}-error`}>
                        {refused.message}
                      </p>
                    )}
                    <input
                      id={`rename-${d.id}`}
                      name="name"
                      type="text"
                      maxlength={60}
                      required
                      value={refused ? refused.typed : d.name}
                      class="short"
                      aria-invalid={refused ? 'true' : undefined}
                      aria-describedby={refused ? `rename-${d.id}-error` : undefined}
                    />
                    <button type="submit" aria-label={`Rename ${d.name}`}>
                      Rename
                    </button>
                  </form>
                  {deviceTypeOf(d.kind).removable && (
                    <form method="post" action={`${base}/${d.id}/remove`} class="inline">
                      <CsrfField token={csrfToken} />
                      <button type="submit" class="danger" aria-label={`Remove ${d.name}`}>
                        Remove
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** One method's section: its devices and a link to add one, or its one button (new recovery codes). */
function Section({
  section,
  base,
  csrfToken,
  renameRefused,
}: {
  section: SettingsSection;
  base: string;
  csrfToken: string;
  renameRefused?: RenameRefused | undefined;
}) {
  return (
    <section aria-labelledby={section.id}>
      <h2 id={section.id}>{section.heading}</h2>
      <p>{section.text}</p>
      {section.devices && (
        <DeviceTable devices={section.devices.rows} base={base} csrfToken={csrfToken} caption={section.devices.caption} renameRefused={renameRefused} />
      )}
      {section.add && (
        <p>
          <a href={`${base}/${section.add.path}`} class="button">
            {section.add.label}
          </a>
        </p>
      )}
      {section.action && (
        <form method="post" action={`${base}/${section.action.path}`}>
          <CsrfField token={csrfToken} />
          <button type="submit">{section.action.label}</button>
        </form>
      )}
    </section>
  );
}

export function SecurityKeysPage(p: {
  chrome: Chrome;
  siteSlug: string;
  sections: SettingsSection[];
  notice?: string | undefined;
  renameRefused?: RenameRefused | undefined;
}) {
  const base = sitePaths(p.siteSlug).securityKeys;
  return (
    <Layout title="Security keys" {...p.chrome}>
      <h1>Account Settings</h1>
      <AccountTabs base={`/${p.siteSlug}`} current="security-keys" />
      {p.notice && (
        <div class="message notice" role="status">
          {p.notice}
        </div>
      )}
      {p.renameRefused && (
        <div class="message error" role="alert">
          <a href={`#rename-${p.renameRefused.deviceId}`}>The device was not renamed: {p.renameRefused.message}</a>
        </div>
      )}
      <p>
        Gatehouse encourages everyone to use two-factor authentication: something extra on top of your email address and password when you log in, to prove that
        you are the owner of the account. Without it you have basic access only.
      </p>
      {p.sections.map((section) => (
        <Section section={section} base={base} csrfToken={p.chrome.csrfToken} renameRefused={p.renameRefused} />
      ))}
    </Layout>
  );
}

export function AddAuthenticatorPage(p: {
  chrome: Chrome;
  action: string;
  qrDataUrl: string;
  typedSecret: string;
  name?: string;
  error?: string | undefined;
  nameError?: string | undefined;
}) {
  return (
    <Layout title="Add new device" {...p.chrome}>
      <div class="card">
        <h1>Add new device</h1>
        <p>Scan the image below with the authenticator app on your mobile phone or tablet.</p>
        <img src={p.qrDataUrl} alt="QR code to scan with your authenticator app" width={TOTP_QR_PIXELS} height={TOTP_QR_PIXELS} class="qr" />
        <p>
          Cannot scan it? Type this key into the app instead: <code class="secret">{p.typedSecret}</code>
        </p>
        {p.error && (
          <div class="message error" role="alert">
            <p>{p.error}</p>
            <p>
              Check the code is the one showing now. If it still fails, set the date and time on your phone to update automatically, then try again: you do not
              need to scan again.
            </p>
          </div>
        )}
        <form method="post" action={p.action} novalidate>
          <CsrfField token={p.chrome.csrfToken} />
          <label for="device-name">Name</label>
          <p class="hint" id="name-hint">
            Choose a name for the device, for example "My phone".
          </p>
          {p.nameError && (
            <p class="field-error" role="alert">
              {p.nameError}
            </p>
          )}
          <input id="device-name" name="name" type="text" maxlength={60} required aria-describedby="name-hint" value={p.name ?? ''} />
          <label for="code">Code</label>
          <p class="hint" id="code-hint">
            Code displayed on your device.
          </p>
          <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength={12} required aria-describedby="code-hint" />
          <button type="submit" class="primary">
            Save this device
          </button>
        </form>
        <p>
          <a href={p.action.replace(/\/authenticator\/new$/, '')}>Cancel</a>
        </p>
      </div>
    </Layout>
  );
}

export function AddSecurityKeyPage(p: { chrome: Chrome; action: string; optionsJson: string; name?: string; error?: string | undefined; children?: Child }) {
  return (
    <Layout title="Register a new security key" {...p.chrome}>
      <div class="card">
        <h1>Register a new security key</h1>
        <p>Choose a name, press Start Registration, then insert or touch your security key when your browser asks.</p>
        {p.error && (
          <div class="message error" role="alert">
            {p.error}
          </div>
        )}
        <form method="post" action={p.action} data-webauthn="register" data-webauthn-options={p.optionsJson} novalidate>
          <CsrfField token={p.chrome.csrfToken} />
          <input type="hidden" name="credential" value="" />
          <label for="device-name">Device Name</label>
          <input id="device-name" name="name" type="text" maxlength={60} required value={p.name ?? ''} />
          <p class="message error" data-webauthn-message role="alert" hidden></p>
          <button type="submit" class="primary">
            Start Registration
          </button>
        </form>
        <p>
          <a href={p.action.replace(/\/key\/new$/, '')}>Cancel</a>
        </p>
        <script src="/static/js/webauthn.js" defer></script>
      </div>
    </Layout>
  );
}
