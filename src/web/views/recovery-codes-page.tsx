// The account's recovery codes, shown once, when made.
import type { Child } from 'hono/jsx';
import { type Chrome, Layout } from './layout.tsx';

export function RecoveryCodesPage(p: { chrome: Chrome; codes: string[]; notice?: string | undefined; continueTo: string; children?: Child }) {
  return (
    <Layout title="Your recovery codes" {...p.chrome}>
      {p.notice && (
        <div class="message notice" role="status">
          {p.notice}
        </div>
      )}
      <h1>Your recovery codes</h1>
      <p>
        If you lose your device, each of these codes lets you sign in once in its place. Keep them somewhere safe that is not your phone (printed, or in a
        password manager). <strong>They are shown only now.</strong>
      </p>
      <ol class="recovery-codes" aria-label="Recovery codes">
        {p.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>Making new codes later replaces these.</p>
      <p>
        <a href={p.continueTo} class="button primary">
          I have saved my recovery codes
        </a>
      </p>
    </Layout>
  );
}
