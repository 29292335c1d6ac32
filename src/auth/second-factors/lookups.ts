// Finding things in the registry: the method a form names, and each device kind's type.
import { SECOND_FACTORS } from './registry.ts';
import type { Answer, DeviceKind, DeviceType, FormFields, SecondFactor } from './second-factor.ts';

/** The method the form names (the first when it names none it knows), and its answer's fields, each cut to its length. */
export function secondFactorAnswer(form: FormFields): { method: SecondFactor; answer: Answer } {
  const method = SECOND_FACTORS.find((m) => m.id === form.method) ?? SECOND_FACTORS[0]!;
  const answer = Object.fromEntries(method.answer.map((field) => [field.name, (form[field.name] ?? '').slice(0, field.maxLength)]));
  return { method, answer };
}

export function deviceTypeOf(kind: DeviceKind): DeviceType {
  for (const method of SECOND_FACTORS) {
    const type = method.devices.find((d) => d.kind === kind);
    if (type) return type;
  }
  throw new Error(`no second-factor method owns the device kind ${kind}`);
}

/** The kinds the person or an admin may remove: all but vendor-issued tokens. */
export function removableDeviceKinds(): DeviceKind[] {
  return SECOND_FACTORS.flatMap((m) => m.devices.filter((d) => d.removable).map((d) => d.kind));
}

/** RFC 8176 values for a session's methods: the password's `pwd`, each second factor's own, and `mfa` once there are two. */
export function amrOf(methods: readonly string[]): string[] {
  const values = new Set<string>();
  for (const id of methods) {
    if (id === 'password') values.add('pwd');
    for (const value of SECOND_FACTORS.find((m) => m.id === id)?.amr ?? []) values.add(value);
  }
  if (methods.length > 1) values.add('mfa');
  return [...values];
}
