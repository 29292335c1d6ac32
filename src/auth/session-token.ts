// Session tokens are opaque tokens (src/lib/opaque-token.ts) carried in the session cookie.
export {
  hashOpaqueToken as hashSessionToken,
  looksLikeOpaqueToken as looksLikeSessionToken,
  newOpaqueToken as newSessionToken,
} from '../lib/opaque-token.ts';
