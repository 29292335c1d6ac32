// The second factor, asked for at sign-in, by "Elevate Your Access" and when confirming it's
// you: a code from the authenticator app, a security key, or a recovery code — whichever the
// account has. Each is its own small form posting `method` to the same address.
import type { SecondFactors } from '../../auth/flows/second-factor/second-factors-of.ts';
import { CsrfField } from './layout.tsx';

export const INCORRECT_CODE = 'Incorrect or out of date code';
export const CLOCK_ADVICE =
  "If this keeps happening, the date and time on your phone may be slightly out: set them to update automatically (in your phone's settings, Date & time > Set automatically), then try the new code.";

export interface SecondFactorFormProps {
  action: string;
  csrfToken: string;
  factors: SecondFactors;
  /** JSON options for the security key, when the account has one. */
  webauthnOptions?: string | undefined;
  error?: string | undefined;
  /** Where to go afterwards (kept through the form). */
  next?: string | undefined;
  /** Open the recovery-code form (after a wrong recovery code, say). */
  showRecovery?: boolean;
}

function Hidden({ method, next, csrfToken }: { method: string; next?: string | undefined; csrfToken: string }) {
  return (
    <>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="method" value={method} />
      {next && <input type="hidden" name="next" value={next} />}
    </>
  );
}

export function SecondFactorForm(p: SecondFactorFormProps) {
  return (
    <div class="second-factor">
      {p.error && (
        <div class="message error" role="alert">
          <p>{p.error}</p>
          {p.error === INCORRECT_CODE && <p>{CLOCK_ADVICE}</p>}
        </div>
      )}
      {p.factors.code && (
        <form method="post" action={p.action} novalidate>
          <Hidden method="totp" next={p.next} csrfToken={p.csrfToken} />
          <label for="code">Code</label>
          <p class="hint" id="code-hint">Open the authenticator app on your registered device and enter the 6-digit code it shows.</p>
          <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength={12} aria-describedby="code-hint" required />
          <button type="submit" class="primary">Authenticate</button>
        </form>
      )}
      {p.factors.securityKey && p.webauthnOptions && (
        <form method="post" action={p.action} data-webauthn="authenticate" data-webauthn-options={p.webauthnOptions}>
          <Hidden method="webauthn" next={p.next} csrfToken={p.csrfToken} />
          <input type="hidden" name="credential" value="" />
          <p class="message error" data-webauthn-message role="alert" hidden></p>
          <button type="submit" class={p.factors.code ? '' : 'primary'}>Use a security key</button>
        </form>
      )}
      {p.factors.recoveryCodes > 0 && (
        <details class="recovery" open={p.showRecovery}>
          <summary>Use a recovery code</summary>
          <form method="post" action={p.action} novalidate>
            <Hidden method="recovery_code" next={p.next} csrfToken={p.csrfToken} />
            <label for="recovery-code">Recovery code</label>
            <input id="recovery-code" name="code" type="text" autocomplete="off" spellcheck={false} maxlength={40} required />
            <button type="submit">Use recovery code</button>
          </form>
        </details>
      )}
      <script src="/static/js/webauthn.js" defer></script>
    </div>
  );
}
