// Security keys in the browser: a form with data-webauthn="register" or "authenticate" carries the
// server's options (data-webauthn-options, JSON) and a hidden input named "credential". On submit
// this script asks the browser for the key (navigator.credentials.create/get, through
// @simplewebauthn/browser), puts the browser's answer (JSON) into the hidden input and submits the
// form; the server checks everything. It also sets the hidden "webauthn_scripted" input, so the
// server can tell a form posted without this script (JavaScript off) from a key that did not
// answer. When the key does not answer, the person cancels, or the browser has no WebAuthn, it
// says so in the form's [data-webauthn-message] (role="alert") and gives the button back. No inline script anywhere: served by routes/browser-scripts.ts as
// /static/js/webauthn.js (bundled, minified).
import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import {
  WEBAUTHN_CREDENTIAL_FIELD,
  WEBAUTHN_FORM_ATTRIBUTE,
  WEBAUTHN_MESSAGE_ATTRIBUTE,
  WEBAUTHN_MESSAGES,
  WEBAUTHN_OPTIONS_ATTRIBUTE,
  WEBAUTHN_READY_ATTRIBUTE,
  WEBAUTHN_SCRIPTED_FIELD,
  type WebAuthnFormMode,
} from '../../auth/methods/webauthn/browser-form.ts';

function isMode(value: string | null): value is WebAuthnFormMode {
  return value === 'register' || value === 'authenticate';
}

/** The form's own message element, or one made for it (first in the form) when the page has none. */
function messageElement(form: HTMLFormElement): HTMLElement {
  let element = form.querySelector<HTMLElement>(`[${WEBAUTHN_MESSAGE_ATTRIBUTE}]`);
  if (!element) {
    element = document.createElement('p');
    element.setAttribute(WEBAUTHN_MESSAGE_ATTRIBUTE, '');
    element.className = 'message error';
    element.hidden = true;
    form.prepend(element);
  }
  element.setAttribute('role', 'alert');
  return element;
}

/** The form's hidden input of this name, or one made for it. */
function hiddenInput(form: HTMLFormElement, name: string): HTMLInputElement {
  const existing = form.elements.namedItem(name);
  if (existing instanceof HTMLInputElement) return existing;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = name;
  form.append(input);
  return input;
}

function submitButtons(form: HTMLFormElement): (HTMLButtonElement | HTMLInputElement)[] {
  return Array.from(form.elements).filter(
    (e): e is HTMLButtonElement | HTMLInputElement => (e instanceof HTMLButtonElement || e instanceof HTMLInputElement) && e.type === 'submit',
  );
}

function show(element: HTMLElement, text: string): void {
  element.textContent = text;
  element.hidden = text === '';
}

function failureMessage(mode: WebAuthnFormMode, error: unknown): string {
  if (mode === 'register') {
    const alreadyRegistered =
      (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') ||
      (error instanceof Error && error.name === 'InvalidStateError');
    return alreadyRegistered ? WEBAUTHN_MESSAGES.alreadyRegistered : WEBAUTHN_MESSAGES.registerFailed;
  }
  return WEBAUTHN_MESSAGES.authenticateFailed;
}

function enhance(form: HTMLFormElement): void {
  const mode = form.getAttribute(WEBAUTHN_FORM_ATTRIBUTE);
  if (!isMode(mode)) return;
  const message = messageElement(form);
  const buttons = submitButtons(form);
  // Whatever this form posts from now on, the server knows the script was here.
  hiddenInput(form, WEBAUTHN_SCRIPTED_FIELD).value = 'yes';
  const setBusy = (busy: boolean) => {
    for (const button of buttons) button.disabled = busy;
    if (busy) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };

  if (!browserSupportsWebAuthn()) {
    show(message, mode === 'register' ? WEBAUTHN_MESSAGES.unsupportedRegister : WEBAUTHN_MESSAGES.unsupportedAuthenticate);
    for (const button of buttons) button.disabled = true;
    form.setAttribute(WEBAUTHN_READY_ATTRIBUTE, 'unsupported');
    return;
  }

  let busy = false;
  form.addEventListener('submit', (event) => {
    // A form with fields still to fill in (an empty Device Name under novalidate) goes to the
    // server as it is, which says what is missing, as it would without this script.
    if (!form.checkValidity()) return;
    event.preventDefault();
    if (busy) return;
    let optionsJSON: unknown;
    try {
      optionsJSON = JSON.parse(form.getAttribute(WEBAUTHN_OPTIONS_ATTRIBUTE) ?? '');
    } catch {
      show(message, failureMessage(mode, undefined));
      return;
    }
    busy = true;
    setBusy(true);
    show(message, '');
    const ceremony =
      mode === 'register'
        ? startRegistration({ optionsJSON: optionsJSON as Parameters<typeof startRegistration>[0]['optionsJSON'] })
        : startAuthentication({ optionsJSON: optionsJSON as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
    ceremony.then(
      (result) => {
        hiddenInput(form, WEBAUTHN_CREDENTIAL_FIELD).value = JSON.stringify(result);
        // submit() sends the form without firing "submit" again; the buttons stay disabled while the page goes.
        form.submit();
      },
      (error: unknown) => {
        busy = false;
        setBusy(false);
        show(message, failureMessage(mode, error));
      },
    );
  });

  // Back to this page from the browser's history cache: the buttons work again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      busy = false;
      setBusy(false);
    }
  });
  form.setAttribute(WEBAUTHN_READY_ATTRIBUTE, 'true');
}

function enhanceAll(): void {
  for (const form of Array.from(document.querySelectorAll<HTMLFormElement>(`form[${WEBAUTHN_FORM_ATTRIBUTE}]`))) enhance(form);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhanceAll);
else enhanceAll();
