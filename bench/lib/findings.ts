// For each missed target: the cause, as the profiles showed it (`npm run bench -- --profile`
// profiles the servers during each measured window; bench/lib/cpu-profile.ts reads them), and
// which of the changes made (below) bear on it. The prose is the analysis of those
// profiles and of EXPLAIN ANALYZE; the figures quoted are the run's own.
import type { Results, Target } from './results.ts';
import { round } from './stats.ts';

/** The changes made to src/ for these targets, each named by a letter the findings refer to. */
export const CHANGES = `### Changes made for these targets

Same-machine comparisons below are quick runs on PostgreSQL, the code before (7cff1cc) and after, back to back (AMD EPYC,
2 cores, 2026-11-21); every other figure in this file is the run's own.

**A. Five statements per password sign-in instead of thirteen** (src/auth/flows/sign-in/, src/auth/throttle.ts,
src/directory/accounts.ts, src/directory/sites.ts). The site is one prepared statement, and all the login page reads; whether it
has SSO users (which reads the site's users: all of them at a site without SSO) is asked at most once a minute per site; the account is read with \`exists(device)\`, at the same time as the throttle's counters, which are one
\`select … where key in (…)\` for every key instead of rate-limiter-flexible's one query per key (its writes are still its own);
the success clears the address's counter only when the read found one; the session, the site user's \`last_login_at\` and the
security log's line are one statement (\`with new_session as (insert …), last_login as (update …) insert into security_event …\`),
so none is ever written without the others. Same machine: server CPU per sign-in 17.8 → 16.6 ms, machine-wide 22.3 → 19.4 ms,
sign-ins ÷ better-auth's 0.72 → 1.02 (better-auth's own figure moves by ±15% from run to run on this machine).
test/integration/statements-per-request.test.ts counts the statements at the drivers.

**B. One statement per authenticated page instead of three** (src/auth/sessions.ts, src/web/middleware/site.ts,
src/web/signed-in-here.tsx, src/db/prepared.ts). \`findSession\` reads the session with its account, site user, whole site and
group, whether the account has a device, and an SSO account's schools (\`json_agg\`), as one prepared statement (named on a
PostgreSQL server, so each pooled connection parses and plans it once; unnamed through the embedded database's socket, where
names would collide in PGlite's single session); \`loadSite\` takes the session's own site. After a form (which may have added
the first device) the device question is asked again. Same machine: 795.6 → 2,044 pages/s, server CPU 1.20 → 0.49 ms a page;
session checks ÷ better-auth's get-session 0.73 → 1.97.

**C. Sign-ins admitted at the door.** (1) \`HashingGate.admit(priority, saturated)\` refuses a stranger when as many sign-ins are
in progress as the gate could hash within \`maxWaitMs\`, or when hashes are queueing and the event loop runs more than 50 ms late
(\`monitorEventLoopDelay\`, mean over 500 ms); a browser known for that email (its gatehouse_known tag) is always admitted, and
hashed in the priority lane. (2) src/web/front-door.ts, a Node request listener in front of Hono's: while the gate refuses
strangers, POST /<site>/login without a known-browser tag gets the 503 page rendered once (same bytes for every email, no cookie,
no database, no log line: a count every 10 s) before the Request, the request logger, the security headers, the cookies, the CSRF
HMAC and the form; one that claims to be known has its small form read there and the tag checked, so a forged cookie costs one
HMAC more. (3) src/web/middleware/sign-in-admission.ts, after \`csrfProtection()\`, admits and counts every sign-in that gets that
far. (4) Beyond Node: per-address limits on POST /…/login at the reverse proxy (nginx \`limit_conn\` / \`limit_req\`, README's
throttling section). Same machine, 10 s flood on PostgreSQL: real sign-ins 7/9 (p50 10.6 s) → 9/9 (p50 1.2 s), attempts answered
282/s → 4,417/s, peak RSS 498 → 342 MiB. (5) The embedded database keeps 32 MB of shared buffers instead of PostgreSQL's 128 MB
(src/db/connect.ts): RSS ~345 → ~250 MiB for the same work.

**D. Quick User Search: one index for the site, read band by band** (src/directory/user-search.ts, drizzle/0008–0009). The
trigram index leads with one key for the site and a coarse band of the surname order (btree_gin, on both databases:
\`(site_id::text || '/' || width_bucket(sort_name, array['b','e','j','n','s','w']), translate(lower(full_name || ' ' || email), '''’', 'qq') gin_trgm_ops)\`),
so a probe sees only this school's matches in one band, and one statement takes the bands in order, sorting the first band's
matches (at most 5,000; more, and that band is walked in surname order from its start). A search of 1–2 characters walks first
(up to 2,000 users, stopping at the end of the page: EXPLAIN ANALYZE 0.3 ms for "a"), then probes from where the walk stopped.
Apostrophes are letters in the index, so "o'n" is the trigram "oqn" instead of the word start "  n" (64,131 candidates across
the sites before). No SET LOCAL, no transaction. p95 at 100,000 users on PostgreSQL: "o'n" 248 → ~7 ms, "a" 124 → ~1.4 ms
(before: the previous session's run, on another CPU).

**E. Cold start.** (1) V8's compile cache (NODE_COMPILE_CACHE in \`npm start\`). (2) \`npm start\` runs dist/, src/ compiled by
tsc at install (\`prepare\`), checked against a fingerprint of the sources at each start (a stale one is built again first).
(3) drizzle-orm bundled into dist/vendor/ by esbuild: Node parsed its 130 kB \`exports\` map again for each of its ~440 modules, a
third of the start-up. Same machine, alternating: 2,113 → 967 ms and 1,748 → 894 ms (medians of 3). Opening PGlite while the
modules load was tried and measured: no gain (median 984 vs 982 ms of 10), so it is not in.
`;

export function findings(t: Target, r: Results): string {
  const f = r.figures;
  const pg = r.database.kind === 'postgres';
  switch (t.id) {
    case 'sign-in-throughput': {
      const s = f.signInThroughput!;
      // A hash's share of the machine when both cores hash (the bound), not one hash alone.
      const hash = round((r.machine.cores * 1000) / s.hashBound.hashesPerSecond, 2);
      const best = s.signIns.best;
      const { serverCpuMsPerSignIn: server, machineCpuMsPerSignIn: machine } = best;
      const others = [
        best.generatorCpuMsPerSignIn !== undefined ? `the load generator ${best.generatorCpuMsPerSignIn} ms` : '',
        pg && best.postgresCpuMsPerSignIn !== undefined ? `PostgreSQL's processes ${best.postgresCpuMsPerSignIn} ms` : '',
      ].filter(Boolean);
      return [
        `*Cause.* The bound is argon2id alone on both cores; a sign-in is also two HTTP requests on a new connection (the page with its`,
        `CSRF token, then the form) and five statements, on the same two cores. Per sign-in: ${machine} ms of CPU machine-wide, of which a`,
        `hash ${hash} ms (${r.machine.cores} cores ÷ the bound), the Gatehouse process ${round(server - hash)} ms more${others.length ? `, ${others.join(' and ')}` : ''}: about`,
        `${Math.round((hash / machine) * 100)}% of the bound is reachable here, measured ${Math.round(s.ratio * 100)}%. For 90% everything but the hash would have to fit in`,
        `${round(hash / 9)} ms, about what ${pg ? 'the load generator and PostgreSQL alone need' : 'the load generator alone needs'}; better-auth, which serves no page and no CSRF token,`,
        `needs ${f.peer?.signIn.best.machineCpuMsPerSignIn ?? '?'} ms machine-wide. The server's main thread (profile of a quick run): \`writev\` about a quarter (a syscall`,
        `per response and per statement, and on loopback the receiving side's TCP work runs inside it), Drizzle ~8%, hono ~6%. Raising the`,
        `hashing gate's concurrency to 3 was measured (two full runs each, alternating): 66–68% against 66–69%, no change. What is left is`,
        `within reach only by moving work off these cores: in production the clients${pg ? ' and PostgreSQL are' : ' are'} elsewhere, and the server's own CPU`,
        `is then ${Math.round((hash / server) * 100)}% hashing.`,
      ].join(' ');
    }
    case 'sign-in-latency': {
      const l = f.signInLatency!;
      return [
        `*Cause.* p50 ${l.postMs.p50} ms is one hash (${l.oneHashMs} ms) plus ${round(l.postMs.p50 - l.oneHashMs)} ms of the POST's other work (the middleware, four`,
        `statements${pg ? '' : ' on the event loop, in the embedded database'}, the redirect); p95 ${l.postMs.p95} ms. The limit, two hashes, is ${l.limitMs} ms, so the tail`,
        `(p99 ${l.postMs.p99} ms) is a sign-in that waited for a hash slot behind a neighbour's${pg ? '' : ", or for a statement behind a neighbour's on the one thread"},`,
        `or for a core the load generator${pg ? ' or PostgreSQL' : ''} had (they share both).`,
        `*What would close it:* ${pg ? 'cores not shared with the clients and the database, as in production.' : 'a PostgreSQL server: its figure, in the same kind of run, is the production one.'}`,
      ].join(' ');
    }
    case 'authenticated-page': {
      const a = f.authenticatedPage!;
      return [
        `*Cause.* The bare handler reads nothing and costs ${a.bareServerCpuMs} ms of server CPU a request; the Dashboard ${a.pageServerCpuMs} ms: one`,
        `statement (change B), the CSRF cookie's HMAC, the security headers, the request log line and the page's JSX. One database round trip costs`,
        `more than the whole bare request: the same bare handler after the one indexed read a checked session needs serves`,
        `${a.oneReadPerSecond ?? '?'}/s, and the Dashboard is ${a.ratioToOneRead === undefined ? '?' : `${Math.round(a.ratioToOneRead * 100)}%`} of that.`,
        `${pg ? 'Profile: `writev` about a third of the main thread (a syscall per response and per statement), hono ~13%, pg ~5%, Drizzle ~3%.' : "Embedded, the statement runs in PGlite on the same thread, and is planned afresh each time: EXPLAIN ANALYZE of it, planning 1.6 ms against 0.14 ms executing. On PostgreSQL it is a named prepared statement, planned once per connection; PGlite's API has no named statements (a plpgsql function would cache the plan, at the price of the query living in a migration)."}`,
        `≥ 50% of a handler that reads nothing is out of reach for any page that checks its session in the database, which Gatehouse must`,
        `(sign-out, a disabled account and timeouts take effect at once, on every instance); a cache in front of it would trade exactly that.`,
      ].join(' ');
    }
    case 'peer-sign-in': {
      const p = f.peer!;
      const ours = f.signInThroughput?.signIns.best;
      return [
        `*Cause.* Both wait on the same argon2id hash. Gatehouse's sign-in costs ${ours?.serverCpuMsPerSignIn ?? '?'} ms of CPU in its process and`,
        `${ours?.machineCpuMsPerSignIn ?? '?'} ms machine-wide; better-auth's ${p.signIn.best.serverCpuMsPerSignIn} and ${p.signIn.best.machineCpuMsPerSignIn} ms: better-auth's sign-in is one JSON request`,
        `(no page, no CSRF token: it checks Origin), Gatehouse's two, the page being part of what a person does. Across runs on this machine`,
        `the ratio has ranged 0.84–1.11 (better-auth's own figure moves ±15%); it was 0.72 before change A.`,
      ].join(' ');
    }
    case 'peer-session': {
      const p = f.peer!;
      return [
        `*Cause.* better-auth's get-session is one session read and a JSON body (${round(p.sessionCheck.serverCpuMsPerRequest ?? Number.NaN, 2)} ms of server CPU); Gatehouse's`,
        `figure is a whole rendered page behind one statement (${f.authenticatedPage?.pageServerCpuMs ?? '?'} ms)${pg ? '.' : ', and embedded that statement (five tables joined) is planned afresh in PGlite, on the same thread, for every page (see 3).'}`,
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
        `*Cause.* The idle server is already at ${fl.rssBeforeMiB} MiB${pg ? '' : ' (PGlite, its WebAssembly Postgres with its 32 MB of shared buffers, is ~250 MiB of it, in the Gatehouse process; the first start, which runs initdb, peaks near 1 GiB)'};`,
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
        `${
          Object.entries(fl.real.failures)
            .map(([k, v]) => `${v} × ${k}`)
            .join(', ') || 'no failures'
        }).`,
        refused > 0
          ? `${refused} of the real person's ${fl.real.attempted} attempts got the 503 although their browser had signed in to that account before.`
          : '',
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
    case 'staff-import': {
      const im = f.staffImport!;
      return [
        `*Cause.* Apply writes each kind of change in one statement (the rows as one JSON parameter: src/db/json-rows.ts), so what is left is`,
        `the database's own work on ${im.rows} rows of site_user (its trigram search index above all) and account, and with first-time emails as many`,
        `reset links and sealed mails${pg ? '' : ', on the same thread as everything else (PGlite)'}. A busy machine stretches all of it: the load average of each`,
        `round is in the details line.`,
      ].join(' ');
    }
    case 'oidc-flows': {
      const o = f.oidcFlows!;
      return [
        `*Cause.* A flow cost ${o.cpuMsPerCodeFlow} ms of the process's CPU against a sign-in's ${o.cpuMsPerSignIn} ms: the same password and hash, and`,
        `three more exchanges (the system's request, the code, the token) and the interaction's page, 17 statements in all against the sign-in's 5`,
        `(test/integration/statements-per-request.test.ts). The target assumes the hash dominates; at the OWASP floor argon2id is ${f.signInThroughput?.hashBound.oneHashMs ?? '~15'} ms here,`,
        `and oidc-provider by itself (its in-memory adapter, no page, no database, no password) costs ${o.providerAlone.cpuMsPerFlow} ms a flow with the same client:`,
        `a flow that added only that to a sign-in would run at ${o.ratioCeiling} of its rate, before any statement is counted. The 12 statements the`,
        `flow must add (the interaction, the grant and session, the code and tokens, each written and read back at another step, perhaps at another`,
        `instance) take it further below. *What would close it:* nothing Gatehouse can remove: the ratio rises where the hash costs more beside an`,
        `HTTP exchange (higher ARGON2_* settings, which slow every sign-in too), or with the provider's short-lived artefacts kept out of the`,
        `database, which would stop every instance sharing them.`,
      ].join(' ');
    }
    case 'push-round-trip': {
      const p = f.pushRoundTrip!;
      return [
        `*Cause.* p50 ${p.two.p50} ms but p99 ${p.two.p99} ms over ${p.rounds} round trips: the path is 13 statements in sequence (5 on the instance`,
        `the phone reaches, to the NOTIFY; 1 on the waiting page's; 7 in the page's form post, most of them commits), each a WAL flush and a`,
        `chance to be descheduled. On a shared 2-core machine the tail is the machine's: a round trip's slow one is slow in every step`,
        `(bench/measure-push-round-trip.ts, traced). *What would close it:* a quieter machine; fewer commits on the path (the pending`,
        `sign-in's end and the session it becomes are still two statements).`,
      ].join(' ');
    }
    default:
      return '';
  }
}
