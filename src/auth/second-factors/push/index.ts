// Approving the sign-in on the phone (the Gatehouse Authenticator): at the second step a
// request is made at once and the page shows the number to type in the app; the phone's answer
// (auth/flows/authenticator/) moves the request to approved, and the waiting page's script (or
// its "I have approved it" button, without JavaScript) posts the request's id here, where an
// approval of this very attempt is used, once. Send Code, in the app, completes it the same
// way. amr `swk` (RFC 8176: proof of possession of a software-secured key: the device key that
// signs the answer).
import { isUuid } from '../../../lib/is-uuid.ts';
import { GATEHOUSE_AUTHENTICATOR_KIND } from '../../methods/push/device-kind.ts';
import { accountTopic } from '../../methods/push/push-services.ts';
import { requestFor, useApproval } from '../../methods/push/sign-in-requests.ts';
import type { SecondFactor } from '../second-factor.ts';
import { gatehouseAuthenticator } from './device-type.ts';

export const PUSH_SCRIPT = '/static/js/push-wait.js';
export const PUSH_WAIT_ATTRIBUTE = 'data-push-wait';
export const PUSH_MESSAGE_ATTRIBUTE = 'data-push-message';
export const APPROVE_HEADING = 'Approve this sign-in in your Gatehouse Authenticator';

/** Where the waiting page hears its request's answer (server-sent events; web/routes/authenticator-api.ts). */
export const requestEventsPath = (requestId: string) => `/authenticator/api/sign-in-requests/${requestId}/events`;

export const push: SecondFactor = {
  id: 'push',
  amr: ['swk'],
  devices: [gatehouseAuthenticator],
  answer: [{ name: 'request', maxLength: 36 }],

  async offer({ db, authenticator: p }, ctx) {
    if (!ctx.has.has(GATEHOUSE_AUTHENTICATOR_KIND)) return undefined;
    const place = await p.places.placeOf(ctx.ip);
    const asked = await requestFor(db, {
      accountId: ctx.accountId,
      siteId: ctx.site.id,
      ownerId: ctx.ceremonyOwnerId,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      place,
    });
    // This attempt has asked its few times: the other ways in remain.
    if (!asked) return undefined;
    const { request } = asked;
    if (asked.made) {
      // The open app hears at once, on whichever instance; a closed one by Web Push.
      await p.wakeups.notify(accountTopic(ctx.accountId));
      void p.delivery.deliver(ctx.accountId, request.id);
    }
    const attribution = p.places.attribution;
    return {
      nodes: [
        { node: 'text', text: `${APPROVE_HEADING}: open the app, check the request, and type this number in it.` },
        { node: 'figure', label: 'Number to type in the app', value: request.number },
        {
          node: 'text',
          text: `The app shows where this sign-in comes from: ${request.place ?? place} (approximate).`,
          ...(attribution ? { link: { text: attribution.text, href: attribution.url } } : {}),
        },
        { node: 'hidden', name: 'request', value: request.id },
        { node: 'script-message', attribute: PUSH_MESSAGE_ATTRIBUTE },
      ],
      submit: 'I have approved it',
      script: { src: PUSH_SCRIPT, attributes: { [PUSH_WAIT_ATTRIBUTE]: requestEventsPath(request.id) } },
    };
  },

  async verify({ db }, attempt, answer) {
    const id = answer.request ?? '';
    if (!isUuid(id)) return { ok: false, detail: 'malformed' };
    const used = await useApproval(db, { id, ownerId: attempt.ceremonyOwnerId, accountId: attempt.accountId });
    if (!used.ok) return { ok: false, detail: `request_${used.status}` };
    return { ok: true, deviceName: used.deviceName, ...(used.place ? { detail: { place: used.place } } : {}) };
  },

  refusal: {
    message: 'That sign-in has not been approved in your Gatehouse Authenticator.',
    advice:
      'Approve it in the app, typing the number shown here, then press "I have approved it". If the request had ended, a new one has been sent, with a new number.',
  },

  async settings(_services, { devices }) {
    return {
      heading: 'Gatehouse Authenticator',
      id: 'gatehouse-authenticator-heading',
      text: 'Approve sign-ins on your phone or tablet by typing the number shown on the sign-in screen, or send the code from it. Install it from /authenticator on the device, then scan the QR code of Add new device with it.',
      devices: { caption: 'Gatehouse Authenticators', rows: devices },
      add: { path: 'authenticator/new', label: 'Add the Gatehouse Authenticator' },
    };
  },
};
