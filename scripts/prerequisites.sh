#!/usr/bin/env bash
# Install what a fresh Debian or Ubuntu lacks for killdrill's runs and tests, with apt-get:
#   npm (brings nodejs; the project then brings its own Node 24), redis-server, redis-tools (redis-cli),
#   chromium (report tests), docker.io (the docker runtime), and kubectl from apt's
#   kubernetes-client package when no kubectl is installed; then makes a Docker daemon answer
#   (docker/ensure-docker.sh). Only what is missing is installed; nothing is upgraded.
# Usage: scripts/prerequisites.sh
#   DRY_RUN=1       print what it would install and run; change nothing (no apt-get, no sudo)
#   SKIP_DOCKER=1   neither install docker.io nor start a daemon
set -euo pipefail
cd "$(dirname "$0")/.."

DRY_RUN="${DRY_RUN:-}"
SKIP_DOCKER="${SKIP_DOCKER:-}"

die() { echo "killdrill: $*" >&2; exit 1; }
say() { echo "killdrill: $*"; }
has() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif has sudo; then sudo -n "$@"; else die "need root (or passwordless sudo) to run: $*"; fi; }
# apt's candidate version of a package, empty when apt knows none.
candidate() { apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'; }

# 1. What is missing: packages whose binaries are not on PATH. kubectl and chromium are named by
#    apt's candidates, which are known only after apt-get update (step 2).
missing=()
want() { # want <package> <binary>…: the package, unless one of the binaries is on PATH
  local pkg=$1; shift
  for b in "$@"; do has "$b" && return 0; done
  missing+=("$pkg")
}
want npm npm
want redis-server redis-server
want redis-tools redis-cli
want chromium chromium chromium-browser
if [ -z "$SKIP_DOCKER" ] && { ! has docker || ! has dockerd; }; then missing+=(docker.io); fi
want kubernetes-client kubectl

if [ ${#missing[@]} -eq 0 ]; then
  say "prerequisites present: npm, redis-server, redis-cli, chromium, kubectl$([ -n "$SKIP_DOCKER" ] || echo ', docker')"
else
  [ -n "$DRY_RUN" ] || has apt-get || die "missing: ${missing[*]}, and apt-get is not available; install them yourself (README.md, 'On a fresh machine') and run this again"
  # 2. Fresh package lists, then the names apt really has.
  if [ -n "$DRY_RUN" ]; then say "would run: apt-get update"
  else as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed; check the network and apt sources, then run this again"; fi
  pkgs=()
  for p in "${missing[@]}"; do
    case "$p" in
      chromium) # Debian: chromium; Ubuntu: chromium-browser
        if [ -z "$(candidate chromium)" ] && [ -n "$(candidate chromium-browser)" ]; then p=chromium-browser; fi ;;
      kubernetes-client)
        if [ -z "$(candidate kubernetes-client)" ]; then
          msg="kubectl is missing and apt has no kubernetes-client package (Debian 12 and later have it); install kubectl (https://kubernetes.io/docs/tasks/tools/) and run this again"
          if [ -n "$DRY_RUN" ]; then say "would stop: $msg"; continue; fi
          die "$msg"
        fi ;;
    esac
    pkgs+=("$p")
  done
  # 3. Install them in one go.
  if [ -n "$DRY_RUN" ]; then say "would install: ${pkgs[*]}"
  else
    say "installing with apt-get: ${pkgs[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null \
      || die "apt-get install ${pkgs[*]} failed; install them yourself and run this again"
  fi
fi

# 4. A Docker daemon that answers (installs docker.io itself if still missing, starts dockerd).
if [ -n "$SKIP_DOCKER" ]; then say "docker skipped (SKIP_DOCKER)"
elif [ -n "$DRY_RUN" ]; then
  if has docker && docker info >/dev/null 2>&1; then say "docker daemon answers"; else say "would run: docker/ensure-docker.sh"; fi
else docker/ensure-docker.sh
fi
