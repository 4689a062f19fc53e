export * from './types.ts';
export { restPath } from './rest-path.ts';
export { redisPath } from './redis-path.ts';
export { brokerLevelPath } from './broker-level-path.ts';
export { crdPath } from './crd-path.ts';
export { sigtermPath } from './sigterm-path.ts';
export { filePath } from './file-path.ts';
import { restPath } from './rest-path.ts';
import { redisPath } from './redis-path.ts';
import { brokerLevelPath } from './broker-level-path.ts';
import { crdPath } from './crd-path.ts';
import { sigtermPath } from './sigterm-path.ts';
import { filePath } from './file-path.ts';
import type { KillPath } from './types.ts';

export function killPathByName(name: string, keyPrefix?: string): KillPath {
  switch (name) {
    case 'rest':
      return restPath;
    case 'redis':
      return redisPath(keyPrefix);
    case 'broker-level':
      return brokerLevelPath;
    case 'crd':
      return crdPath(keyPrefix);
    case 'sigterm':
      return sigtermPath;
    case 'file':
      return filePath;
    default:
      throw new Error(`killdrill: kill path '${name}' is not available; use rest, redis, crd, broker-level, sigterm or file`);
  }
}
