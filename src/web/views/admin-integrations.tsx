// Admin > Integrations: the school systems that sign staff in through Gatehouse (OpenID Connect
// clients). The list with the form to register one, a system's page (disable, enable, and links
// to rotate its secret or delete it, each confirmed on a page of its own), and the page that
// shows a secret, the one time it is shown.
import type { Integration } from '../../directory/integrations.ts';
import { type openIdProviderAddresses, sitePaths } from '../../lib/urls.ts';
import { AdminLayout } from './admin-layout.tsx';
import { ErrorSummary, TextField } from './admin-users.tsx';
import { formatDateTime } from './format.ts';
import { type Chrome, CsrfField } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

export const COPY_TEXT_SCRIPT = '/static/js/copy-text.js';

/** What was typed into the form to register a system, kept when it comes back with a message. */
export interface IntegrationFormValues {
  name?: string | undefined;
  redirect_uris?: string | undefined;
  post_logout_redirect_uris?: string | undefined;
  backchannel_logout_uri?: string | undefined;
}

/** By field; `form`: a message about none of them, shown above the form only. */
export type IntegrationFormErrors = Partial<Record<keyof IntegrationFormValues | 'form', string>>;

/** Where a school system finds Gatehouse: its issuer and discovery document. */
type ProviderAddresses = ReturnType<typeof openIdProviderAddresses>;

const paths = (chrome: Chrome) => sitePaths(chrome.signedIn!.site.slug);

function status(system: Integration) {
  return system.disabledAt ? 'Disabled' : 'Enabled';
}

function AddressList({ addresses, label }: { addresses: string[]; label: string }) {
  if (addresses.length === 0) return <span>None</span>;
  return (
    <ul class="addresses" aria-label={label}>
      {addresses.map((a) => (
        <li>
          <code>{a}</code>
        </li>
      ))}
    </ul>
  );
}

function ProviderDetails({ provider }: { provider: ProviderAddresses }) {
  return (
    <dl class="summary">
      <dt>Issuer</dt>
      <dd>
        <code>{provider.issuer}</code>
      </dd>
      <dt>Discovery</dt>
      <dd>
        <code>{provider.discovery}</code>
      </dd>
    </dl>
  );
}

/** The most a text box of the form keeps (the route cuts what is typed to it). */
export const TYPED_MAX = 20_000;

/** A text box of addresses, one a line (directory/integrations.ts linesOf). */
function AddressLines(p: {
  name: keyof IntegrationFormValues;
  label: string;
  hint: string;
  value: string | undefined;
  error: string | undefined;
  required?: boolean;
}) {
  return <TextField {...p} lines={3} maxlength={TYPED_MAX} />;
}

export function IntegrationsPage(p: {
  chrome: Chrome;
  systems: Integration[];
  provider: ProviderAddresses;
  timeZone: string;
  values?: IntegrationFormValues;
  errors?: IntegrationFormErrors;
  notice?: string | undefined;
}) {
  const values = p.values ?? {};
  const errors = p.errors ?? {};
  return (
    <AdminLayout chrome={p.chrome} current="integrations" title="Integrations" notice={p.notice}>
      <h2 id="systems-heading">Integrations</h2>
      <p>
        The school's other systems can sign staff in with their Gatehouse account instead of a password of their own, and learn whether they have basic or full
        access. Only members of {p.chrome.signedIn!.site.name} can sign in to a system registered here.
      </p>
      {p.systems.length === 0 ? (
        <p>No systems are registered yet.</p>
      ) : (
        <TableScroll labelledBy="systems-heading">
          <table aria-labelledby="systems-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Redirect URIs</th>
                <th scope="col">Status</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {p.systems.map((s) => (
                <tr>
                  <td>
                    <a href={paths(p.chrome).adminIntegration(s.clientId)}>{s.name}</a>
                  </td>
                  <td>
                    <code>{s.clientId}</code>
                  </td>
                  <td>
                    <AddressList addresses={s.redirectUris} label={`Redirect URIs of ${s.name}`} />
                  </td>
                  <td>{s.disabledAt ? <span class="badge">Disabled</span> : 'Enabled'}</td>
                  <td>{formatDateTime(s.createdAt, p.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <section class="card" aria-labelledby="register-heading">
        <h2 id="register-heading">Register a system</h2>
        <p>The system's supplier tells you its redirect URIs. You will see its client ID and secret once it is registered, to give to the supplier.</p>
        <ErrorSummary errors={errors} />
        <form method="post" action={paths(p.chrome).adminIntegrations}>
          <CsrfField token={p.chrome.csrfToken} />
          <TextField
            name="name"
            label="Name"
            value={values.name}
            error={errors.name}
            maxlength={100}
            required
            hint="What the school calls it, for example Records"
          />
          <AddressLines
            name="redirect_uris"
            label="Redirect URIs"
            hint="One per line: where the system receives people back after they sign in. Each starts with https:// (http:// only for localhost)."
            value={values.redirect_uris}
            error={errors.redirect_uris}
            required
          />
          <TextField
            name="backchannel_logout_uri"
            label="Back-channel logout URI (optional)"
            type="url"
            value={values.backchannel_logout_uri}
            error={errors.backchannel_logout_uri}
            maxlength={2000}
            hint="Where Gatehouse tells the system that a person has signed out, so that the system signs them out too."
          />
          <AddressLines
            name="post_logout_redirect_uris"
            label="Sign-out return addresses (optional)"
            hint="One per line: where the system may send people after they sign out of Gatehouse through it."
            value={values.post_logout_redirect_uris}
            error={errors.post_logout_redirect_uris}
          />
          <button type="submit" class="primary">
            Register the system
          </button>
        </form>
      </section>
      <section aria-labelledby="provider-heading">
        <h2 id="provider-heading">What a system needs to know</h2>
        <p>Besides its client ID and secret, the system's supplier needs Gatehouse's OpenID Connect addresses:</p>
        <ProviderDetails provider={p.provider} />
      </section>
    </AdminLayout>
  );
}

export function IntegrationPage(p: { chrome: Chrome; system: Integration; timeZone: string; notice?: string | undefined }) {
  const s = p.system;
  const here = paths(p.chrome).adminIntegration(s.clientId);
  return (
    <AdminLayout chrome={p.chrome} current="integrations" title={s.name} notice={p.notice}>
      <p>
        <a href={paths(p.chrome).adminIntegrations}>All integrations</a>
      </p>
      <h2>{s.name}</h2>
      <dl class="summary">
        <dt>Client ID</dt>
        <dd>
          <code>{s.clientId}</code>
        </dd>
        <dt>Status</dt>
        <dd>{status(s)}</dd>
        <dt>Redirect URIs</dt>
        <dd>
          <AddressList addresses={s.redirectUris} label="Redirect URIs" />
        </dd>
        <dt>Back-channel logout URI</dt>
        <dd>{s.backchannelLogoutUri ? <code>{s.backchannelLogoutUri}</code> : 'None'}</dd>
        <dt>Sign-out return addresses</dt>
        <dd>
          <AddressList addresses={s.postLogoutRedirectUris} label="Sign-out return addresses" />
        </dd>
        <dt>Registered</dt>
        <dd>{formatDateTime(s.createdAt, p.timeZone)}</dd>
        <dt>Secret last changed</dt>
        <dd>{formatDateTime(s.secretRotatedAt, p.timeZone)}</dd>
      </dl>
      <h3>Change it</h3>
      <p>
        {s.disabledAt
          ? 'While it is disabled, nobody can sign in to it through Gatehouse. Enabling it lets it sign people in again, with the secret it had.'
          : 'Disabling it stops it signing anyone in through Gatehouse at once; it keeps its client ID and secret, so it can be enabled again.'}
      </p>
      <form method="post" action={`${here}/${s.disabledAt ? 'enable' : 'disable'}`}>
        <CsrfField token={p.chrome.csrfToken} />
        <button type="submit">{s.disabledAt ? 'Enable this system' : 'Disable this system'}</button>
      </form>
      <p>
        <a href={`${here}/rotate-secret`} class="button">
          Rotate the secret
        </a>{' '}
        <a href={`${here}/delete`} class="button">
          Delete this system
        </a>
      </p>
    </AdminLayout>
  );
}

/** Asks before a change that cannot be undone: rotating a secret, deleting a system. */
export function ConfirmIntegrationChange(p: { chrome: Chrome; system: Integration; title: string; explanation: string; action: string; button: string }) {
  const here = paths(p.chrome).adminIntegration(p.system.clientId);
  return (
    <AdminLayout chrome={p.chrome} current="integrations" title={p.title}>
      <h2>{p.title}</h2>
      <p id="confirm-explanation">{p.explanation}</p>
      <form method="post" action={`${here}/${p.action}`}>
        <CsrfField token={p.chrome.csrfToken} />
        <button type="submit" class="danger-solid" aria-describedby="confirm-explanation">
          {p.button}
        </button>{' '}
        <a href={here}>Cancel</a>
      </form>
    </AdminLayout>
  );
}

function CopyableValue({ id, label, value, secret }: { id: string; label: string; value: string; secret?: boolean }) {
  return (
    <>
      <dt id={`${id}-label`}>{label}</dt>
      <dd>
        <code id={id} class={secret ? 'secret' : undefined}>
          {value}
        </code>{' '}
        {/* Shown by the script when the browser has a clipboard; without it, the text can be selected. */}
        <button type="button" data-copy={id} data-copy-status={`${id}-copied`} aria-label={`Copy the ${label.toLowerCase()}`} hidden>
          Copy
        </button>{' '}
        <span id={`${id}-copied`} role="status"></span>
      </dd>
    </>
  );
}

/** The secret, the one time it is shown: after registering the system, or rotating its secret. */
export function IntegrationSecretPage(p: {
  chrome: Chrome;
  name: string;
  clientId: string;
  clientSecret: string;
  provider: ProviderAddresses;
  rotated: boolean;
}) {
  const title = p.rotated ? `The new secret of ${p.name}` : `${p.name} is registered`;
  return (
    <AdminLayout chrome={p.chrome} current="integrations" title={title}>
      <h2>{title}</h2>
      <div class="message warning" role="status">
        {p.rotated ? 'The old secret no longer works. ' : ''}Give the client ID and secret to the system's supplier now:{' '}
        <strong>the secret is shown only this once.</strong> Gatehouse keeps it sealed and cannot show it again; if it is lost, rotate it.
      </div>
      <dl class="summary">
        <CopyableValue id="client-id" label="Client ID" value={p.clientId} />
        <CopyableValue id="client-secret" label="Client secret" value={p.clientSecret} secret />
      </dl>
      <ProviderDetails provider={p.provider} />
      <p>
        <a href={paths(p.chrome).adminIntegration(p.clientId)} class="button primary">
          I have saved the secret
        </a>
      </p>
      <script src={COPY_TEXT_SCRIPT} defer></script>
    </AdminLayout>
  );
}
