// The phone answers a sign-in request (POST /authenticator/api/answer), as the person's steps:
// the call is checked against the device's key (route) -> the request is this account's and
// still waiting -> "It wasn't me" always goes through: the request is denied, the attempt ends
// (its pending sign-in, or the session that was elevating), the security log and an email;
// it counts as a failure in the account's second-factor throttle, so a stream of prompts stops
// itself -> otherwise the attempt takes its place in that throttle (refused while throttled) ->
// the number typed must be the one on the sign-in screen (a wrong one ends the request) ->
// Send Code: the code must be the device's current one -> the request moves to approved (or
// code_sent) exactly once, and the waiting page, on any instance, is woken.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { account, device, pendingSignIn, securityEvent, site } from '../../../db/schema.ts';
import { describeBrowser } from '../../../lib/describe-browser.ts';
import { isUuid } from '../../../lib/is-uuid.ts';
import { open } from '../../../lib/secret-box.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { logSecurityEvent, type SecurityEventInput, securityEventRow } from '../../../security-log/security-events.ts';
import type { CallingDevice } from '../../methods/push/device-call.ts';
import { sameNumber } from '../../methods/push/number-match.ts';
import { requestTopic } from '../../methods/push/push-services.ts';
import { answerRequest, findRequest, type SignInRequest, statusOf } from '../../methods/push/sign-in-requests.ts';
import { checkTotpCode } from '../../methods/totp/index.ts';
import { push } from '../../second-factors/push/index.ts';
import { endSession } from '../../sessions.ts';
import { SECOND_FACTOR_FAILURE_CAP } from '../../throttle/index.ts';
import type { AuthServices } from '../deps.ts';
import { type ApiResult, apiRefused } from './api-answer.ts';
import { signInDeniedEmail } from './emails.ts';

const answerClaims = z.object({
  requestId: z.string().refine(isUuid),
  decision: z.enum(['approve', 'deny', 'send_code']),
  number: z.string().max(8).optional(),
  code: z.string().max(12).optional(),
});

export type AnswerOutcome = 'approved' | 'denied' | 'code_sent';

export async function answerSignInRequest(
  services: AuthServices,
  from: CallingDevice,
  claims: Record<string, unknown>,
  now = new Date(),
): Promise<ApiResult<AnswerOutcome>> {
  const result = await answer(services, from, claims, now);
  services.metrics.push.answers.inc({ outcome: result.ok ? result.value : result.error });
  return result;
}

async function answer(services: AuthServices, from: CallingDevice, claims: Record<string, unknown>, now: Date): Promise<ApiResult<AnswerOutcome>> {
  const parsed = answerClaims.safeParse(claims);
  if (!parsed.success) return apiRefused('invalid');
  const a = parsed.data;
  const request = await findRequest(services.db, a.requestId);
  // Another account's request is not this device's to answer, nor to learn of.
  if (!request || request.accountId !== from.accountId) return apiRefused('invalid');
  const still = statusOf(request, now);
  if (still === 'expired' || still === 'superseded') return apiRefused('expired');
  if (still !== 'pending') return apiRefused('answered');

  if (a.decision === 'deny') return deny(services, from, request, now);

  const admission = await services.secondFactorThrottle.reserve(from.accountId);
  if (!admission.ok) {
    services.refusals.throttled.note('second_factor');
    return apiRefused('throttled', admission.ok === false && admission.reason === 'throttled' ? admission.retryAfterSeconds : undefined);
  }
  const who = { accountId: from.accountId, siteId: request.siteId, ip: request.ip, userAgent: request.userAgent };
  const failed = async (reason: string, ends: boolean) => {
    const { lockouts, capReached } = await services.secondFactorThrottle.failed(admission);
    if (ends) await answerRequest(services.db, request.id, from.accountId, { status: 'wrong_number', deviceId: from.id }, now);
    const events: SecurityEventInput[] = [
      { ...who, event: 'second_factor_failed', detail: { method: push.id, reason, device: from.name, requestId: request.id, place: request.place } },
    ];
    if (lockouts.length > 0) events.push({ ...who, event: 'second_factor_throttled', detail: { method: push.id, waitSeconds: lockouts[0]!.waitSeconds } });
    if (capReached) events.push({ ...who, event: 'second_factor_locked', detail: { failures: SECOND_FACTOR_FAILURE_CAP } });
    await services.db.insert(securityEvent).values(events.map(securityEventRow));
    for (const e of events) logSecurityEvent(services.log, e);
    if (ends) await services.authenticator.wakeups.notify(requestTopic(request.id));
  };

  if (!sameNumber(request.number, a.number)) {
    // A guess has one try: the request ends, and the sign-in screen offers a new one.
    await failed('wrong_number', true);
    return apiRefused('wrong_number');
  }
  if (a.decision === 'send_code') {
    const check = from.sealedSecret
      ? checkTotpCode(open(services.keys.encryption, from.sealedSecret), a.code ?? '', { now, lastStep: from.lastTotpStep })
      : undefined;
    const claimed =
      check?.ok === true
        ? await services.db
            .update(device)
            .set({ lastTotpStep: check.step })
            .where(and(eq(device.id, from.id), or(isNull(device.lastTotpStep), sql`${device.lastTotpStep} < ${check.step}`)))
            .returning({ id: device.id })
        : [];
    if (claimed.length === 0) {
      await failed(check?.ok === false ? check.reason : 'replayed', false);
      return apiRefused('wrong_code');
    }
  }
  const status = a.decision === 'send_code' ? 'code_sent' : 'approved';
  // The waiting page is woken by the answer's own statement, and first: the throttle's bookkeeping need not hold it up.
  // The wake-up carries the new status: the page's stream writes it without reading the row back.
  const wake = services.authenticator.wakeups.notifying(requestTopic(request.id), status);
  const answered = await answerRequest(services.db, request.id, from.accountId, { status, deviceId: from.id }, now, wake);
  await services.secondFactorThrottle.succeeded(admission, from.accountId);
  if (!answered) return late(services, request.id);
  return { ok: true, value: status };
}

/** Answered meanwhile by another call, or its attempt ended (signed in some other way): which, for the app to say. */
async function late(services: AuthServices, requestId: string) {
  const now = await findRequest(services.db, requestId);
  return apiRefused(now && now.status !== 'pending' ? 'answered' : 'expired');
}

/** "It wasn't me": denied once, the attempt ended, logged, emailed; counted like a wrong code. */
async function deny(services: AuthServices, from: CallingDevice, request: SignInRequest, now: Date): Promise<ApiResult<AnswerOutcome>> {
  const { db } = services;
  const denied = await answerRequest(db, request.id, from.accountId, { status: 'denied', deviceId: from.id }, now);
  if (!denied) return late(services, request.id);
  const [where] = await db.select({ name: site.name, slug: site.slug, timeZone: site.timeZone }).from(site).where(eq(site.id, request.siteId));
  const who = { accountId: from.accountId, siteId: request.siteId, ip: request.ip, userAgent: request.userAgent };
  const event: SecurityEventInput = {
    ...who,
    event: 'sign_in_request_denied',
    detail: { device: from.name, requestId: request.id, place: request.place },
  };
  const [owner] = await db.select({ email: account.email }).from(account).where(eq(account.id, from.accountId));
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: where?.timeZone ?? 'Europe/London' }).format(
    request.createdAt,
  );
  await db.transaction(async (tx) => {
    // The attempt ends: the sign-in waiting at its second step, or the session that asked.
    await tx.delete(pendingSignIn).where(eq(pendingSignIn.id, request.ownerId));
    // Through sessions.ts, as every session ends: its school systems' sign-ins end with it.
    await endSession(tx, request.ownerId, 'sign_in_request_denied');
    await tx.insert(securityEvent).values(securityEventRow(event));
    if (owner && where)
      await enqueueMail(tx, services.keys.encryption, {
        to: owner.email,
        kind: 'sign_in_request_denied',
        ...signInDeniedEmail({
          siteName: where.name,
          loginUrl: signInUrl(services.config.publicUrl, where.slug),
          when,
          browser: describeBrowser(request.userAgent),
          place: request.place ?? 'unknown place',
          attribution: services.authenticator.places.attribution,
        }),
      });
  });
  logSecurityEvent(services.log, event);
  services.mail.kick();
  await services.authenticator.wakeups.notify(requestTopic(request.id));
  // Counted as a failure: prompts sent until someone taps Approve stop themselves.
  const admission = await services.secondFactorThrottle.reserve(from.accountId);
  if (admission.ok) await services.secondFactorThrottle.failed(admission);
  return { ok: true, value: 'denied' };
}
