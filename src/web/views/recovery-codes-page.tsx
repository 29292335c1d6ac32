// The account's recovery codes, shown once, when made.
import type { Child } from 'hono/jsx';
import { COPY_TEXT_SCRIPT } from './admin-integrations.tsx';
import { type Chrome, Layout } from './layout.tsx';

/** The plain-text file: what the codes are for, then one a line. */
function codesFile(codes: string[]): string {
  return ['Gatehouse recovery codes: each signs you in once if you lose your device.', '', ...codes, ''].join('\r\n');
}

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
      {/* Print and Copy are shown by the script (copy-text.js); the download is this page's own
          data: link, so the codes are never served again from any address. */}
      <pre id="recovery-codes-text" hidden>
        {p.codes.join('\n')}
      </pre>
      <p class="recovery-actions">
        <button type="button" data-print="" hidden>
          Print
        </button>{' '}
        <button type="button" data-copy="recovery-codes-text" data-copy-status="recovery-codes-copied" hidden>
          Copy
        </button>{' '}
        <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(codesFile(p.codes))}`} download="gatehouse-recovery-codes.txt">
          Download as a text file
        </a>{' '}
        <span id="recovery-codes-copied" aria-live="polite"></span>
      </p>
      <p>Making new codes later replaces these.</p>
      <p>
        <a href={p.continueTo} class="button primary">
          I have saved my recovery codes
        </a>
      </p>
      <script src={COPY_TEXT_SCRIPT} defer></script>
    </Layout>
  );
}
