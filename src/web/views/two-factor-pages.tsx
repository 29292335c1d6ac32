import type { Child } from 'hono/jsx';
import { type Chrome, CsrfField, Layout } from './layout.tsx';
import { SecondFactorForm, type SecondFactorFormProps } from './second-factor-form.tsx';
import { sitePaths } from '../../lib/urls.ts';

/** The second step of signing in. */
export function SecondStepPage(p: SecondFactorFormProps & { siteName: string; siteSlug: string }) {
  return (
    <Layout title="Two Factor Authentication" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>Two Factor Authentication</h1>
        <p>Your password was right. Now show it's you with your second factor.</p>
        <SecondFactorForm {...p} />
        <p><a href={sitePaths(p.siteSlug).login}>Cancel and go back to login</a></p>
      </div>
    </Layout>
  );
}

/** "Elevate Your Access", and the second half of confirming it's you. */
export function ElevatePage(p: SecondFactorFormProps & { chrome: Chrome; confirming: boolean }) {
  return (
    <Layout title="Elevate Your Access" {...p.chrome}>
      <div class="card login">
        <h1>Two Factor Authentication</h1>
        <p>
          {p.confirming
            ? "To change your two-factor devices, confirm it's you with your second factor."
            : "Your session has basic access. Your second factor brings your group's full permissions."}
        </p>
        <SecondFactorForm {...p} />
      </div>
    </Layout>
  );
}

export function ConfirmPasswordPage(p: { chrome: Chrome; action: string; next: string; error?: string | undefined }) {
  return (
    <Layout title="Confirm it's you" {...p.chrome}>
      <div class="card login">
        <h1>Confirm it's you</h1>
        <p>Changing your two-factor devices needs a recent sign-in. Type your password to carry on.</p>
        {p.error && <div class="message error" role="alert">{p.error}</div>}
        <form method="post" action={p.action} novalidate>
          <CsrfField token={p.chrome.csrfToken} />
          <input type="hidden" name="next" value={p.next} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={1024} />
          <button type="submit" class="primary">Continue</button>
        </form>
      </div>
    </Layout>
  );
}

export function RecoveryCodesPage(p: { chrome: Chrome; codes: string[]; notice?: string | undefined; continueTo: string; children?: Child }) {
  return (
    <Layout title="Your recovery codes" {...p.chrome}>
      {p.notice && <div class="message notice" role="status">{p.notice}</div>}
      <h1>Your recovery codes</h1>
      <p>
        If you lose your device, each of these codes lets you sign in once in its place. Keep them somewhere safe that is not
        your phone (printed, or in a password manager). <strong>They are shown only now.</strong>
      </p>
      <ol class="recovery-codes" aria-label="Recovery codes">
        {p.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>Making new codes later replaces these.</p>
      <p><a href={p.continueTo} class="button primary">I have saved my recovery codes</a></p>
    </Layout>
  );
}
