// The signature algorithms Gatehouse accepts for a new key (COSE identifiers), in order of
// preference: ES256 first, the only one FIDO U2F keys have; Ed25519; RS256 for Windows Hello and
// older TPMs. The same list is given to the browser and checked in the response.
export const SUPPORTED_ALGORITHM_IDS: readonly number[] = [-7, -8, -257];
