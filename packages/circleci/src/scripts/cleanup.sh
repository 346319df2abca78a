#!/bin/sh
# Stops background tbot and deletes the credentials earlier commands of this job wrote, with
# `teleport-ci cleanup`. Nothing to do when teleport-ci never got installed. POSIX sh.
set -eu

# bash read $BASH_ENV when this step started; sh (images without bash) does not, so read it here.
if [ -z "${BASH_VERSION:-}" ] && [ -n "${BASH_ENV:-}" ] && [ -f "$BASH_ENV" ]; then
  # shellcheck source=/dev/null
  . "$BASH_ENV"
fi

bin="${TELEPORT_CI_BIN:-}"
if [ -z "$bin" ] && ! bin=$(command -v teleport-ci); then
  echo "teleport-ci is not installed in this job: nothing to clean up."
  exit 0
fi

"$bin" cleanup
