#!/usr/bin/env bash
# Installs tbot, tsh and tctl with `teleport-ci setup`, which puts them on PATH for the
# job's later steps through $BASH_ENV.
#
# Parameters arrive as environment variables, never spliced into this code:
#   TELEPORT_ORB_STR_VERSION  Teleport version, or `auto` to follow the cluster
#   TELEPORT_ORB_STR_PROXY    proxy address, `host:port` (needed for `auto`)
set -euo pipefail

fail() {
  printf 'teleport orb: %s\n' "$1" >&2
  exit 1
}

expand() {
  if command -v circleci >/dev/null 2>&1; then
    printf '%s' "$1" | circleci env subst
  else
    printf '%s' "$1"
  fi
}

[ -n "${BASH_ENV:-}" ] || fail "BASH_ENV is not set: run this command in a CircleCI job (bash shell)."
bin="${TELEPORT_CI_BIN:-}"
if [ -z "$bin" ] && ! bin=$(command -v teleport-ci); then
  fail "teleport-ci was not found on PATH or in TELEPORT_CI_BIN; the step 'Find or install teleport-ci' installs it."
fi

version=$(expand "${TELEPORT_ORB_STR_VERSION:-auto}")
proxy=$(expand "${TELEPORT_ORB_STR_PROXY:-}")
[ -n "$version" ] || fail "version is empty: give a Teleport version such as 17.4.2, or auto."

# --flag=value keeps each value one argument, even one starting with '-'.
args=(setup "--version=${version}")
if [ -n "$proxy" ]; then args+=("--proxy=${proxy}"); fi
args+=("--write-env=${BASH_ENV}")

"$bin" "${args[@]}"
