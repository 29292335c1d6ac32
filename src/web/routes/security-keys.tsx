// /:site/account/security-keys: the person's authenticator apps, security keys and recovery codes
// (app.tsx: signed in here, before the school's two-factor rule; changes: requireDeviceChange).
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { finishAppEnrolment, startAppEnrolment } from '../../auth/flows/enrol-device/authenticator-app.ts';
import { authenticatorAdded, authenticatorRegistered } from '../../auth/flows/enrol-device/gatehouse-authenticator.ts';
import { finishKeyEnrolment, startKeyEnrolment } from '../../auth/flows/enrol-device/security-key.ts';
import { listDevices, regenerateRecoveryCodes, removeDevice, renameDevice } from '../../auth/flows/manage-devices.ts';
import { postedByScript } from '../../auth/methods/webauthn/index.ts';
import { settingsSections } from '../../auth/second-factors/index.ts';
import type { SignedIn } from '../../auth/sessions.ts';
import { isUuid } from '../../lib/is-uuid.ts';
import { sitePaths } from '../../lib/urls.ts';
import { SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { deviceChangeStepFirst, requireDeviceChange } from '../guards/index.ts';
import { errorPage } from '../views/error-page.tsx';
import type { Chrome } from '../views/layout.tsx';
import { RecoveryCodesPage } from '../views/recovery-codes-page.tsx';
import { render } from '../views/render.ts';
import { AddAuthenticatorPage, AddSecurityKeyPage, type RenameRefused, SecurityKeysPage } from '../views/security-keys-page.tsx';

const NOTICES: Record<string, string> = {
  'app-added': 'Successfully added new two-factor authentication method.',
  'key-added': 'Successfully added new security key',
  renamed: 'The device has been renamed.',
  removed: 'The device has been removed.',
};

const base = (signedIn: SignedIn) => sitePaths(signedIn.site.slug).securityKeys;
/** A form on the list's page comes back to the list after a step it needs first. */
const toList = (c: Context<AppEnv>) => sitePaths(c.var.site.slug).securityKeys;
const client = (c: Context<AppEnv>) => ({ ip: c.var.ip, userAgent: c.var.userAgent });

/** After a device is added: its recovery codes if it was the first, otherwise the list with a notice. */
function added(c: Context<AppEnv>, here: { signedIn: SignedIn; chrome: Chrome }, notice: 'app-added' | 'key-added', recoveryCodes?: string[]) {
  if (!recoveryCodes) return c.redirect(`${base(here.signedIn)}?done=${notice}`, 303);
  return render(c, <RecoveryCodesPage chrome={here.chrome} codes={recoveryCodes} notice={NOTICES[notice]} continueTo={base(here.signedIn)} />);
}

async function keyPage(c: Context<AppEnv>, here: { signedIn: SignedIn; chrome: Chrome }, name = '', error?: string, status: 200 | 400 = 200) {
  const optionsJson = await startKeyEnrolment(c.var.services, here.signedIn);
  return render(
    c,
    <AddSecurityKeyPage chrome={here.chrome} action={`${base(here.signedIn)}/key/new`} optionsJson={optionsJson} name={name} error={error} />,
    status,
  );
}

/** Account Settings > Security keys, with a notice or a refused rename. */
async function securityKeysPage(c: Context<AppEnv>, extra: { notice?: string | undefined; renameRefused?: RenameRefused }, status: ContentfulStatusCode = 200) {
  const here = c.var.here;
  const { services } = c.var;
  const accountId = here.signedIn.account.id;
  const sections = await settingsSections(services, accountId, await listDevices(services.db, accountId));
  return render(c, <SecurityKeysPage chrome={here.chrome} siteSlug={c.var.site.slug} sections={sections} {...extra} />, status);
}

export const securityKeyRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const notice =
      c.req.query('required') === '1'
        ? `${c.var.here.signedIn.site.name} requires two-factor authentication for all staff: add a device to carry on.`
        : NOTICES[c.req.query('done') ?? ''];
    return securityKeysPage(c, { notice });
  })
  .get('/authenticator/new', requireDeviceChange(), async (c) => {
    const here = c.var.here;
    const qr = await startAppEnrolment(c.var.services, here.signedIn);
    return render(c, <AddAuthenticatorPage chrome={here.chrome} action={`${base(here.signedIn)}/authenticator/new`} {...qr} />);
  })
  .post('/authenticator/new', requireDeviceChange(), async (c) => {
    const here = c.var.here;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const name = (form.name ?? '').slice(0, 200);
    const result = await finishAppEnrolment(c.var.services, here.signedIn, { name, code: (form.code ?? '').slice(0, 64) }, client(c));
    if (result.outcome === 'added') return added(c, here, 'app-added', result.recoveryCodes);
    if (result.outcome === 'not_now') return deviceChangeStepFirst(c, result.gate, `${base(here.signedIn)}/authenticator/new`);
    const qr = await startAppEnrolment(c.var.services, here.signedIn);
    const page = { chrome: here.chrome, action: `${base(here.signedIn)}/authenticator/new`, ...qr, name };
    if (result.outcome === 'bad_name') return render(c, <AddAuthenticatorPage {...page} nameError={result.message} />, 400);
    // A wrong code keeps the same QR code: the secret waits server-side until a right code.
    return render(c, <AddAuthenticatorPage {...page} error="Incorrect or out of date code" />, 400);
  })
  // The Gatehouse Authenticator registers itself with the QR code: the page asks whether it has...
  .get('/authenticator/new/status', async (c) => c.json({ registered: await authenticatorRegistered(c.var.services, c.var.here.signedIn) }))
  // ...and then shows it added (with the first recovery codes), or, asked too soon, the QR code
  // again. Not behind the device-change gate: the device was added under it (its QR code was
  // shown behind it) and the account now has one; this only reads what this session's QR code did.
  .post('/authenticator/new/added', async (c) => {
    const here = c.var.here;
    const result = await authenticatorAdded(c.var.services, here.signedIn);
    if (result.added) return added(c, here, 'app-added', result.recoveryCodes);
    const qr = await startAppEnrolment(c.var.services, here.signedIn);
    return render(
      c,
      <AddAuthenticatorPage
        chrome={here.chrome}
        action={`${base(here.signedIn)}/authenticator/new`}
        {...qr}
        error="The Gatehouse Authenticator has not added itself yet: scan the QR code (or paste the link) in the app, then try again."
      />,
      400,
    );
  })
  .get('/key/new', requireDeviceChange(), (c) => keyPage(c, c.var.here))
  .post('/key/new', requireDeviceChange(), async (c) => {
    const here = c.var.here;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const name = (form.name ?? '').slice(0, 200);
    const credential = (form.credential ?? '').slice(0, 16_384);
    const result = await finishKeyEnrolment(c.var.services, here.signedIn, { name, credential, scripted: postedByScript(form) }, client(c));
    if (result.outcome === 'added') return added(c, here, 'key-added', result.recoveryCodes);
    if (result.outcome === 'not_now') return deviceChangeStepFirst(c, result.gate, `${base(here.signedIn)}/key/new`);
    return keyPage(c, here, name, result.message, 400);
  })
  .post('/recovery-codes', requireDeviceChange(toList), async (c) => {
    const here = c.var.here;
    const codes = await regenerateRecoveryCodes(c.var.services, here.signedIn, client(c));
    if (!codes) return errorPage(c, 400, 'No device yet', 'Recovery codes stand in for a two-factor device: add a device first.');
    if ('notNow' in codes) return deviceChangeStepFirst(c, codes.notNow, base(here.signedIn));
    return render(
      c,
      <RecoveryCodesPage chrome={here.chrome} codes={codes} notice="Your old recovery codes no longer work." continueTo={base(here.signedIn)} />,
    );
  })
  .post('/:id/rename', async (c) => {
    const here = c.var.here;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const id = c.req.param('id');
    const result = isUuid(id)
      ? await renameDevice(c.var.services, here.signedIn, id, (form.name ?? '').slice(0, 200), client(c))
      : { ok: false as const, reason: 'not_found' as const, message: 'That device is not one of yours.' };
    // Refused: the same page again, the message at that device, what was typed kept.
    if (!result.ok && result.reason === 'invalid')
      return securityKeysPage(c, { renameRefused: { deviceId: id, message: result.message, typed: form.name ?? '' } }, 400);
    if (!result.ok) return errorPage(c, 404, 'Device not found', result.message);
    return c.redirect(`${base(here.signedIn)}?done=renamed`, 303);
  })
  .post('/:id/remove', requireDeviceChange(toList), async (c) => {
    const here = c.var.here;
    const id = c.req.param('id');
    const result = isUuid(id) ? await removeDevice(c.var.services, here.signedIn, id, client(c)) : { removed: false };
    if ('notNow' in result) return deviceChangeStepFirst(c, result.notNow, base(here.signedIn));
    if (!result.removed) return errorPage(c, 404, 'Device not found', 'That device is not one of yours, has already been removed, or is a managed token.');
    if (result.newToken) writeCookie(c, SESSION_COOKIE, result.newToken);
    return c.redirect(`${base(here.signedIn)}?done=removed`, 303);
  });
