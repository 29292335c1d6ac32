// /oidc/interaction/:uid: a school system's sign-in, waiting at Gatehouse while the person
// signs in at the system's school, elevates, confirms it's them or gives up. Each visit asks
// oidc/interaction.ts for the next step with the Gatehouse session as it is now (auth/access.ts
// decides, as for any page of the school), sends the person to that step's own page with
// `next` pointing back here, and once nothing is left, answers the provider (with prompt=none:
// the code, or an error, by redirect, never a page). Public: the
// provider's interaction cookie binds the sign-in to this browser, and the steps are guarded.
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { Interaction, InteractionResults } from 'oidc-provider';
import { switchSite } from '../../auth/flows/switch-site.ts';
import type { ProviderClient } from '../../directory/integrations.ts';
import { findSiteById } from '../../directory/sites.ts';
import { oidcPaths, sitePaths } from '../../lib/urls.ts';
import { writeTogether } from '../../oidc/adapter.ts';
import { finishSignIn, nextStep, promptsOf, signInRequest, silentRefusal } from '../../oidc/interaction.ts';
import { chrome } from '../chrome.ts';
import { SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { accessFacts } from '../guards/guard.ts';
import { errorPage } from '../views/error-page.tsx';
import type { Chrome } from '../views/layout.tsx';
import { AddDevicePage, ContinueToSystemPage, NotAMemberPage } from '../views/oidc-pages.tsx';
import { render } from '../views/render.ts';

const EXPIRED = ['This sign-in has expired', 'Go back to the system you were signing in to and start again.'] as const;

const node = (c: Context<AppEnv>) => c.env as unknown as HttpBindings;

/** The interaction this browser has under way at this address, and its system; undefined when there is none (or it expired). */
async function interactionOf(c: Context<AppEnv>): Promise<{ interaction: Interaction; client: ProviderClient } | undefined> {
  const provider = await c.var.services.oidc.provider();
  const { incoming, outgoing } = node(c);
  const interaction = await provider.interactionDetails(incoming, outgoing).catch(() => undefined);
  if (!interaction || interaction.uid !== c.req.param('uid')) return undefined;
  const client = await c.var.services.oidc.findClient(String(interaction.params.client_id));
  return client && !client.disabledAt ? { interaction, client } : undefined;
}

/** Saves a change to the interaction for the rest of its life. */
const saveInteraction = (interaction: Interaction) => interaction.save(Math.max(1, (interaction.exp ?? 0) - Math.floor(Date.now() / 1000)));

/** The interaction's outcome, kept in it for the provider's resume, as provider.interactionResult does without reading it again. */
async function answer(c: Context<AppEnv>, interaction: Interaction, result: InteractionResults, how: { silent: boolean }) {
  interaction.result = result;
  await saveInteraction(interaction);
  const resume = interaction.returnTo;
  // prompt=none came here by redirects from the system's own navigation, with no form: on by redirect, showing nothing.
  if (how.silent) return c.redirect(resume, 303);
  // Not a redirect: this answer usually ends the redirects that follow a form (the sign-in, the
  // second step, Elevate Your Access), and Chromium holds every hop of those to the form's CSP
  // form-action 'self', so the last hop, to the system, would be blocked. A page of our own
  // that moves on at once starts a new navigation, which form-action does not cover.
  return render(c, <ContinueToSystemPage resume={resume} />);
}

/**
 * When the system asked, to the millisecond, for prompt=login (a sign-in after it): noted in the
 * interaction on its first visit here, since the provider keeps only whole seconds. The
 * provider's `result` is where an interaction keeps what is ours; finishing replaces it.
 */
async function askedAt(interaction: Interaction, prompts: readonly string[]): Promise<number> {
  if (!prompts.includes('login')) return (interaction.iat ?? 0) * 1000;
  const noted = (interaction.result as { gatehouse?: { askedAt?: number } } | undefined)?.gatehouse?.askedAt;
  if (typeof noted === 'number') return noted;
  const now = Date.now();
  interaction.result = { gatehouse: { askedAt: now } };
  await saveInteraction(interaction);
  return now;
}

async function pageChrome(c: Context<AppEnv>): Promise<Chrome> {
  const facts = accessFacts(c);
  return facts.signedIn ? chrome(c, facts.signedIn, await facts.hasDevice()) : { csrfToken: c.var.csrfToken, siteName: c.var.site.name };
}

export const oidcInteractionRoutes = new Hono<AppEnv>()
  .get('/:uid', async (c) => {
    const { services } = c.var;
    const found = await interactionOf(c);
    if (!found) return errorPage(c, 400, ...EXPIRED);
    const { interaction, client } = found;
    // Signed in at the system's school already: the session's own statement read its site.
    const signedInHere = c.var.signedIn?.site.id === client.siteId ? c.var.signedIn.site : undefined;
    const site = signedInHere ?? (await findSiteById(services.db, client.siteId));
    if (!site) return errorPage(c, 400, ...EXPIRED);
    c.set('site', site);
    const here = oidcPaths.interaction(interaction.uid);
    const paths = sitePaths(site.slug);
    const prompts = promptsOf(interaction.params);
    const request = signInRequest(interaction.params, prompts, await askedAt(interaction, prompts));
    const step = await nextStep(accessFacts(c), request);
    const client_ = { ip: c.var.ip, userAgent: c.var.userAgent };
    if (request.silent && step.step !== 'finish') return answer(c, interaction, silentRefusal(step), request);
    switch (step.step) {
      case 'sign_in':
        return c.redirect(paths.signIn(here), 303);
      case 'switch_school': {
        const switched = await switchSite(services, c.var.signedIn!, site.slug, client_);
        if (!switched.ok) return c.redirect(paths.signIn(here), 303);
        writeCookie(c, SESSION_COOKIE, switched.value.token);
        return c.redirect(here, 303);
      }
      case 'not_a_member':
        return render(
          c,
          <NotAMemberPage
            chrome={{ csrfToken: c.var.csrfToken, siteName: site.name }}
            systemName={client.name}
            schoolName={site.name}
            email={c.var.signedIn!.account.email}
            signInHere={paths.signIn(here)}
            abandon={oidcPaths.abandon(interaction.uid)}
          />,
          403,
        );
      case 'elevate':
        return c.redirect(paths.elevate(here), 303);
      case 'reauthenticate':
        return c.redirect(paths.confirmIdentity(here), 303);
      case 'add_device':
        return render(
          c,
          <AddDevicePage
            chrome={await pageChrome(c)}
            systemName={client.name}
            because={step.because}
            securityKeys={paths.securityKeys}
            retry={here}
            abandon={oidcPaths.abandon(interaction.uid)}
          />,
        );
      case 'finish': {
        const signedIn = c.var.signedIn!;
        const provider = await services.oidc.provider();
        // Someone else signed in at the provider on this browser before: theirs ends here, not in a logout dance.
        if (interaction.session && interaction.session.accountId !== signedIn.account.id) {
          const previous = await provider.Session.findByUid(interaction.session.uid);
          await previous?.destroy();
          interaction.session = undefined;
          await saveInteraction(interaction);
        }
        const deps = { db: services.db, log: c.var.log, grantSeconds: services.config.sessionDefaults.absoluteHours * 3600 };
        // The grant, its record and log line, and the answer kept in the interaction: one statement.
        return writeTogether(services.db, async () =>
          answer(c, interaction, await finishSignIn(deps, provider, signedIn, client, interaction.params, client_), request),
        );
      }
    }
  })
  .post('/:uid/abandon', async (c) => {
    const found = await interactionOf(c);
    if (!found) return errorPage(c, 400, ...EXPIRED);
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { interaction } = found;
    if (form.reason === 'unmet_authentication_requirements') {
      return answer(
        c,
        interaction,
        { error: 'unmet_authentication_requirements', error_description: 'full access needs a second factor, and the person has none' },
        { silent: false },
      );
    }
    return answer(
      c,
      interaction,
      { error: 'access_denied', error_description: 'the person is not an active member of the school this system belongs to' },
      { silent: false },
    );
  });
