// Broker entry: `node fleet-sim/broker/main.ts <fleetFile>`. Started (and restarted, KeepAlive)
// by its host's supervisor; comes back on ports.broker with its state rebuilt from sqlite.
// Prints one ready line on stdout: {"ready":true,"url","pid","bootId"}. SIGTERM/SIGINT exit 0.
import { readFleetFile } from '../fleet-file.ts';
import { startBroker } from './broker-server.ts';

const path = process.argv[2];
if (!path) {
  process.stderr.write('killdrill: usage: node fleet-sim/broker/main.ts <fleet.json>; pass the fleet file written by `killdrill sim up`\n');
  process.exit(2);
}

process.on('unhandledRejection', (e) => {
  process.stderr.write(`killdrill: broker: unhandled rejection (kept running): ${e instanceof Error ? e.stack : String(e)}\n`);
});

function load(p: string): ReturnType<typeof readFleetFile> {
  try {
    return readFleetFile(p);
  } catch (e) {
    throw new Error(`killdrill: broker cannot read the fleet file ${p}: ${e instanceof Error ? e.message : String(e)}; check the path (sim up writes <dataDir>/fleet.json)`);
  }
}

try {
  const broker = await startBroker(load(path));
  let stopping = false;
  const stop = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`killdrill: broker: ${sig}, shutting down\n`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    void broker.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(JSON.stringify({ ready: true, url: broker.url, pid: process.pid, bootId: broker.bootId }) + '\n');
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
