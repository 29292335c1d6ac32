// The waiting sign-in page (and Elevate Your Access, "Confirm it's you"): a form with
// data-push-wait (its request's event stream) waits for the phone's answer, and when it is
// approved submits itself, so the sign-in completes with no click. A deny, an expiry, a wrong
// number or a newer request say so in the form's [data-push-message]; the page's other ways in
// stay. Without JavaScript the form's own button ("I have approved it") does the same.
// Served as /static/js/push-wait.js (routes/browser-scripts.ts); no inline script anywhere.
const WAIT = 'data-push-wait';
const MESSAGE = 'data-push-message';

const ENDED: Record<string, string> = {
  denied: 'This sign-in was denied in your Gatehouse Authenticator. Sign in again if that was a mistake.',
  expired: 'The request to your Gatehouse Authenticator has ended (they last 2 minutes). Reload this page to send a new one.',
  wrong_number: 'The number typed in the app did not match. Reload this page to send a new request with a new number.',
  superseded: 'A newer sign-in request was sent to your Gatehouse Authenticator. Reload this page to use this one instead.',
};

function say(form: HTMLFormElement, text: string) {
  const message = form.querySelector<HTMLElement>(`[${MESSAGE}]`);
  if (!message) return;
  message.textContent = text;
  message.hidden = false;
}

function wait(form: HTMLFormElement) {
  const url = form.getAttribute(WAIT);
  if (!url || typeof EventSource === 'undefined') return;
  const events = new EventSource(url);
  let done = false;
  events.addEventListener('status', (e) => {
    const { status } = JSON.parse((e as MessageEvent<string>).data) as { status: string };
    if (status === 'pending') return;
    done = true;
    events.close();
    if (status === 'approved' || status === 'code_sent') {
      form.submit();
      return;
    }
    if (status === 'denied') {
      // The attempt is over: nothing on this page can finish it now.
      document.querySelectorAll<HTMLFormElement>('.second-factor form').forEach((f) => {
        f.hidden = f !== form;
      });
      form.querySelector('button')?.setAttribute('hidden', '');
    }
    say(form, ENDED[status] ?? ENDED.expired!);
  });
  // The stream ends after a while and the browser opens it again, unless the answer came.
  events.addEventListener('error', () => {
    if (done) events.close();
  });
}

document.querySelectorAll<HTMLFormElement>(`form[${WAIT}]`).forEach(wait);
