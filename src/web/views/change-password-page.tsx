// Account Settings > Change password: the current password, then the new one with the reset
// page's own fields (its rules, its strength meter), so that both pages say the same.
import type { PolicyContext, PolicyFailure } from '../../auth/methods/password/policy.ts';
import { AccountTabs } from './account-tabs.tsx';
import { type Chrome, CsrfField, Layout } from './layout.tsx';
import { NewPasswordFields } from './password-fields.tsx';

export const CURRENT_PASSWORD_FIELD = 'current';

export function ChangePasswordPage(p: {
  chrome: Chrome;
  base: string;
  action: string;
  context: PolicyContext;
  /** The current password was wrong, or too many were: one message, beside it. */
  currentError?: string | undefined;
  problems?: PolicyFailure[] | undefined;
}) {
  return (
    <Layout title="Change password" {...p.chrome}>
      <h1>Account Settings</h1>
      <AccountTabs base={p.base} current="account" />
      <h2>Change password</h2>
      <p>Changing your password signs you out everywhere else: every other browser and device signed in with the old one. This browser stays signed in.</p>
      <form method="post" action={p.action} novalidate>
        <CsrfField token={p.chrome.csrfToken} />
        {p.currentError && (
          <div class="message error" role="alert" id="current-error">
            {p.currentError}
          </div>
        )}
        <label for="current-password">Current password</label>
        <input
          id="current-password"
          name={CURRENT_PASSWORD_FIELD}
          type="password"
          autocomplete="current-password"
          required
          maxlength={1024}
          aria-invalid={p.currentError ? 'true' : undefined}
          aria-describedby={p.currentError ? 'current-error' : undefined}
        />
        <NewPasswordFields context={p.context} errors={p.problems ?? []} includeReuseRule />
        <button type="submit" class="primary">
          Change password
        </button>
      </form>
      <p>
        <a href={`${p.base}/account`}>Back to Account Settings</a>
      </p>
    </Layout>
  );
}
