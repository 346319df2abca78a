#!/usr/bin/env bash
# Stops background tbot and deletes the credentials earlier commands of this job wrote, with
# `teleport-ci cleanup`. Nothing to do when teleport-ci never got installed.
set -euo pipefail

bin="${TELEPORT_CI_BIN:-}"
if [ -z "$bin" ] && ! bin=$(command -v teleport-ci); then
  echo "teleport-ci is not installed in this job: nothing to clean up."
  exit 0
fi

"$bin" cleanup
