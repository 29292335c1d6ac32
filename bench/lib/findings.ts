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

**C. Sign-ins admitted at the door** (in since 6384e2c). (1) \`HashingGate.admit(priority, saturated)\` refuses a stranger when
as many sign-ins are in progress as the gate could hash within \`maxWaitMs\`, or when hashes are queueing and the event loop runs
more than 50 ms late (\`monitorEventLoopDelay\`, mean over the last 500 ms); a browser known for that email (its gatehouse_known tag)
is always admitted. (2) src/web/front-door.ts, a Node request listener in front of Hono's: while the gate refuses strangers, POST
/<site>/login without a known-browser tag gets the 503 page rendered once (same bytes for every email, no cookie, no database,
no log line: a count every 10 s), before the Request, the request logger, the security headers, the cookies, the CSRF HMAC and the
form; one that claims to be known has its small form read there and the tag checked, so a forged cookie costs one HMAC more.
(3) src/web/middleware/sign-in-admission.ts after \`csrfProtection()\` admits and counts every sign-in that gets that far, and
releases it when answered. (4) Beyond Node: a per-address connection and request-rate limit on POST /…/login at the reverse proxy
that TRUST_PROXY already assumes (nginx \`limit_conn\` / \`limit_req\`, README's throttling section).

**D. Quick User Search: one index for the site, read band by band** (src/directory/user-search.ts, drizzle/0008–0009). The
trigram index now leads with one key for the site and a coarse band of the surname order (btree_gin, on both databases:
\`(site_id::text || '/' || width_bucket(sort_name, array['b','e','j','n','s','w']), translate(lower(full_name || ' ' || email), '''’', 'qq') gin_trgm_ops)\`),
so a probe sees only this school's matches in one band, and one statement takes the bands in order, sorting the first band's matches
(at most 5,000; more, and that band is walked in surname order from its start). A search of 1–2 characters walks first (up to 2,000
users, stopping at the end of the page: EXPLAIN ANALYZE 0.3 ms for "a"), then probes from where the walk stopped. Apostrophes are
letters in the index, so "o'n" is the trigram "oqn" instead of the word start "  n" (64,131 candidates across the sites before). No
SET LOCAL and no transaction.

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
        `*Cause.* The slowest: ${worst.map((q) => `"${q.q}" p95 ${q.p95} ms`).join(', ')}. Quick User Search (change D, in) asks the trigram index`,
        `site_user_site_search, which leads with one key for the site and a band of the surname order, band by band, and sorts the first band with matches;`,
        `a search of 1–2 characters first walks up to 2,000 of the site's users in surname order. What is left is the heap: every match in that`,
        `band is read to be sorted, so a fragment of a common surname (about 1,000–2,000 matches in one band) costs a few milliseconds more`,
        `than one of a first name, whose matches are spread over the bands.`,
      ].join(' ');
    }
    case 'flood-rss': {
      const fl = f.flood!;
      return [
        `*Cause.* The idle server is already at ${fl.rssBeforeMiB} MiB${pg ? '' : ' (PGlite, its WebAssembly Postgres and its memory, is ~300 MiB of it, in the Gatehouse process; start-up peaks near 1 GiB)'};`,
        `during the flood the V8 heap grows (heap used ${fl.memoryBefore.heapUsed ?? '?'} → ${fl.memoryAtEnd.heapUsed ?? '?'} MiB) with the ${fl.connections} connections and the sign-ins`,
        `admitted (at most the gate's concurrency plus about a second of hashes); a refused attempt holds nothing past its 503 (change C)${pg ? '.' : ';'}`,
        pg ? '' : 'embedded, PGlite alone is near the limit, so 512 MiB is a target for PostgreSQL, the production database.',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'flood-real-user': {
      const fl = f.flood!;
      const refused = fl.real.failures['503'] ?? 0;
      return [
        `*Cause, from the flood's profile.* The flood's attempts are refused at the front door (change C) before any of Gatehouse's middleware, and cost`,
        `little past Node's own HTTP handling: parsing the request, and the response's \`writev\` (on loopback the receiving side's TCP work runs inside it).`,
        `But ${fl.connections} connections that resend the moment they are answered (${fl.attemptsPerSecond} attempts/s) keep the event loop busy, and each of the`,
        `real person's steps${pg ? '' : ', every statement too (PGlite runs on the same thread),'} queues behind a round of them (p50 ${fl.real.ms.p50} ms;`,
        `${Object.entries(fl.real.failures).map(([k, v]) => `${v} × ${k}`).join(', ') || 'no failures'}).`,
        refused > 0 ? `${refused} of the real person's ${fl.real.attempted} attempts got the 503 although their browser had signed in to that account before.` : '',
        `(While flooded the server used ${fl.cpu?.serverCores} cores and the load generator ${fl.cpu?.generatorCores}; on a machine other work keeps busy the`,
        `real person waits longer.) *What would close the rest:* stopping the flood before Node (C4: the proxy's per-address limits); inside Node a refusal`,
        `is already close to the cost of any HTTP response.`,
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
