// What every page shows whatever route drew it (the footer's support contact), handed to the
// layout through JSX context by render(), so no route has to pass it along.
import { createContext, useContext } from 'hono/jsx';
import type { SupportContact } from '../../config.ts';

export interface PageContext {
  support: SupportContact;
}

const context = createContext<PageContext>({ support: {} });

export const PageContextProvider = context.Provider;

export function usePageContext(): PageContext {
  return useContext(context);
}
