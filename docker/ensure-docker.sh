#!/usr/bin/env bash
# Make a Docker daemon answer `docker info`: install docker.io with apt-get when the
# client or daemon is missing, start dockerd in the background when no daemon answers,
# wait until it does. Fails loudly (exit 1, `killdrill: …`) otherwise — CI never skips
# the docker suite silently. Usage: docker/ensure-docker.sh  (env: DOCKERD_LOG, DOCKER_WAIT_S)
set -euo pipefail

LOG="${DOCKERD_LOG:-/tmp/killdrill-dockerd.log}"
WAIT_S="${DOCKER_WAIT_S:-60}"

die() { echo "killdrill: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else die "need root (or passwordless sudo) to run: $*"; fi; }

if docker info >/dev/null 2>&1; then
  echo "killdrill: docker daemon answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "docker is not installed and apt-get is not available; install Docker (https://docs.docker.com/engine/install/) and run this again"
  echo "killdrill: installing docker.io with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || die "apt-get update failed; check the network / apt sources, or install Docker yourself"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null \
    || die "apt-get install docker.io failed; install Docker yourself and run this again"
fi

if ! docker info >/dev/null 2>&1; then
  echo "killdrill: no docker daemon answers; starting dockerd (log: $LOG)" >&2
  # nohup + setsid: the daemon outlives this script and the CI step that ran it.
  as_root setsid nohup dockerd >"$LOG" 2>&1 < /dev/null &
  for _ in $(seq 1 "$WAIT_S"); do
    docker info >/dev/null 2>&1 && break
    if ! pgrep -x dockerd >/dev/null 2>&1; then
      tail -n 20 "$LOG" >&2 || true
      die "dockerd exited while starting (log above, full log $LOG); fix the cause (storage driver, cgroups, iptables) and run this again"
    fi
    sleep 1
  done
fi

docker info >/dev/null 2>&1 || { tail -n 20 "$LOG" >&2 || true; die "no docker daemon answers after ${WAIT_S} s (log: $LOG); start one (dockerd) and run this again"; }
echo "killdrill: docker daemon answers ($(docker version --format '{{.Server.Version}}'))"
