// /_dev/mail: the dev mailbox, where mail goes when there is no SMTP_URL (never in production).
// GET / lists the newest 50, GET /:id shows one as text, GET /:id/html its HTML version.
import { Hono } from 'hono';
import { devMailboxEnabled, type MailboxEntry, mailById, recentMail } from '../../mail/dev-mailbox.ts';
import type { AppEnv } from '../env.ts';
import { errorPage } from '../views/error-page.tsx';
import { formatDateTime } from '../views/format.ts';
import { Layout } from '../views/layout.tsx';
import { render } from '../views/render.ts';
import { TableScroll } from '../views/table-scroll.tsx';

export { devMailboxEnabled };

export const DEV_MAILBOX_PATH = '/_dev/mail';

// The mail's own HTML may style itself, and nothing else: no script, no frames, no forms, no
// requests anywhere (images only inline), in a sandbox with an origin of its own.
const MAIL_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; sandbox";

const subjectOf = (m: MailboxEntry) => m.message?.subject ?? '(message not kept)';

/** The text with its links clickable, so a reset link can be followed from here. */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}</>;
}

function MailboxPage({ csrfToken, mail }: { csrfToken: string; mail: MailboxEntry[] }) {
  return (
    <Layout title="Dev mailbox" csrfToken={csrfToken}>
      <h1>Dev mailbox</h1>
      <p>Mail Gatehouse has sent while no SMTP_URL is set, newest first. Production sends over SMTP and has no such page.</p>
      {mail.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <TableScroll label="Mail sent">
          <table>
            <thead>
              <tr>
                <th>Written</th>
                <th>To</th>
                <th>Subject</th>
                <th>Kind</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {mail.map((m) => (
                <tr>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.to}</td>
                  <td>
                    <a href={`${DEV_MAILBOX_PATH}/${m.id}`}>{subjectOf(m)}</a>
                  </td>
                  <td>{m.kind}</td>
                  <td>{m.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Layout>
  );
}

function MailPage({ csrfToken, mail }: { csrfToken: string; mail: MailboxEntry }) {
  return (
    <Layout title={subjectOf(mail)} csrfToken={csrfToken}>
      <p>
        <a href={DEV_MAILBOX_PATH}>All mail</a>
      </p>
      <h1>{subjectOf(mail)}</h1>
      <dl class="summary">
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Kind</dt>
        <dd>{mail.kind}</dd>
        <dt>Written</dt>
        <dd>{formatDateTime(mail.createdAt)}</dd>
        <dt>Status</dt>
        <dd>{mail.status}</dd>
      </dl>
      {mail.message && (
        <>
          <p>
            <a href={`${DEV_MAILBOX_PATH}/${mail.id}/html`}>The HTML version</a>
          </p>
          <h2>Plain text version</h2>
          <pre class="card table-scroll">
            <LinkedText text={mail.message.text} />
          </pre>
        </>
      )}
    </Layout>
  );
}

export const devMailboxRoutes = new Hono<AppEnv>()
  // Mounted only when enabled; this refuses too, so a mistake in mounting cannot expose mail.
  .use(async (c, next) => {
    if (!devMailboxEnabled(c.var.services.config)) return errorPage(c, 404, 'Page not found', 'There is nothing at this address.');
    await next();
  })
  .get('/', async (c) => {
    const { db, keys } = c.var.services;
    return render(c, <MailboxPage csrfToken={c.var.csrfToken} mail={await recentMail(db, keys.encryption)} />);
  })
  .get('/:id{[0-9]{1,15}}', async (c) => {
    const { db, keys } = c.var.services;
    const mail = await mailById(db, keys.encryption, Number(c.req.param('id')));
    if (!mail) return errorPage(c, 404, 'No such mail', 'There is no mail with that number in the dev mailbox.');
    return render(c, <MailPage csrfToken={c.var.csrfToken} mail={mail} />);
  })
  .get('/:id{[0-9]{1,15}}/html', async (c) => {
    const { db, keys } = c.var.services;
    const mail = await mailById(db, keys.encryption, Number(c.req.param('id')));
    if (!mail?.message) return errorPage(c, 404, 'No such mail', 'There is no HTML for that mail in the dev mailbox.');
    c.header('Content-Security-Policy', MAIL_HTML_CSP);
    c.header('Cache-Control', 'no-store');
    return c.html(mail.message.html);
  });
