// The composition root's services: everything that lives as long as the process, made once
// here and passed down. The flows see them as AuthServices (auth/flows/deps.ts); the web layer
// also has the door's admission (the event loop's lateness, the busy page, refusal counts).
import type { Logger } from 'pino';
import { HashingGate, PasswordMethod } from './auth/methods/password/index.ts';
import { WebPushDelivery } from './auth/methods/push/web-push.ts';
import { ResetRequestThrottle, SecondFactorThrottle, SignInThrottle } from './auth/throttle/index.ts';
import type { Config } from './config.ts';
import { DatabaseAvailability } from './db/availability.ts';
import { type Db, type Listen, migrationsApplied } from './db/connect.ts';
import { Wakeups } from './db/wakeups.ts';
import { findIntegrationByClientId } from './directory/integrations.ts';
import { CountedWarning } from './lib/counted-warning.ts';
import { deriveKeys } from './lib/keys.ts';
import { Metrics } from './lib/metrics.ts';
import { dbIpCityFiles, Places } from './lib/places.ts';
import { oidcPaths, sitePaths } from './lib/urls.ts';
import { outboxBacklog } from './mail/outbox.ts';
import { MailSender } from './mail/sender.ts';
import { createMailTransport } from './mail/transport.ts';
import { OidcService } from './oidc/service.ts';
import { SignInAdmission } from './web/admission.ts';
import { cookieName, SESSION_COOKIE } from './web/cookies.ts';
import { renderBusyReply } from './web/middleware/sign-in-admission.ts';
import { Readiness } from './web/readiness.ts';
import { providerPages } from './web/views/oidc-pages.tsx';
import type { WebServices } from './web/web-services.ts';

export type Services = WebServices;

/** `listen`: the database's LISTEN (db/connect.ts), for wake-ups from other instances. */
export async function createServices(config: Config, db: Db, log: Logger, secretKey: string, listen?: Listen): Promise<Services> {
  const metrics = new Metrics();
  const gate = new HashingGate({
    concurrency: config.hashConcurrency,
    queueLimit: config.hashQueueLimit,
    onRefused: () => metrics.hashingRefusals.inc({ where: 'queue' }),
  });
  metrics.observeHashing(() => ({ queued: gate.queued, active: gate.running, signInsInProgress: gate.inProgress }));
  metrics.observeOutbox(() => outboxBacklog(db));
  const keys = deriveKeys(secretKey);
  const passwords = await PasswordMethod.create(config.argon2, gate);
  const database = new DatabaseAvailability(db, log, metrics);
  // Started (listening) by startGatehouse.
  const wakeups = new Wakeups(db, listen, log);
  const oidc = new OidcService({
    config,
    db,
    keys,
    log,
    wakeups,
    metrics,
    findClient: (clientId) => findIntegrationByClientId(db, keys.encryption, clientId),
    pages: providerPages,
    interactionPath: oidcPaths.interaction,
    signInPath: (siteSlug, next) => sitePaths(siteSlug).signIn(next),
    sessionCookie: cookieName(config.secureCookies, SESSION_COOKIE),
  });
  // The signing key exists from the first start (and every instance reads the same).
  await oidc.prepare();
  return {
    config,
    db,
    log,
    keys,
    passwords,
    signInThrottle: new SignInThrottle(db),
    resetThrottle: new ResetRequestThrottle(db),
    secondFactorThrottle: new SecondFactorThrottle(db),
    // The place database is read on first use.
    authenticator: {
      wakeups,
      delivery: new WebPushDelivery(db, keys.encryption, config.webPush, log, metrics.push),
      places: new Places(config.geoipDb ?? dbIpCityFiles(), log, config.geoipDb === undefined || config.geoipDb.length > 0 ? undefined : null),
    },
    refusals: { throttled: new CountedWarning(log, 'attempts refused: too many failures (429)') },
    // Not sending until startGatehouse starts it.
    mail: new MailSender({
      db,
      key: keys.encryption,
      transport: createMailTransport(config),
      log,
      database,
      pollMs: config.mailPollMs,
      retry: config.mailRetry,
      support: config.support,
    }),
    admission: new SignInAdmission(gate, await renderBusyReply(config.secureCookies, config.support), log, metrics),
    oidc,
    metrics,
    database,
    readiness: new Readiness(database, () => migrationsApplied(db)),
  };
}
