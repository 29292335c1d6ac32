import type { Command } from '../command.ts';
import { siteAdd } from './site-add.ts';
import { ssoLink } from './sso-link.ts';
import { userAdd } from './user-add.ts';

export const COMMANDS: readonly Command[] = [siteAdd, userAdd, ssoLink];
