// An external Toxiproxy's API URL (fleet.overrides.proxyUrl, FleetConfig.proxyUrl): plain http on a
// loopback address with an explicit port. The links it proxies listen on 127.0.0.1 of this machine
// and dial the fleet there, so a Toxiproxy anywhere else could not carry them.

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `v` is not an accepted external Toxiproxy URL, or null. */
export function loopbackUrlProblem(v: string): string | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `'${v.slice(0, 60)}' is not a URL; write it in full, e.g. http://127.0.0.1:8474`;
  }
  if (u.protocol !== 'http:') return `scheme '${u.protocol.replace(/:$/, '')}' is not accepted; Toxiproxy's API is plain http: use http://127.0.0.1:<port>`;
  if (!LOOPBACK.has(u.hostname) && !/^127(\.\d{1,3}){3}$/.test(u.hostname))
    return `host '${u.hostname}' is not a loopback address; the links listen on and dial 127.0.0.1 of this machine, so the Toxiproxy must run here: use http://127.0.0.1:<port>`;
  if (!u.port) return 'the URL has no port; write the port Toxiproxy listens on, e.g. http://127.0.0.1:8474';
  if (u.username || u.password) return 'credentials in the URL are not accepted; Toxiproxy has no authentication';
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return `'${v.slice(0, 60)}' has a path, query or fragment; give only http://<host>:<port>`;
  return null;
}
