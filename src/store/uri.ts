/** The parts of a URI's authority: where the password sits, if it has one. */
function userinfo(uri: string): { scheme: string; user: string; password: string; rest: string } | null {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(uri);
  if (!scheme) return null;
  const rest = uri.slice(scheme[0].length);
  const queryAt = rest.search(/[?#]/);
  const head = queryAt === -1 ? rest : rest.slice(0, queryAt);
  // The last "@" before the query ends the user info, even when a password has an unescaped "@".
  const at = head.lastIndexOf('@');
  if (at === -1) return null;
  const info = head.slice(0, at);
  const colon = info.indexOf(':');
  if (colon === -1) return null;
  return { scheme: scheme[0], user: info.slice(0, colon), password: info.slice(colon + 1), rest: rest.slice(at) };
}

/** A URI with its password hidden, for logs and messages. */
export function redactUri(uri: string): string {
  const parts = userinfo(uri);
  return parts ? `${parts.scheme}${parts.user}:[secret]${parts.rest}` : uri;
}

/** The password in a URI, or null: so it can be taken out of a driver's message too. */
export function uriPassword(uri: string): string | null {
  const parts = userinfo(uri);
  return parts && parts.password !== '' ? parts.password : null;
}

/** Whether a store name on the command line (or MONGODB_URI) is a MongoDB URI. */
export function isMongoUri(name: string): boolean {
  return /^mongodb(\+srv)?:\/\//.test(name);
}
