#!/bin/sh
# Installs tbot, tsh and tctl with `teleport-ci setup`, which puts them on PATH for the
# job's later steps through $BASH_ENV. POSIX sh.
#
# Parameters arrive as environment variables, never spliced into this code:
#   TELEPORT_ORB_STR_VERSION  Teleport version, or `auto` to follow the cluster
#   TELEPORT_ORB_STR_PROXY    proxy address, `host:port` (needed for `auto`)
set -eu

teleport_orb_fail() {
  printf 'teleport orb: %s\n' "$1" >&2
  exit 1
}

teleport_orb_expand() {
  if command -v circleci >/dev/null 2>&1; then
    printf '%s' "$1" | circleci env subst
  else
    printf '%s' "$1"
  fi
}

[ -n "${BASH_ENV:-}" ] || teleport_orb_fail "BASH_ENV is not set: run this command in a CircleCI job."
# bash read $BASH_ENV when this step started; sh (images without bash) does not, so read it here.
if [ -z "${BASH_VERSION:-}" ] && [ -f "$BASH_ENV" ]; then
  # shellcheck source=/dev/null
  . "$BASH_ENV"
fi

bin="${TELEPORT_CI_BIN:-}"
if [ -z "$bin" ] && ! bin=$(command -v teleport-ci); then
  teleport_orb_fail "teleport-ci was not found on PATH or in TELEPORT_CI_BIN; the step 'Find or install teleport-ci' installs it."
fi

version=$(teleport_orb_expand "${TELEPORT_ORB_STR_VERSION:-auto}")
proxy=$(teleport_orb_expand "${TELEPORT_ORB_STR_PROXY:-}")
[ -n "$version" ] || teleport_orb_fail "version is empty: give a Teleport version such as 17.4.2, or auto."

# The tools go to a folder the `cache` parameter's save_cache/restore_cache carry between jobs;
# teleport-ci checks a restored copy against the CDN's published SHA-256 before using it.
if [ -z "${TELEPORT_CI_TOOL_CACHE:-}" ] && [ -n "${HOME:-}" ]; then
  TELEPORT_CI_TOOL_CACHE="${TELEPORT_CI_HOME:-$HOME/.cache/teleport-ci}/tools"
  export TELEPORT_CI_TOOL_CACHE
fi

# --flag=value keeps each value one argument, even one starting with '-'.
set -- setup "--version=${version}"
if [ -n "$proxy" ]; then set -- "$@" "--proxy=${proxy}"; fi
set -- "$@" "--write-env=${BASH_ENV}"

"$bin" "$@"
