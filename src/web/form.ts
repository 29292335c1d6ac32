// Reading a submitted form: only urlencoded or multipart forms, only text fields, and a clear
// 4xx for anything else (a JSON body, a broken multipart body), never a 500.
import type { Context } from 'hono';
import type { AppEnv, Form } from './env.ts';
import { errorPage } from './views/error-page.tsx';

export type { Form };

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** The form, read once per request (the CSRF check reads it first) and kept in c.var.form. */
export async function readForm(c: Context<AppEnv>): Promise<Form | Response> {
  const cached = c.get('form');
  if (cached) return cached;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    return errorPage(c, 415, 'Unsupported form', 'This address accepts only forms sent from its own pages.');
  }
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    return errorPage(c, 400, 'Unreadable form', 'The form could not be read. Go back, reload the page and try again.');
  }
  const form: Form = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') form[key] = value;
  }
  c.set('form', form);
  return form;
}

/** Every value of a repeated field (a list of checkboxes); call after readForm has checked the form. */
export async function readFormList(c: Context<AppEnv>, name: string): Promise<string[]> {
  const value = (await c.req.parseBody({ all: true }))[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}
