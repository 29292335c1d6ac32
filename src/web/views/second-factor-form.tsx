// The second factor, asked for at sign-in, by "Elevate Your Access" and when confirming it's
// you: each method's offer (auth/second-factors/) as its own small form posting `method` to the
// same address, in the registry's order. The few kinds of node are rendered here, one way each.
import type { OfferNode, Refusal, ShownOffer } from '../../auth/second-factors/index.ts';
import { CsrfField } from './layout.tsx';

export interface SecondFactorFormProps {
  action: string;
  csrfToken: string;
  offers: ShownOffer[];
  error?: Refusal | undefined;
  /** Where to go afterwards (kept through the form). */
  next?: string | undefined;
  /** The method just answered: its form opens if folded (after a wrong recovery code, say). */
  answered?: string | undefined;
}

function Hidden({ method, next, csrfToken }: { method: string; next?: string | undefined; csrfToken: string }) {
  return (
    <>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="method" value={method} />
      {next && <input type="hidden" name="next" value={next} />}
    </>
  );
}

function Node({ n }: { n: OfferNode }) {
  switch (n.node) {
    case 'text-field':
      return (
        <>
          <label for={n.id}>{n.label}</label>
          {n.hint && (
            <p class="hint" id={`${n.id}-hint`}>
              {n.hint}
            </p>
          )}
          <input
            id={n.id}
            name={n.name}
            type="text"
            inputmode={n.inputmode}
            autocomplete={n.autocomplete}
            spellcheck={n.spellcheck}
            maxlength={n.maxlength}
            aria-describedby={n.hint ? `${n.id}-hint` : undefined}
            required
          />
        </>
      );
    case 'hidden':
      return <input type="hidden" name={n.name} value={n.value} />;
    case 'script-message':
      return <p class="message error" {...{ [n.attribute]: true }} role="alert" hidden></p>;
    case 'text':
      return (
        <p>
          {n.text}
          {n.link && (
            <>
              {' '}
              <a href={n.link.href}>{n.link.text}</a>
            </>
          )}
        </p>
      );
    case 'figure':
      return (
        <p class="figure">
          <span class="figure-label">{n.label}</span> <strong class="figure-value">{n.value}</strong>
        </p>
      );
  }
}

function OfferForm({ offer, primary, p }: { offer: ShownOffer; primary: boolean; p: SecondFactorFormProps }) {
  const typed = offer.nodes.some((n) => n.node === 'text-field');
  return (
    <form method="post" action={p.action} novalidate={typed} {...offer.script?.attributes}>
      <Hidden method={offer.method} next={p.next} csrfToken={p.csrfToken} />
      {offer.nodes.map((n) => (
        <Node n={n} />
      ))}
      <button type="submit" class={offer.folded ? undefined : primary ? 'primary' : ''}>
        {offer.submit}
      </button>
    </form>
  );
}

export function SecondFactorForm(p: SecondFactorFormProps) {
  // The first way in is the one to press; the others are plain, and the folded ways out plainer.
  const first = p.offers.find((o) => !o.folded);
  const scripts = [...new Set(p.offers.flatMap((o) => (o.script ? [o.script.src] : [])))];
  return (
    <div class="second-factor">
      {p.error && (
        <div class="message error" role="alert">
          <p>{p.error.message}</p>
          {p.error.advice && <p>{p.error.advice}</p>}
        </div>
      )}
      {p.offers.map((offer) =>
        offer.folded ? (
          <details class="folded" open={p.answered === offer.method}>
            <summary>{offer.folded}</summary>
            <OfferForm offer={offer} primary={false} p={p} />
          </details>
        ) : (
          <OfferForm offer={offer} primary={offer === first} p={p} />
        ),
      )}
      {scripts.map((src) => (
        <script src={src} defer></script>
      ))}
    </div>
  );
}
