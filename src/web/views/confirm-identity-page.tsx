// "Confirm it's you": the password again, before a change to the account's devices.
import { type Chrome, CsrfField, Layout } from './layout.tsx';

export function ConfirmIdentityPage(p: { chrome: Chrome; action: string; next: string; error?: string | undefined }) {
  return (
    <Layout title="Confirm it's you" {...p.chrome}>
      <div class="card login">
        <h1>Confirm it's you</h1>
        <p>Changing your two-factor devices needs a recent sign-in. Type your password to carry on.</p>
        {p.error && (
          <div class="message error" role="alert">
            {p.error}
          </div>
        )}
        <form method="post" action={p.action} novalidate>
          <CsrfField token={p.chrome.csrfToken} />
          <input type="hidden" name="next" value={p.next} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={1024} />
          <button type="submit" class="primary">
            Continue
          </button>
        </form>
      </div>
    </Layout>
  );
}
