#!/usr/bin/env bash
# Finds the teleport-ci CLI ($TELEPORT_CI_BIN, then PATH) or installs it with npm, and records
# where it is in $BASH_ENV so the orb's later steps run the same copy.
#
# Parameters arrive as environment variables, never spliced into this code:
#   TELEPORT_ORB_STR_CLI_VERSION  version or range of @teleport-actions/cli to install
set -euo pipefail

fail() {
  printf 'teleport orb: %s\n' "$1" >&2
  exit 1
}

# Expands $VARIABLES in a parameter value with CircleCI's own `circleci env subst` when the
# job has it. The value is only ever data: command substitutions in it are not run.
expand() {
  if command -v circleci >/dev/null 2>&1; then
    printf '%s' "$1" | circleci env subst
  else
    printf '%s' "$1"
  fi
}

[ -n "${BASH_ENV:-}" ] || fail "BASH_ENV is not set: run this command in a CircleCI job (bash shell)."

cli_version=$(expand "${TELEPORT_ORB_STR_CLI_VERSION:-1}")
bin=""

if [ -n "${TELEPORT_CI_BIN:-}" ]; then
  bin=$TELEPORT_CI_BIN
  if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
    fail "TELEPORT_CI_BIN is set to '$bin', which is not an executable file."
  fi
elif bin=$(command -v teleport-ci); then
  :
else
  case "$cli_version" in
    "" | *[[:space:]]*) fail "cli_version '$cli_version' is not an npm version or range (e.g. 1, 1.2.0, ^1.2)." ;;
  esac
  if ! command -v npm >/dev/null 2>&1; then
    fail "teleport-ci was not found on PATH, and npm is not available to install it. Use an executor with Node.js 20 or later (such as this orb's default executor), install @teleport-actions/cli in the image, or set TELEPORT_CI_BIN to the path of teleport-ci."
  fi
  prefix="${TELEPORT_CI_PREFIX:-$HOME/.teleport-ci}"
  echo "teleport-ci is not on PATH: installing @teleport-actions/cli@${cli_version} into ${prefix}"
  if ! npm install --global --prefix "$prefix" --no-audit --no-fund "@teleport-actions/cli@${cli_version}"; then
    fail "npm could not install @teleport-actions/cli@${cli_version} (see npm's output above)."
  fi
  bin="$prefix/bin/teleport-ci"
  if [ ! -x "$bin" ]; then
    fail "npm installed @teleport-actions/cli@${cli_version}, but ${bin} is missing."
  fi
fi

echo "Using teleport-ci at ${bin}"
# Later steps (and the orb's other commands) find it through $BASH_ENV.
if [ "$bin" != "${TELEPORT_CI_BIN:-}" ]; then
  printf 'export TELEPORT_CI_BIN=%q\n' "$bin" >>"$BASH_ENV"
fi
