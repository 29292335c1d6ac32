// Admin > Integrations: the school's systems that sign staff in through Gatehouse. Behind the
// Admin area's guards; each change is a command of directory/integrations.ts, with its audit
// row. A secret is shown once, in the answer to the POST that made it (never kept, never
// redirected to); rotating and deleting are confirmed on a page of their own first.
import { type Context, Hono } from 'hono';
import {
  addIntegration,
  deleteIntegration,
  disableIntegration,
  enableIntegration,
  findIntegration,
  INTEGRATION_FIELDS,
  type Integration,
  linesOf,
  listIntegrations,
  rotateIntegrationSecret,
} from '../../../directory/integrations.ts';
import type { Refused } from '../../../lib/outcome.ts';
import { openIdProviderAddresses, sitePaths } from '../../../lib/urls.ts';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../form.ts';
import {
  ConfirmIntegrationChange,
  type IntegrationFormErrors,
  type IntegrationFormValues,
  IntegrationPage,
  IntegrationSecretPage,
  IntegrationsPage,
  TYPED_MAX,
} from '../../views/admin-integrations.tsx';
import { errorPage } from '../../views/error-page.tsx';
import { render } from '../../views/render.ts';
import { adminContext, statusOf } from './admin-context.ts';

const NOTICES: Record<string, string> = {
  deleted: 'The system has been deleted: it can no longer sign anyone in.',
  disabled: 'The system has been disabled: nobody can sign in to it through Gatehouse until it is enabled again.',
  enabled: 'The system has been enabled: it signs people in again.',
};

const paths = (c: Context<AppEnv>) => sitePaths(c.var.site.slug);
const provider = (c: Context<AppEnv>) => openIdProviderAddresses(c.var.services.config.publicUrl);
const notice = (c: Context<AppEnv>) => NOTICES[c.req.query('done') ?? ''];

async function listPage(
  c: Context<AppEnv>,
  form: { values?: IntegrationFormValues; errors?: IntegrationFormErrors } = {},
  status: 200 | 400 | 403 | 404 = 200,
) {
  const { site } = c.var.here.signedIn;
  const systems = await listIntegrations(c.var.services.db, site.id);
  return render(
    c,
    <IntegrationsPage chrome={c.var.here.chrome} systems={systems} provider={provider(c)} timeZone={site.timeZone} notice={notice(c)} {...form} />,
    status,
  );
}

/** What was typed, kept for the form that comes back (the body limit already bounds it). */
function typedValues(form: Record<string, string | undefined>): IntegrationFormValues {
  const keep = (v: string | undefined) => (v ?? '').slice(0, TYPED_MAX);
  return {
    name: keep(form.name),
    redirect_uris: keep(form.redirect_uris),
    post_logout_redirect_uris: keep(form.post_logout_redirect_uris),
    backchannel_logout_uri: keep(form.backchannel_logout_uri),
  };
}

/** A refusal's message at its field, or above the form when it is about none. */
function errorsOf(refusal: Refused): IntegrationFormErrors {
  const fields = Object.values(INTEGRATION_FIELDS) as string[];
  const errors = Object.fromEntries(Object.entries(refusal.fields ?? {}).filter(([field]) => fields.includes(field)));
  return Object.keys(errors).length > 0 ? errors : { form: refusal.message };
}

/** The system named in the address, at this school only: another school's client id is "not found". */
async function systemOf(c: Context<AppEnv>): Promise<Integration | Response> {
  const found = await findIntegration(c.var.services.db, c.var.here.signedIn.site.id, c.req.param('clientId') ?? '');
  return found ?? errorPage(c, 404, 'System not found', 'There is no such system at this school.');
}

const notFound = (c: Context<AppEnv>, refusal: Refused) => errorPage(c, statusOf(refusal), 'System not found', refusal.message);

/** What each change that cannot be undone asks first, in words about the system. */
const CONFIRMATIONS = {
  'rotate-secret': (name: string) => ({
    title: `Rotate the secret of ${name}?`,
    explanation: `${name} gets a new secret, shown to you once. The old secret stops working at once: until the supplier puts the new one in, nobody can sign in to ${name}.`,
    button: 'Rotate the secret',
  }),
  delete: (name: string) => ({
    title: `Delete ${name}?`,
    explanation: `Nobody will be able to sign in to ${name} through Gatehouse, and its client ID and secret stop working for good. To stop it for a while instead, disable it.`,
    button: 'Delete this system',
  }),
};

async function confirmPage(c: Context<AppEnv>, action: keyof typeof CONFIRMATIONS) {
  const system = await systemOf(c);
  if (system instanceof Response) return system;
  return render(c, <ConfirmIntegrationChange chrome={c.var.here.chrome} system={system} action={action} {...CONFIRMATIONS[action](system.name)} />);
}

/** Disabled or enabled, then the system's page says so. */
async function changeStatus(c: Context<AppEnv>, change: typeof disableIntegration, done: 'disabled' | 'enabled') {
  const clientId = c.req.param('clientId') ?? '';
  const changed = await change(c.var.services, adminContext(c), clientId);
  if (!changed.ok) return notFound(c, changed);
  return c.redirect(`${paths(c).adminIntegration(clientId)}?done=${done}`, 303);
}

export const adminIntegrationRoutes = new Hono<AppEnv>()
  .get('/', (c) => listPage(c))
  .post('/', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const values = typedValues(form);
    const added = await addIntegration(c.var.services, adminContext(c), c.var.here.signedIn.site.id, {
      name: form.name,
      redirectUris: linesOf(form.redirect_uris),
      postLogoutRedirectUris: linesOf(form.post_logout_redirect_uris),
      backchannelLogoutUri: form.backchannel_logout_uri,
    });
    if (!added.ok) return listPage(c, { values, errors: errorsOf(added) }, statusOf(added));
    return render(c, <IntegrationSecretPage chrome={c.var.here.chrome} {...added.value} provider={provider(c)} rotated={false} />);
  })
  .get('/:clientId', async (c) => {
    const system = await systemOf(c);
    if (system instanceof Response) return system;
    return render(c, <IntegrationPage chrome={c.var.here.chrome} system={system} timeZone={c.var.here.signedIn.site.timeZone} notice={notice(c)} />);
  })
  .get('/:clientId/rotate-secret', (c) => confirmPage(c, 'rotate-secret'))
  .post('/:clientId/rotate-secret', async (c) => {
    const rotated = await rotateIntegrationSecret(c.var.services, adminContext(c), c.req.param('clientId'));
    if (!rotated.ok) return notFound(c, rotated);
    return render(c, <IntegrationSecretPage chrome={c.var.here.chrome} {...rotated.value} provider={provider(c)} rotated />);
  })
  .post('/:clientId/disable', (c) => changeStatus(c, disableIntegration, 'disabled'))
  .post('/:clientId/enable', (c) => changeStatus(c, enableIntegration, 'enabled'))
  .get('/:clientId/delete', (c) => confirmPage(c, 'delete'))
  .post('/:clientId/delete', async (c) => {
    const deleted = await deleteIntegration(c.var.services, adminContext(c), c.req.param('clientId'));
    if (!deleted.ok) return notFound(c, deleted);
    return c.redirect(`${paths(c).adminIntegrations}?done=deleted`, 303);
  });
