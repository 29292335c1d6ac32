// /:site/password/…: asking for a link, and choosing a password with it.
import { Hono } from 'hono';
import { z } from 'zod';
import { findUsableLink, policyContextFor, requestResetLink, type SetPasswordResult, setPasswordWithLink } from '../../auth/flows/reset-password/index.ts';
import { HashingBusy } from '../../auth/methods/password/index.ts';
import { emailAddress } from '../../directory/email-address.ts';
import { sitePaths } from '../../lib/urls.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { ChoosePasswordPage, ForgottenPasswordPage, LinkExpiredPage, LinkSentPage } from '../views/password-pages.tsx';
import { render } from '../views/render.ts';
import { busyHashing } from './busy.ts';

const provider = z.enum(['identity', 'sso']);

/** The address mail comes from, for "ask IT to allow email from …". */
function senderAddress(mailFrom: string): string {
  return mailFrom.match(/<([^>]+)>/)?.[1] ?? mailFrom;
}

export const passwordResetRoutes = new Hono<AppEnv>()
  .get('/forgotten', async (c) => {
    const site = c.var.site;
    const showProvider = site.hasSsoUsers;
    const chosen = provider.safeParse(c.req.query('provider'));
    const page = { siteSlug: site.slug, siteName: site.name, csrfToken: c.var.csrfToken, showProvider };
    return render(c, <ForgottenPasswordPage {...page} provider={showProvider && chosen.success ? chosen.data : 'identity'} />);
  })
  .post('/forgotten', async (c) => {
    const { services } = c.var;
    const site = c.var.site;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const showProvider = site.hasSsoUsers;
    const chosen = showProvider ? provider.catch('identity').parse(form.provider) : 'identity';
    const page = { siteSlug: site.slug, siteName: site.name, csrfToken: c.var.csrfToken, showProvider, provider: chosen };
    const email = emailAddress.safeParse(form.email ?? '');
    if (!email.success) {
      const typed = (form.email ?? '').slice(0, 254);
      return render(c, <ForgottenPasswordPage {...page} email={typed} error={email.error.issues[0]!.message} />, 400);
    }
    await requestResetLink(services, { site, email: email.data, provider: chosen, ip: c.var.ip, userAgent: c.var.userAgent });
    return render(c, <LinkSentPage {...page} email={email.data} sender={senderAddress(services.config.mailFrom)} />);
  })
  .get('/reset', async (c) => {
    const site = c.var.site;
    const page = { siteSlug: site.slug, siteName: site.name, csrfToken: c.var.csrfToken };
    const token = c.req.query('token') ?? '';
    const link = await findUsableLink(c.var.services.db, token);
    if (!link) return render(c, <LinkExpiredPage {...page} />, 410);
    const context = await policyContextFor(c.var.services.db, link);
    return render(c, <ChoosePasswordPage {...page} siteName={link.site.name} token={token} context={context} />);
  })
  .post('/reset', async (c) => {
    const { services } = c.var;
    const site = c.var.site;
    const page = { siteSlug: site.slug, siteName: site.name, csrfToken: c.var.csrfToken };
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const token = form.token ?? '';
    const password = form.password ?? '';
    let result: SetPasswordResult;
    try {
      result = await setPasswordWithLink(services, {
        token,
        password,
        confirmation: form.confirmation ?? '',
        ip: c.var.ip,
        userAgent: c.var.userAgent,
      });
    } catch (err) {
      if (err instanceof HashingBusy) return busyHashing(c, err);
      throw err;
    }
    if (result.outcome === 'link_unusable') return render(c, <LinkExpiredPage {...page} />, 410);
    if (result.outcome === 'rejected') {
      const link = await findUsableLink(services.db, token);
      if (!link) return render(c, <LinkExpiredPage {...page} />, 410);
      const context = await policyContextFor(services.db, link);
      return render(c, <ChoosePasswordPage {...page} token={token} context={context} problems={result.problems} />, 400);
    }
    return c.redirect(`${sitePaths(result.siteSlug).login}?password=changed`, 303);
  });
