// The second step of signing in: the password was right; now the second factor.

import { sitePaths } from '../../lib/urls.ts';
import { Layout } from './layout.tsx';
import { SecondFactorForm, type SecondFactorFormProps } from './second-factor-form.tsx';

/** The second step of signing in. */
export function SecondStepPage(p: SecondFactorFormProps & { siteName: string; siteSlug: string }) {
  return (
    <Layout title="Two Factor Authentication" siteName={p.siteName} csrfToken={p.csrfToken}>
      <div class="card login">
        <p class="school">{p.siteName}</p>
        <h1>Two Factor Authentication</h1>
        <p>Your password was right. Now show it's you with your second factor.</p>
        <SecondFactorForm {...p} />
        <p>
          <a href={sitePaths(p.siteSlug).login}>Cancel and go back to login</a>
        </p>
      </div>
    </Layout>
  );
}
