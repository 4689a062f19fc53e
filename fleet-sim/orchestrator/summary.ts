// The human summary of `sim up` (without --json): endpoints and the seed-000 runbook's
// Redis commands, adapted to this fleet's port.
export function humanSummary(line: { runId: string; preset: string; redisUrl: string; brokerUrl: string; venueUrl: string; token: string; controlUrl: string; hosts: Record<string, string>; dataDir: string; proxyUrl: string; agents?: Record<string, string> }, keyPrefix: string, redisPort: number): string {
  const cli = `redis-cli -p ${redisPort}`;
  return [
    `killdrill fleet '${line.preset}' is up (run ${line.runId})`,
    `  redis    ${line.redisUrl}`,
    `  broker   ${line.brokerUrl}   (Authorization: Bearer ${line.token})`,
    `  venue    ${line.venueUrl}/ledger`,
    `  control  ${line.controlUrl}/components`,
    `  proxy    ${line.proxyUrl}`,
    ...Object.entries(line.hosts).map(([h, u]) => `  host ${h.padEnd(10)} ${u}`),
    ...Object.entries(line.agents ?? {}).map(([w, u]) => `  agent ${w.padEnd(9)} ${u}/calls?after=0  /runs  /queue`),
    `  data     ${line.dataDir} (logs in logs/)`,
    '',
    'Runbook (seed 000), against this fleet:',
    '  # engage the last-resort kill switch (bots poll it):',
    `  ${cli} SET '${keyPrefix}:platform:platform' 'manual-emergency'`,
    '  # release it:',
    `  ${cli} DEL '${keyPrefix}:platform:platform'`,
    '  # what is engaged:',
    `  ${cli} --scan --pattern '${keyPrefix}:*'`,
    '  # REST fan-out, e.g.:',
    `  curl -X POST -H 'Authorization: Bearer ${line.token}' ${line.brokerUrl}/bots/halt-all`,
    '',
    'Ctrl-C stops the fleet.',
    '',
  ].join('\n');
}
