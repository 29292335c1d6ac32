// Account Settings > Security keys: each method's section, in the registry's order, with the
// account's devices of its kinds.
import { SECOND_FACTORS } from './registry.ts';
import type { ListedDevice, MethodServices, SettingsSection } from './second-factor.ts';

export async function settingsSections(services: MethodServices, accountId: string, devices: ListedDevice[]): Promise<SettingsSection[]> {
  const sections: SettingsSection[] = [];
  for (const method of SECOND_FACTORS) {
    const own = devices.filter((d) => method.devices.some((type) => type.kind === d.kind));
    const section = await method.settings(services, { accountId, devices: own, anyDevice: devices.length > 0 });
    if (section) sections.push(section);
  }
  return sections;
}
