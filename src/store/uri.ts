/**
 * Store URIs in messages and logs. A MongoDB URI can carry secrets in its user info
 * (user and password) and in any query parameter (tlsCertificateKeyFilePassword,
 * authMechanismProperties=AWS_SESSION_TOKEN:…, …), so every one of those is masked.
 */

const MASK = '[secret]';

interface UriParts {
  /** "mongodb://", or "" when the text has no scheme. */
  scheme: string;
  /** What comes before the "@" that ends the user info, or null when there is none. */
  userinfo: string | null;
  /** Hosts and path. */
  place: string;
  /** From the "?" on, or "". */
  query: string;
  /** From the "#" on, or "". */
  fragment: string;
}

function split(uri: string): UriParts {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(uri)?.[0] ?? '';
  const rest = uri.slice(scheme.length);
  let userinfo: string | null = null;
  let tail = rest;
  if (scheme !== '') {
    // The last "@" before the path ends the user info, even when a password has an unescaped "@".
    // A password with an unescaped "/" is a broken URI: then take the last "@" before the query,
    // which may hide a host as well, but never shows a password.
    const slash = rest.indexOf('/');
    let at = (slash === -1 ? rest : rest.slice(0, slash)).lastIndexOf('@');
    if (at === -1) {
      const q = rest.search(/[?#]/);
      at = (q === -1 ? rest : rest.slice(0, q)).lastIndexOf('@');
    }
    if (at !== -1) {
      userinfo = rest.slice(0, at);
      tail = rest.slice(at + 1);
    }
  }
  const hash = tail.indexOf('#');
  const fragment = hash === -1 ? '' : tail.slice(hash);
  const beforeHash = hash === -1 ? tail : tail.slice(0, hash);
  const q = beforeHash.indexOf('?');
  return {
    scheme,
    userinfo,
    place: q === -1 ? beforeHash : beforeHash.slice(0, q),
    query: q === -1 ? '' : beforeHash.slice(q),
    fragment,
  };
}

/** A URI with its user info and every query value hidden, for logs and messages. */
export function redactUri(uri: string): string {
  const p = split(uri);
  const userinfo = p.userinfo === null ? '' : `${MASK}@`;
  const query = p.query.replace(/=[^&;]*/g, `=${MASK}`);
  const fragment = p.fragment.length > 1 ? `#${MASK}` : p.fragment;
  return `${p.scheme}${userinfo}${p.place}${query}${fragment}`;
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The secret values in a URI, as written and decoded, longest first: the user info and its
 * password whatever their length; the user and the query values when they are at least 4
 * characters and not a plain number or boolean (masking "200" or "rs0" in a driver's
 * message would garble it and hide nothing).
 */
function secretsOf(uri: string): string[] {
  const p = split(uri);
  const always: string[] = [];
  const ifLong: string[] = [];
  if (p.userinfo !== null && p.userinfo !== '') {
    always.push(p.userinfo);
    const colon = p.userinfo.indexOf(':');
    if (colon !== -1) {
      always.push(p.userinfo.slice(colon + 1));
      ifLong.push(p.userinfo.slice(0, colon));
    } else {
      ifLong.push(p.userinfo);
    }
  }
  for (const m of p.query.matchAll(/=([^&;]*)/g)) {
    const value = m[1] ?? '';
    // authMechanismProperties=AWS_SESSION_TOKEN:<token>: the parts after each ":" and "," too.
    ifLong.push(value, ...value.split(/[:,]/));
  }
  if (p.fragment.length > 1) ifLong.push(p.fragment.slice(1));
  const long = ifLong.filter((s) => s.length >= 4 && !/^(\d+|true|false)$/i.test(s));
  const all = [...always, ...long].flatMap((s) => [s, decoded(s)]).filter((s) => s !== '');
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** `text` (a driver's error message, say) with `uri` and each of its secrets masked. */
export function maskUriSecrets(text: string, uri: string): string {
  let out = uri === '' ? text : text.split(uri).join(redactUri(uri));
  for (const secret of secretsOf(uri)) out = out.split(secret).join(MASK);
  return out;
}

/** Whether a store name on the command line (or MONGODB_URI) is a MongoDB URI. */
export function isMongoUri(name: string): boolean {
  return /^mongodb(\+srv)?:\/\//.test(name);
}
