// Second-factor methods behind one interface (second-factor.ts), listed in registry.ts.
export { amrOf, deviceTypeOf, removableDeviceKinds, secondFactorAnswer } from './lookups.ts';
export { type ShownOffer, secondFactorOffers } from './offers.ts';
export type * from './second-factor.ts';
export { settingsSections } from './settings-sections.ts';
