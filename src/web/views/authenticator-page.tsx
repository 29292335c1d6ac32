// The Gatehouse Authenticator's one page, the shell its script (web/browser/authenticator/app.ts)
// fills in: the accounts with their codes, the pending sign-in requests, and adding an account.
// Nothing here is per-person (the accounts live on the phone), so the service worker caches it.
// The inputs have no names: they never reach a server as a form, only through the script.
export function AuthenticatorPage() {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Gatehouse Authenticator</title>
        <meta name="theme-color" content="#1f4e79" />
        <link rel="manifest" href="/authenticator/manifest.webmanifest" />
        <link rel="icon" type="image/png" href="/authenticator/icon-192.png" />
        <link rel="apple-touch-icon" href="/authenticator/icon-192.png" />
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/authenticator/app.css" />
        <script src="/static/js/authenticator.js" defer />
      </head>
      <body class="authenticator">
        <header class="topbar">
          <span class="brand">Gatehouse</span>
        </header>
        <main>
          <h1>Gatehouse Authenticator</h1>
          <noscript>
            <p class="message error">The Gatehouse Authenticator needs JavaScript: turn it on for this site, or use another authenticator app.</p>
          </noscript>
          <div id="app" hidden>
            <div id="app-status" role="status" class="live" />
            <p id="offline" class="message notice" hidden>
              Offline: codes still work. Sign-in requests show when this phone is back online.
            </p>
            <section aria-labelledby="requests-heading">
              <h2 id="requests-heading" tabindex={-1}>
                Sign-in requests
              </h2>
              <div id="requests-status" role="status" class="live" />
              <p id="notifications-offer" class="card notice-offer" hidden>
                Get a notification when a sign-in needs you, even with this app closed.{' '}
                <button type="button" id="notifications">
                  Turn on notifications
                </button>
              </p>
              <p id="no-requests">
                No sign-in requests are waiting. When you sign in on another screen, its request shows here: type the number shown on that screen to approve it.
                If you did not just sign in, press “It wasn't me”.
              </p>
              <ul id="requests" class="requests" />
            </section>
            <section aria-labelledby="accounts-heading">
              <h2 id="accounts-heading" tabindex={-1}>
                Accounts
              </h2>
              <p id="no-accounts">No accounts yet: add one below.</p>
              <ul id="accounts" class="accounts" />
            </section>
            <section aria-labelledby="add-heading" class="card add">
              <h2 id="add-heading">Add account</h2>
              <p>
                On a computer, sign in to Gatehouse and open Account Settings &gt; Security keys &gt; Add new device. Scan the QR code it shows, or paste its
                link here.
              </p>
              <button type="button" id="scan" class="primary">
                Scan QR code
              </button>
              <div id="scanner" hidden>
                <video id="camera" aria-label="Camera view for the QR code" muted playsinline />
                <button type="button" id="stop-scan">
                  Stop scanning
                </button>
              </div>
              <form id="add-form" novalidate>
                <label for="link">Link from the QR code</label>
                <input id="link" type="text" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck={false} aria-describedby="add-message" />
                <label for="device-name">Name of this phone (optional)</label>
                <input id="device-name" type="text" maxlength={60} autocomplete="off" aria-describedby="device-name-hint" />
                <p id="device-name-hint" class="hint">
                  How it is listed under Security keys, for example “My phone”.
                </p>
                <div id="add-message" role="alert" class="live" />
                <button type="submit" class="primary">
                  Add account
                </button>
              </form>
            </section>
          </div>
        </main>
      </body>
    </html>
  );
}
