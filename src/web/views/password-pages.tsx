import type { Provider } from '../../auth/flows/sign-in/index.ts';
import type { PolicyContext, PolicyFailure } from '../../auth/methods/password/policy.ts';
import { sitePaths } from '../../lib/urls.ts';
import { CsrfField, Layout } from './layout.tsx';
import { NewPasswordFields } from './password-fields.tsx';

export const FORGOTTEN_LINK_TEXT = 'Forgotten your password or using Gatehouse for the first time?';

interface SitePage {
  siteSlug: string;
  siteName: string;
  csrfToken: string;
}

/** The two kinds of account, each with the hint that tells a person which is theirs (set apart from the label). */
const PROVIDER_CHOICES = [
  { value: 'identity', label: 'Identity', hint: 'If you use Gatehouse at one school.' },
  { value: 'sso', label: 'Single Sign-On', hint: 'If you use Gatehouse at more than one school, or StaffSafe.' },
] as const;

export function ForgottenPasswordPage(p: SitePage & { showProvider: boolean; provider: Provider; email?: string; error?: string }) {
  return (
    <Layout title="Reset Password" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>{FORGOTTEN_LINK_TEXT}</h1>
        <p>
          Enter the email address your school has for you, and we will email a link to set your password. You can ask for a colleague too: the link only ever
          goes to their own address.
        </p>
        {p.error && (
          <div class="message error" role="alert">
            {p.error}
          </div>
        )}
        <form method="post" action={sitePaths(p.siteSlug).forgottenPassword} novalidate>
          <CsrfField token={p.csrfToken} />
          <label for="email">Email address</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxlength={254} value={p.email ?? ''} />
          {p.showProvider ? (
            <fieldset class="choice">
              <legend>Authentication Provider</legend>
              {PROVIDER_CHOICES.map((choice) => (
                <div class="choice-option">
                  <input
                    type="radio"
                    id={`provider-${choice.value}`}
                    name="provider"
                    value={choice.value}
                    checked={p.provider === choice.value}
                    aria-describedby={`provider-${choice.value}-hint`}
                  />
                  <label for={`provider-${choice.value}`}>{choice.label}</label>
                  <p class="hint" id={`provider-${choice.value}-hint`}>
                    {choice.hint}
                  </p>
                </div>
              ))}
            </fieldset>
          ) : (
            <input type="hidden" name="provider" value="identity" />
          )}
          <button type="submit" class="primary">
            Reset Password
          </button>
        </form>
        <p>
          <a href={sitePaths(p.siteSlug).login}>Back to login</a>
        </p>
      </div>
    </Layout>
  );
}

export function LinkSentPage(p: SitePage & { email: string; sender: string }) {
  return (
    <Layout title="Check your email" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>Check your email</h1>
        <p role="status">
          If <strong>{p.email}</strong> belongs to an account at {p.siteName}, a link to set the password has been sent to it. The link expires at midnight
          tonight.
        </p>
        <p>
          If it has not arrived within a few minutes, check your junk, clutter and "Other" folders. If it is not there either, ask someone in IT at school to
          allow email from <strong>{p.sender}</strong>.
        </p>
        <p>
          <a href={sitePaths(p.siteSlug).login}>Back to login</a>
        </p>
      </div>
    </Layout>
  );
}

export function ChoosePasswordPage(p: SitePage & { token: string; context: PolicyContext; problems?: PolicyFailure[] }) {
  return (
    <Layout title="Choose your password" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>Choose your password</h1>
        <form method="post" action={`/${p.siteSlug}/password/reset`} novalidate>
          <CsrfField token={p.csrfToken} />
          <input type="hidden" name="token" value={p.token} />
          <NewPasswordFields context={p.context} errors={p.problems ?? []} includeReuseRule />
          <button type="submit" class="primary">
            Set password
          </button>
        </form>
      </div>
    </Layout>
  );
}

export function LinkExpiredPage(p: SitePage) {
  return (
    <Layout title="This link has expired" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>This link has expired</h1>
        <p>Links to set a password work once, and expire at midnight on the day they were sent. Ask for a new one: it only takes a moment.</p>
        <form method="get" action={sitePaths(p.siteSlug).forgottenPassword}>
          <button type="submit" class="primary">
            Request a new link
          </button>
        </form>
      </div>
    </Layout>
  );
}
