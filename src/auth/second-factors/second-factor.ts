// What a second-factor method is, as Kratos's strategies are: its id and `amr`, the kinds of
// device it owns and their names, what it offers at the second step (data the web layer
// renders, never markup), how it reads and verifies an answer, what it says when the answer is
// wrong, and its section of Account Settings. The shared flow around it (throttling, the hard
// cap, the security log) is verifySecondFactor's; registry.ts lists the methods.
import type { Config } from '../../config.ts';
import type { device } from '../../db/schema.ts';
import type { AuthServices } from '../flows/deps.ts';

export type DeviceKind = (typeof device.kind.enumValues)[number];

/**
 * RFC 8176's values, and `pop` (registered since, by OpenID Connect EAP): what OpenID Connect
 * will put in a token's `amr` for each method used.
 */
export type AmrValue =
  | 'face'
  | 'fpt'
  | 'geo'
  | 'hwk'
  | 'iris'
  | 'kba'
  | 'mca'
  | 'mfa'
  | 'otp'
  | 'pin'
  | 'pop'
  | 'pwd'
  | 'rba'
  | 'retina'
  | 'sc'
  | 'sms'
  | 'swk'
  | 'tel'
  | 'user'
  | 'vbm'
  | 'wia';

/** One kind of device a method owns (rows of `device` with this `kind`). */
export interface DeviceType {
  kind: DeviceKind;
  names: {
    /** The admin's view of a user's devices, its Type column. */
    adminType: string;
    /** Emails about the device: `Authenticator app "My phone" was added…`. */
    inEmails: string;
  };
  /** Whether the person, or an admin, may remove it (vendor-issued tokens stay). */
  removable: boolean;
  /**
   * Listed apart from its method's other devices, under a heading of its own, in Account
   * Settings > Security keys (with this text, only when the account has one) and on the admin's
   * Security keys tab: a device the person did not add themselves (a vendor-issued token).
   */
  listedApart?: { heading: string; id: string; text: string; caption: string };
}

/** What the methods use of the service; `afterPass` (below) gets all of it. */
export type MethodServices = Pick<AuthServices, 'db' | 'keys' | 'authenticator'> & { config: Pick<Config, 'publicUrl'> };

/** Who is asked, where, from which browser, and whose ceremony an answer belongs to. */
export interface Asking {
  accountId: string;
  site: { id: string; slug: string; name: string };
  /** The pending sign-in's id at the second step, the session's when elevating. */
  ceremonyOwnerId: string;
  ip: string;
  userAgent: string;
}

export interface OfferContext extends Asking {
  /** The kinds of device the account has, read once for every method. */
  has: ReadonlySet<DeviceKind>;
}

export interface Attempt extends Asking {
  email: string;
}

/** A piece of a second-step form (Kratos's UI nodes): the web layer renders each kind one way. */
export type OfferNode =
  | {
      node: 'text-field';
      id: string;
      name: string;
      label: string;
      hint?: string;
      inputmode?: 'numeric';
      autocomplete: string;
      spellcheck?: boolean;
      maxlength: number;
    }
  | { node: 'hidden'; name: string; value: string }
  /** Where a browser script says what went wrong: an alert, hidden until then. */
  | { node: 'script-message'; attribute: string }
  /** A line of text, and a link after it (a place's attribution). */
  | { node: 'text'; text: string; link?: { text: string; href: string } }
  /** A short value to read off the screen and type elsewhere, large (the number to type on the phone). */
  | { node: 'figure'; label: string; value: string };

/** What a method shows at the second step: one form, posting the method's id as `method`. */
export interface Offer {
  nodes: OfferNode[];
  /** The submit button's words. */
  submit: string;
  /** Folded away under this summary: a way out (recovery codes), not the usual way in. */
  folded?: string;
  /** A browser script that takes the form over, and the attributes it reads on the <form>. */
  script?: { src: string; attributes: Readonly<Record<string, string>> };
}

/** The form's text fields, as the web layer read them. */
export type FormFields = Readonly<Record<string, string | undefined>>;

/** The method's own fields of the form, each cut to its length ('' when missing). */
export type Answer = Readonly<Record<string, string>>;

export type Verified =
  | {
      ok: true;
      deviceName?: string;
      /** More for the security log's line (the place a push-approved sign-in came from). */
      detail?: Readonly<Record<string, string>>;
      /** What else a pass means, once it is counted and logged (a used recovery code's email). */
      afterPass?: (services: AuthServices, attempt: Attempt) => Promise<void>;
    }
  /**
   * `detail`: the security log's reason (never the answer). `refusal`: what to tell the person
   * when it is not the method's usual `refusal` (a code that has just been used).
   */
  | { ok: false; detail: string; refusal?: Refusal };

/** What the person is told after a wrong answer. */
export interface Refusal {
  message: string;
  /** A second paragraph: what to try (the phone's clock). */
  advice?: string;
}

/** A device as Account Settings lists it. */
export interface ListedDevice {
  id: string;
  kind: DeviceKind;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  verifiedAt: Date | null;
}

/** A method's section of Account Settings > Security keys. */
export interface SettingsSection {
  heading: string;
  /** The heading's id: the section is labelled by it. */
  id: string;
  text: string;
  /** Its devices, in a table with this (screen readers') caption. */
  devices?: { caption: string; rows: ListedDevice[] };
  /** A link to add one: a path below Security keys, and its words. */
  add?: { path: string; label: string };
  /** A button posting to a path below Security keys (new recovery codes). */
  action?: { path: string; label: string };
}

export interface SecondFactor {
  /** The form's `method`, and what the session's methods and the security log record. */
  id: string;
  amr: readonly AmrValue[];
  /** The kinds of device it owns; none for recovery codes. */
  devices: readonly DeviceType[];
  /** The form fields its answer is made of, and the most of each that is read. */
  answer: readonly { name: string; maxLength: number }[];
  /** What it shows at the second step for this account now; undefined when it has nothing to offer. */
  offer(services: MethodServices, ctx: OfferContext): Promise<Offer | undefined>;
  verify(services: MethodServices, attempt: Attempt, answer: Answer): Promise<Verified>;
  /** What the person is told after a wrong answer, unless verify says otherwise. */
  refusal: Refusal;
  /** Its section of Account Settings: `devices` are the account's devices of its kinds. */
  settings(services: MethodServices, account: { accountId: string; devices: ListedDevice[]; anyDevice: boolean }): Promise<SettingsSection | undefined>;
}
