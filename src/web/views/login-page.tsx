import type { Provider } from '../../auth/flows/sign-in/index.ts';
import type { Site } from '../../directory/sites.ts';
import { sitePaths } from '../../lib/urls.ts';
import { CsrfField, Layout } from './layout.tsx';
import { FORGOTTEN_LINK_TEXT } from './password-pages.tsx';

export const SIGN_IN_FAILED = 'Your email address or password was incorrect';

export interface LoginPageProps {
  site: Site;
  provider: Provider;
  /** Offer the Identity/SSO switch: only when the site has SSO users. */
  showSwitch: boolean;
  csrfToken: string;
  email?: string;
  error?: string;
  notice?: string;
  publicUrl: string;
  /** Where signing in returns to: a page of this site, or a school system's sign-in (checked: web/next-page.ts). */
  next?: string | undefined;
}

export function LoginPage(p: LoginPageProps) {
  const other: Provider = p.provider === 'sso' ? 'identity' : 'sso';
  const base = `/${p.site.slug}`;
  return (
    <Layout title="Login" siteName={p.site.name} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.site.name}</p>
        <h1>{p.provider === 'sso' ? 'Single Sign-On' : 'Identity'}</h1>
        {p.error && (
          <div class="message error" role="alert">
            {p.error}
          </div>
        )}
        {p.notice && (
          <div class="message notice" role="status">
            {p.notice}
          </div>
        )}
        {/* `next` goes once, as a field (the POST reads the form), not in the action's address too. */}
        <form method="post" action={sitePaths(p.site.slug).signIn()} novalidate>
          <CsrfField token={p.csrfToken} />
          <input type="hidden" name="provider" value={p.provider} />
          {p.next && <input type="hidden" name="next" value={p.next} />}
          <label for="email">Email address</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxlength={254} value={p.email ?? ''} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={1024} />
          <button type="submit" class="primary">
            Login
          </button>
        </form>
        <p class="forgotten">
          <a href={`${base}/password/forgotten?provider=${p.provider}`}>{FORGOTTEN_LINK_TEXT}</a>
        </p>
        {p.showSwitch && (
          <p class="switch-provider">
            <a href={`${base}/login?provider=${other}${p.next ? `&next=${encodeURIComponent(p.next)}` : ''}`}>
              {other === 'sso' ? 'Login using your SSO account' : 'Login using your Identity account'}
            </a>
          </p>
        )}
        <section class="guidance" aria-labelledby="guidance-heading">
          <h2 id="guidance-heading">Having trouble signing in?</h2>
          <ul>
            <li>
              Check that you are at your school's own sign-in address: <code>{`${p.publicUrl}${base}/login`}</code>.
            </li>
            <li>Check your email address and password for typos, and that your browser has not filled in an old saved password.</li>
            {p.showSwitch && (
              <li>
                Make sure you are on the right login page for your account: <strong>Identity</strong> if you use Gatehouse at one school,{' '}
                <strong>Single Sign-On</strong> if you use it at more than one school or StaffSafe.
              </li>
            )}
            <li>
              Still stuck? <a href="#help">Get help from your support team</a>.
            </li>
          </ul>
        </section>
      </div>
    </Layout>
  );
}
