/**
 * A check botbuilder does not make: a Bot Framework token must say when it expires.
 * botbuilder (through jsonwebtoken) accepts a correctly signed token with no `exp` claim,
 * which would stay valid for ever. The payload is only read here, not trusted: the
 * signature, issuer, audience and times are still botbuilder's to verify.
 */

/** How long after `exp` botbuilder still takes a token (its clock skew allowance). */
const SKEW_SECONDS = 300;

/**
 * Why the Authorization header cannot hold a valid Bot Framework token, or null when it
 * might: not `Bearer <JWT>`, no numeric `exp`, or expired beyond the skew botbuilder
 * allows. An expired token is refused here so botbuilder, which writes each one to the
 * console, never sees it.
 */
export function tokenProblem(authorization: string, nowSeconds: number): string | null {
  const exp = tokenExpiry(authorization);
  if (exp === null) return authorization.trim() === '' ? 'no Authorization header' : 'not a Bearer token with an expiry (exp)';
  return exp + SKEW_SECONDS < nowSeconds ? 'the token has expired' : null;
}

/** The `exp` of a `Bearer <JWT>` header's payload, read without trusting it; null when there is none. */
function tokenExpiry(authorization: string): number | null {
  const match = /^Bearer\s+([^.\s]*)\.([^.\s]*)\.[^.\s]*$/i.exec(authorization.trim());
  if (!match?.[2]) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const exp = (claims as { exp?: unknown }).exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
}
