// Finds references that would make a browser load something from the network: src=/href=/url(),
// @import, srcset and script/fetch string URLs pointing anywhere but 127.0.0.1/localhost.
// Plain text mentioning a URL (a documentation string) is not a load and is not reported.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RemoteRef {
  file: string;
  url: string;
  context: string;
}

const LOCAL = /^(?:https?:)?\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?(?:[/?#]|$)/i;
const PATTERNS = [
  /\b(?:src|href|action|poster|data|srcset|xlink:href)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>)]+)/gi,
  /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
  /@import\s+["']((?:https?:)?\/\/[^"']+)/gi,
  /\b(?:fetch|importScripts|import)\s*\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
  /\.(?:src|href)\s*=\s*["'`]((?:https?:)?\/\/[^"'`]+)/gi,
];

export function findRemoteUrlsInText(text: string, file = ''): RemoteRef[] {
  const out: RemoteRef[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const url = m[1];
      if (LOCAL.test(url)) continue;
      out.push({ file, url, context: text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20) });
    }
  }
  return out;
}

/** Every file under `path` (or the file itself) scanned as text. */
export function findRemoteUrls(path: string): RemoteRef[] {
  const st = statSync(path);
  if (st.isDirectory()) return readdirSync(path).flatMap((n) => findRemoteUrls(join(path, n)));
  return findRemoteUrlsInText(readFileSync(path, 'latin1'), path);
}
