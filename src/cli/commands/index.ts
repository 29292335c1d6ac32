import type { Command } from '../command.ts';
import { auditCheckpoint } from './audit-checkpoint.ts';
import { auditVerify } from './audit-verify.ts';
import { backup, restore } from './backup.ts';
import { clientAdd } from './client-add.ts';
import { clientDelete, clientDisable, clientEnable, clientRotateSecret } from './client-change.ts';
import { clientList } from './client-list.ts';
import { keysRotate } from './keys-rotate.ts';
import { siteAdd } from './site-add.ts';
import { siteSupport } from './site-support.ts';
import { ssoLink } from './sso-link.ts';
import { supportRemove2fa } from './support-remove-2fa.ts';
import { supportUnlock2fa } from './support-unlock-2fa.ts';
import { tokenAssign } from './token-assign.ts';
import { tokenImport } from './token-import.ts';
import { userAdd } from './user-add.ts';
import { userImport } from './user-import.ts';

export const COMMANDS: readonly Command[] = [
  siteAdd,
  siteSupport,
  userAdd,
  userImport,
  ssoLink,
  supportRemove2fa,
  supportUnlock2fa,
  tokenImport,
  tokenAssign,
  auditCheckpoint,
  auditVerify,
  clientAdd,
  clientList,
  clientRotateSecret,
  clientDisable,
  clientEnable,
  clientDelete,
  keysRotate,
  backup,
  restore,
];
