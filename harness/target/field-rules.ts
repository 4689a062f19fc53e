// Field rules of the target file that a regex cannot say: a token's environment-variable NAME (and
// never a token pasted in its place), and endpoint URLs without credentials in them.

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Whether a string looks like a secret value rather than the name of the variable holding one. */
export function looksLikeToken(v: string): boolean {
  const s = v.trim();
  if (/^bearer\s/i.test(s)) return true;
  if (/^eyJ[A-Za-z0-9_-]{5,}\./.test(s)) return true; // a JWT
  if (/^(ghp|gho|ghs|ghu|github_pat|glpat|xox[abpr]|sk|pk|rk|npm|hf)[-_][A-Za-z0-9]/i.test(s) && /\d/.test(s)) return true; // vendor token prefixes
  if (/^A[KS]IA[A-Z0-9]{16}$/.test(s)) return true; // an AWS access key id
  if (s.length >= 16 && /^[0-9a-fA-F-]+$/.test(s) && /\d/.test(s)) return true; // hex, a UUID
  if (s.length >= 16 && /[+/=.:~-]/.test(s) && /\d/.test(s)) return true; // base64-ish, dotted
  const digits = (s.match(/\d/g) ?? []).length;
  if (s.length >= 20 && !s.includes('_') && digits >= 3) return true; // a long run of letters and digits
  if (s.length >= 24 && /[a-z]/.test(s) && /[A-Z]/.test(s) && digits >= 4) return true; // mixed case with digits
  return false;
}

export function envNameProblem(v: string): string | null {
  if (looksLikeToken(v)) {
    return 'this looks like a token itself, not the name of an environment variable; tokens never go in a target file: export it (e.g. STAGING_BROKER_TOKEN=…) and write only the variable\'s name here';
  }
  if (!ENV_NAME.test(v)) return `'${v.slice(0, 40)}' is not an environment variable name: upper-case letters, digits and _, not starting with a digit (e.g. STAGING_BROKER_TOKEN)`;
  return null;
}

const SECRET_PARAMS = /^(token|access_token|api[_-]?key|key|password|passwd|secret|auth|sig|signature)$/i;

export function urlProblem(v: string, schemes: string[]): string | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `'${v.slice(0, 60)}' is not a URL; write it in full, e.g. ${schemes[0]}://host.example:${schemes[0].startsWith('redis') ? 6379 : 8443}`;
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) return `scheme '${scheme}' is not accepted here; use ${schemes.map((s) => `${s}://`).join(' or ')}`;
  if (!u.hostname) return 'the URL has no host';
  const isRedis = scheme.startsWith('redis');
  if (u.password || (!isRedis && u.username)) {
    return `the URL carries credentials (user:password@); remove them and name the environment variable holding the ${isRedis ? 'password in passwordEnv' : 'token in tokenEnv'}`;
  }
  for (const k of u.searchParams.keys()) {
    if (SECRET_PARAMS.test(k)) return `the URL's query carries '${k}', which looks like a credential; remove it and name the environment variable holding it in tokenEnv`;
  }
  return null;
}
