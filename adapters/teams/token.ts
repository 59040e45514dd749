/**
 * A check botbuilder does not make: a Bot Framework token must say when it expires.
 * botbuilder (through jsonwebtoken) accepts a correctly signed token with no `exp` claim,
 * which would stay valid for ever. The payload is only read here, not trusted: the
 * signature, issuer, audience and times are still botbuilder's to verify.
 */

/** True when the Authorization header is `Bearer <JWT>` whose payload has a numeric `exp`. */
export function tokenHasExpiry(authorization: string): boolean {
  const match = /^Bearer\s+([^.\s]*)\.([^.\s]*)\.[^.\s]*$/i.exec(authorization.trim());
  if (!match?.[2]) return false;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(match[2], 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof claims !== 'object' || claims === null) return false;
  const exp = (claims as { exp?: unknown }).exp;
  return typeof exp === 'number' && Number.isFinite(exp);
}
