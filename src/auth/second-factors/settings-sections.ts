// Account Settings > Security keys: each method's section, in the registry's order, with the
// account's devices of its kinds; a kind listed apart (a managed token) gets a section of its
// own after its method's, when the account has one.
import { SECOND_FACTORS } from './registry.ts';
import type { ListedDevice, MethodServices, SettingsSection } from './second-factor.ts';

export async function settingsSections(services: MethodServices, accountId: string, devices: ListedDevice[]): Promise<SettingsSection[]> {
  const sections: SettingsSection[] = [];
  const ofKind = (kind: string) => devices.filter((d) => d.kind === kind);
  for (const method of SECOND_FACTORS) {
    const together = devices.filter((d) => method.devices.some((type) => type.kind === d.kind && !type.listedApart));
    const section = await method.settings(services, { accountId, devices: together, anyDevice: devices.length > 0 });
    if (section) sections.push(section);
    for (const type of method.devices) {
      const rows = ofKind(type.kind);
      if (!type.listedApart || rows.length === 0) continue;
      const { heading, id, text, caption } = type.listedApart;
      sections.push({ heading, id, text, devices: { caption, rows } });
    }
  }
  return sections;
}
