// For each missed target: the cause, as the profiles showed it (`npm run bench -- --profile`
// profiles the servers during each measured window; bench/lib/cpu-profile.ts reads them), and
// which of the proposed changes below would close it. The prose is the analysis of those
// profiles and of EXPLAIN ANALYZE; the figures quoted are the run's own.
import type { Results, Target } from './results.ts';
import { round } from './stats.ts';

/** The changes to src/ proposed by the analysis, each named by a letter the findings refer to. */
export const PROPOSALS = `### Proposed changes to src/

**A. Fewer statements per sign-in (13 today, 6 after).** Today: the login page reads the site and "has the site SSO users?";
the POST reads both again, then the account, three throttle counters (rate-limiter-flexible reads one key per query), deletes the
account+address counter, checks for a second-factor device, inserts the session, updates \`last_login_at\` and inserts the security
event, each a round trip.
(1) \`Throttle.waitSeconds\` (src/auth/throttle.ts): one \`select key, points, expire from rate_limit where key = any($1)\` for all the
keys instead of one \`limiter.get()\` each, and \`succeeded()\` skips its delete when that read found no row for the account+address key
(the usual case);
(2) \`findSiteAccount\` (src/directory/accounts.ts) also returns \`exists(select 1 from device where device.account_id = account.id)\`,
so \`hasDevice\` needs no query of its own;
(3) \`startSession\` and \`recordSignedIn\` as one statement: \`with s as (insert into session … returning id), u as (update site_user set
last_login_at = now() where id = $n) insert into security_event (…) select … from s returning (select id from s)\`;
(4) \`loadSite\` (src/web/middleware/site.ts) reads \`site.*\` and \`exists(select 1 from site_user join account on … where site_user.site_id
= site.id and account.kind = 'sso') as has_sso\` in one query, and \`loginPageFor\` uses that instead of \`siteHasSsoUsers\`;
(5) the hot statements as Drizzle prepared statements (\`db.select()….prepare('find_site')\` with \`sql.placeholder\`), which skip
Drizzle's query building (\`buildQueryFromSourceParams\`, \`is\`: 10–27% of the main thread in the profiles) and, on PostgreSQL, the
server's parse and plan.

**B. One statement per authenticated page.** \`findSession\` (src/auth/sessions.ts) also selects the site's postcode, trust_id,
time_zone and created_at, and \`exists(select 1 from device where device.account_id = account.id)\`; \`loadSite\` takes
\`c.var.signedIn.site\` when its slug is the one in the address; \`findSession\` as a prepared statement. (The HMAC keys as
KeyObjects, 12 µs an HMAC instead of 45 µs, proposed with it, are in since 3cb9127.)

**C. Sign-ins admitted at the door** (prototyped on a copy of src/ and measured with this benchmark; the diff,
bench/proposals/sign-in-admission.diff, applies to src/ as of 530a00c). (1) src/web/middleware/sign-in-admission.ts, mounted
in src/web/app.tsx as \`app.post('/:site/login', signInAdmission())\` between \`csrfProtection()\` and \`loadSession()\`: it reads the
form (already parsed for the CSRF check), sees whether the browser is known for that email (\`hmac(keys.knownBrowser,
normaliseEmail(email), 16)\` among the gatehouse_known cookie's tags) and asks a new \`HashingGate.admit(priority, saturated)\`, which
refuses a stranger when \`admitted >= concurrency + capacity\`, or when hashes are queueing and the event loop runs more than 50 ms
late (\`monitorEventLoopDelay\`, mean over the last 500 ms); a refusal is the 503 page rendered once, with no database work;
\`HashingGate.release()\` in a finally. (2) The priority lane for known browsers that it relies on is in since 37a859e.
(3) Beyond Node: a per-address connection and request-rate limit on POST /…/login at the reverse proxy that TRUST_PROXY already
assumes (nginx \`limit_conn\` / \`limit_req\`).

**D. Quick User Search: no doomed trigram probe** (src/directory/user-search.ts, being written while this was measured). A search
of 1–2 characters matches tens of thousands of people: go straight to the in-order walk (EXPLAIN ANALYZE on 100,000 users: 0.2 ms
for "a", 1.3 ms for "ja", against ~20 ms for probe-then-walk). For 3 or more characters keep the trigram page when it has at most
5,000 matches; when it overflows, the walk of a common fragment can read tens of thousands of rows ("ttom": 45,761 rows filtered
out, 60 ms), so an index that leads with site_id (btree_gin's \`(site_id, lower(full_name || ' ' || email) gin_trgm_ops)\`, if the
extension is available on both databases) would keep the probe to this school's matches and make the overflow rarer.

**E. Cold start.** (1) V8's compile cache: in since 3cb9127 (NODE_COMPILE_CACHE in \`npm start\`; measured before it went in,
median of 4 starts 3.0 s → 2.65 s). (2) In since 8337496: JavaScript compiled at install (\`npm run build\`, run as \`prepare\`: \`tsc\`
into dist/ with \`rewriteRelativeImportExtensions\`, plus what src/ reads beside its modules, and drizzle/), run by scripts/start.js,
which builds again first when src/ has changed since (a fingerprint of the sources' sizes and times). Measured the same hour,
alternating, 8 starts each: median 2.41 s through tsx → 1.79 s from tsc's output. The \`package_json_reader\` share was drizzle-orm:
Node parses a package's whole \`exports\` map (130 kB) again for every module it loads from it, some 440 modules; bundling
drizzle-orm into dist/vendor/ (esbuild, at the same build) took it to 1.22 s (\`npm run bench -- --only 7\`: 1.75–2.11 s before,
0.89–0.97 s after). (3) Opening PGlite while the web modules load: no gain (median of 10 alternating starts 984 ms without, 982
ms with), not kept. What is left is mostly PGlite opening the database (its WebAssembly and JavaScript, about a third).
`;

export function findings(t: Target, r: Results): string {
  const f = r.figures;
  const pg = r.database.kind === 'postgres';
  switch (t.id) {
    case 'sign-in-throughput': {
      const s = f.signInThroughput!;
      const hash = s.hashBound.oneHashMs;
      const { serverCpuMsPerSignIn: server, machineCpuMsPerSignIn: machine } = s.signIns.best;
      const peer = f.peer?.signIn.best;
      return [
        `*Cause.* The bound is argon2id alone on both cores. A sign-in costs ${server} ms of CPU in the Gatehouse process and ${machine} ms machine-wide`,
        `(${pg ? "PostgreSQL's backends and the load generator share the same cores" : 'the embedded database runs inside the Gatehouse process; the load generator shares the cores'}),`,
        `of which one hash is ${hash} ms: at most ${Math.round((hash / machine) * 100)}% of the bound is reachable as the code stands.`,
        `The profile of the measured window: ${pg ? '`writev` (a syscall per query and per response; on loopback the receiving side\'s TCP work runs inside it) ~26% of the main thread, Drizzle\'s query building ~15%, then hono and pg' : "PGlite (its WebAssembly Postgres and protocol code) over half of the main thread, Drizzle's query building ~10%"}:`,
        `the cost of 13 statements per sign-in.`,
        peer ? `better-auth, measured right after, needs ${peer.serverCpuMsPerSignIn} ms in its process per sign-in (about 5 statements, and no login page).` : '',
        `*What would close it.* The non-hash CPU per sign-in has to fall from ${round(machine - hash)} ms to about ${round(hash / 9)} ms for 90%: change A is the`,
        `biggest step in reach${pg ? '; where PostgreSQL has cores of its own, as in production, its share leaves this machine\'s budget' : '; embedded, each statement saved is event-loop time saved'}.`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'sign-in-latency': {
      const l = f.signInLatency!;
      return [
        `*Cause.* p50 ${l.postMs.p50} ms is one hash (${l.oneHashMs} ms) plus ${round(l.postMs.p50 - l.oneHashMs)} ms of the POST's other work: 11 statements one after another,`,
        `each a round trip${pg ? '' : ' through the embedded database on the event loop'}; the tail (p99 ${l.postMs.p99} ms) is that work queued behind a neighbour's.`,
        `*What would close it:* change A (6 statements instead of 11 takes about half the non-hash time off every sign-in).`,
      ].join(' ');
    }
    case 'authenticated-page': {
      const a = f.authenticatedPage!;
      return [
        `*Cause.* The bare handler costs ${a.bareServerCpuMs} ms of server CPU a request; the Dashboard ${a.pageServerCpuMs} ms: three statements (the session joined with`,
        `account, site user, site and group; the site by slug again for the route; "has a second-factor device"), the CSRF cookie's HMAC, the security headers`,
        `and the page's JSX. ${pg ? 'Profile: Drizzle query building ~27% of the main thread, `writev` ~15%, hono ~9%, pg ~5%.' : 'Profile: PGlite about half of the main thread, Drizzle ~12%.'}`,
        `A single database round trip costs more than the whole bare request, so ≥ 50% of a handler that reads nothing is out of reach for any page that checks its`,
        `session in the database, which Gatehouse must (sign-out and timeouts take effect at once, on every instance). *What would close most of the gap:* change B.`,
        `A fair target would compare with a bare handler that makes one indexed read.`,
      ].join(' ');
    }
    case 'peer-sign-in': {
      const p = f.peer!;
      return [
        `*Cause.* Both wait on the same argon2id hash; the rest of a sign-in costs Gatehouse ${f.signInThroughput?.signIns.best.serverCpuMsPerSignIn ?? '?'} ms of CPU in its process and`,
        `better-auth ${p.signIn.best.serverCpuMsPerSignIn} ms: Gatehouse also serves the login page with its CSRF token, reads three throttle counters and writes a security event,`,
        `13 statements against about 5. *What would close it:* change A.`,
      ].join(' ');
    }
    case 'peer-session': {
      const p = f.peer!;
      return [
        `*Cause.* better-auth's get-session is one session read and a JSON body (${round(p.sessionCheck.serverCpuMsPerRequest ?? Number.NaN, 2)} ms of server CPU); Gatehouse's`,
        `figure is a whole rendered page behind three statements (${f.authenticatedPage?.pageServerCpuMs ?? '?'} ms). *What would close it:* change B.`,
      ].join(' ');
    }
    case 'search': {
      const worst = [...f.search!.perQuery].sort((a, b) => b.p95 - a.p95).slice(0, 4);
      return [
        `*Cause.* The slowest: ${worst.map((q) => `"${q.q}" p95 ${q.p95} ms`).join(', ')}. Quick User Search first asks the trigram index for at most 5,000`,
        `matches and sorts them, and when there are more, walks the site in surname order: two statements, each in a transaction with SET LOCAL. Searches of 1–2`,
        `characters always overflow the probe and pay for both; a common fragment's walk can read tens of thousands of rows (EXPLAIN ANALYZE in change D).`,
        `*What would close it:* change D.`,
      ].join(' ');
    }
    case 'flood-rss': {
      const fl = f.flood!;
      return [
        `*Cause.* The idle server is already at ${fl.rssBeforeMiB} MiB${pg ? '' : ' (PGlite, its WebAssembly Postgres and its memory, is ~300 MiB of it, in the Gatehouse process; start-up peaks near 1 GiB)'};`,
        `during the flood the V8 heap grows with the attempts in flight (heap used ${fl.memoryBefore.heapUsed ?? '?'} → ${fl.memoryAtEnd.heapUsed ?? '?'} MiB): each waiting attempt holds its`,
        `request, form, pending queries and a child logger. *What would close it:* change C, which keeps refused attempts from holding anything past their 503`,
        `(measured, quick mode on PostgreSQL: heap used at the 10 s flood's end 187 → 101 MiB, though its peak RSS was about the same, 431 and 436 MiB; the 30 s`,
        `flood, where the heap reached ~330 MiB without it, has not been measured with it)${pg ? '.' : ';'}`,
        pg ? '' : 'embedded, PGlite alone is near the limit, so 512 MiB is a target for PostgreSQL, the production database.',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'flood-real-user': {
      const fl = f.flood!;
      const refused = fl.real.failures['503'] ?? 0;
      return [
        `*Cause, from the flood's profile.* Every attempt, refused or not, does its database work before the hashing gate is asked: \`loadSite\` reads the site,`,
        `\`loginPageFor\` asks whether it has SSO users, \`signIn\` reads the account and three throttle counters, and only then does \`PasswordMethod.check\` find the`,
        `queue full and throw \`HashingBusy\`. With ${fl.connections} attempts in flight the ${pg ? "connection pool's queue" : "embedded database's queue, on the event loop,"} holds`,
        `thousands of statements, and the real person's page and form wait behind them (p50 ${fl.real.ms.p50} ms; ${Object.entries(fl.real.failures).map(([k, v]) => `${v} × ${k}`).join(', ') || 'no failures'}).`,
        refused > 0 ? `${refused} of the real person's ${fl.real.attempted} attempts got the 503 although their browser had signed in to that account before.` : '',
        `(While flooded the server used ${fl.cpu?.serverCores} cores and the load generator ${fl.cpu?.generatorCores}.)`,
        `*What would close part of it:* change C. Measured with this benchmark (quick mode, the diff applied to src/ as of 530a00c, one run each): attempts`,
        `answered per second 257 → 1,357 on PostgreSQL and 259 → 1,155 embedded, no connection resets, the heap's growth during the flood halved, and on PostgreSQL`,
        `the real sign-ins' p50 12.7 s → 7.7 s; but 6 of 9 succeeded against 9 of 9 without it, and embedded 2 of 9 either way, none within 2 s. So it makes`,
        `refusals cheap and keeps the flood off the database, and it does not meet the target. What remains is the event loop: ${fl.connections} connections that`,
        `resend the moment they are answered keep it saturated, and each of the real person's two requests (and, embedded, their new connection: its accept waits`,
        `too) queues behind ~2,000 others at ~0.7–0.9 ms of main thread each. Closing that needs the flood stopped before Node (C3), or a refusal path an order of`,
        `magnitude cheaper than today's middleware chain (request logger, security headers, cookie parsing, CSRF HMAC, form parsing) for an attempt that will be refused,`,
        `which the diff does not change.`,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'flood-5xx':
      return `*Cause.* Responses other than the deliberate 503 came back 5xx: the statuses are in the run's JSON, the server's log in its DATA_DIR/bench-logs.`;
    case 'cold-start': {
      const c = f.coldStart!;
      // Runs from before change E started TypeScript through tsx.
      if (c.command.includes('tsx')) {
        return [
          `*Cause.* ${c.medianMs} ms from spawning node to the first 200. The start-up profile (node --cpu-prof, whole life): module loading dominates — tsx compiling`,
          `every TypeScript file (~14%), Node resolving package.json scopes for each import (\`package_json_reader\` ~18%), compiling modules (~10%) — then PGlite`,
          `opening the database (its WebAssembly ~15%, its JavaScript ~6%) and GC (~9%); Gatehouse's own start-up code is under 2%. *What would close it:* change E.`,
        ].join(' ');
      }
      return [
        `*Cause.* ${c.medianMs} ms from spawning node to the first 200, from dist/ (a stale one is built again by the unmeasured first start). The start-up`,
        `profile (node --cpu-prof, whole life) is mostly PGlite opening the database (its WebAssembly ~22%, its JavaScript ~11%), then module loading and GC:`,
        `a slow machine or a busy one (the load average is in the heading) before anything else. See change E.`,
      ].join(' ');
    }
    default:
      return '';
  }
}
