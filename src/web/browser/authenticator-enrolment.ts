// Add new device, for the Gatehouse Authenticator: once the app has registered itself with the
// QR code (it asks nothing of the person here), the form "I have added it in the Gatehouse
// Authenticator" is sent by itself. It asks the page's status address every 2 seconds while
// the page is visible. Served as /static/js/authenticator-enrolment.js.
const form = document.querySelector<HTMLFormElement>('form[data-enrolment-status]');
if (form) {
  const url = form.getAttribute('data-enrolment-status')!;
  const timer = setInterval(async () => {
    if (document.visibilityState !== 'visible') return;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const { registered } = (await res.json()) as { registered: boolean };
      if (!registered) return;
      clearInterval(timer);
      form.submit();
    } catch {
      // Offline for a moment: the next tick asks again.
    }
  }, 2000);
}
