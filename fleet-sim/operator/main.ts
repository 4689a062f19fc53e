// The KillSwitch operator process: `node fleet-sim/operator/main.ts <fleet.json>`.
// Kubernetes via the fleet's kubeconfig; Redis via the link `operator-redis` (contracts §12).
// Prints {"ready":true} once it can engage (Redis connected, KillSwitches listed); SIGTERM/SIGINT → stop, exit 0.
import { Redis } from 'ioredis';
import { linkAddress, readFleetFile, type FleetFile } from '../fleet-file.ts';
import { loadKubeConfig } from './kube.ts';
import { KillSwitchReconciler } from './killswitch-reconciler.ts';
import { BotMirror } from './bot-mirror.ts';

const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`);

function fail(msg: string): never {
  process.stderr.write(`killdrill: operator: ${msg}\n`);
  process.exit(3);
}

const path = process.argv[2];
if (!path) fail('usage: node fleet-sim/operator/main.ts <fleet.json>');
let file: FleetFile;
try {
  file = readFleetFile(path);
} catch (err) {
  fail(`cannot read fleet file ${path}: ${(err as Error).message}`);
}
if (!file.kubeconfig) fail(`fleet file ${path} has no kubeconfig; start the apiserver first and record its kubeconfig path`);
const addr = file.links['operator-redis'] ? linkAddress(file, 'operator-redis') : file.net ? { host: file.net.aliases.redis, port: file.redis.port } : file.redis;
const redis = new Redis({ host: addr.host, port: addr.port, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => 250 });
redis.on('error', () => undefined); // reported by the failing calls, which retry
// Inside the run's docker network the apiserver is reached by its alias (kubeconfig.net).
const kc = loadKubeConfig(file.net?.kubeconfig ?? file.kubeconfig);
const prefix = file.config.keyPrefix;
const reconciler = new KillSwitchReconciler(kc, redis, prefix, log);
const mirror = new BotMirror(kc, redis, file.topology.bots, prefix, file.config.defaultMode, log);
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 3000).unref();
  mirror.stop();
  await reconciler.stop().catch(() => undefined);
  redis.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

// Ready means able to engage: the Redis connection is up (with enableOfflineQueue off, a command
// before it is refused and a KillSwitch created then waited for the 1 s retry) and the KillSwitch
// informer has made its first list. The fleet's start waits for this line (orchestrator/ready.ts).
await redisReady(redis);
// The informer's first list; 5 s at most (an apiserver that does not answer: it keeps retrying).
await Promise.race([reconciler.start(), new Promise((r) => setTimeout(r, 5000).unref())]);
mirror.start();
process.stdout.write(JSON.stringify({ ready: true, pid: process.pid }) + '\n');

function redisReady(r: Redis): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => r.once('ready', () => resolve()));
}
