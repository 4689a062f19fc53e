#!/bin/sh
# sh fleet-sim/redis/guard.sh <binary> [args…]: runs a non-Node server (redis-server) so
# that it cannot outlive the fleet. Writes {"pid":N} + newline to fd 3 (the parent signals
# that pid directly for kill/pause), forwards SIGTERM/SIGINT, exits with the server's code,
# and when its stdin pipe closes (the parent died, even by SIGKILL) it stops the server:
# SIGTERM, then SIGKILL after 5 s. A shell, not node: it costs ~1 MB instead of ~50 MB.
if [ $# -lt 1 ]; then
  echo 'killdrill: usage: sh fleet-sim/redis/guard.sh <binary> [args…]' >&2
  exit 2
fi
if ! command -v "$1" >/dev/null 2>&1; then
  echo "killdrill: could not start $1: not found; check that it is installed and on PATH" >&2
  exit 3
fi
exec 4<&0
"$@" </dev/null 3>&- 4<&- &
pid=$!
{ printf '{"pid":%s}\n' "$pid" >&3; } 2>/dev/null
exec 3>&-
stop() {
  kill -TERM "$pid" 2>/dev/null
  kill -CONT "$pid" 2>/dev/null
}
trap stop TERM INT
# The stdin watcher: `read` is a builtin, so killing this subshell leaves nothing behind.
(
  trap - TERM INT
  while read -r _; do :; done <&4
  stop
  sleep 5
  kill -KILL "$pid" 2>/dev/null
) &
watcher=$!
exec 4<&-
while :; do
  wait "$pid"
  code=$?
  # A trapped signal interrupts `wait`: wait again while the server still runs.
  kill -0 "$pid" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
exit "$code"
