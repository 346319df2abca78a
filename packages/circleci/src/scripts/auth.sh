#!/bin/sh
# Joins the Teleport cluster with `teleport-ci auth`, `auth-ssh` or `auth-k8s` and hands the
# credentials' paths and variables to the job's later steps through $BASH_ENV. POSIX sh.
#
# Parameters arrive as environment variables, never spliced into this code:
#   TELEPORT_ORB_CONST_SUBCOMMAND        auth, auth-ssh or auth-k8s (fixed by the orb command)
#   TELEPORT_ORB_STR_PROXY               proxy address, host:port
#   TELEPORT_ORB_STR_TOKEN               join token name
#   TELEPORT_ORB_ENUM_JOIN_METHOD        circleci or token
#   TELEPORT_ORB_STR_CERTIFICATE_TTL     e.g. 1h (empty: tbot's default)
#   TELEPORT_ORB_STR_ROLES               comma-separated roles (empty: all the bot's roles)
#   TELEPORT_ORB_STR_OUT                 credentials folder (empty: the CLI's private default)
#   TELEPORT_ORB_STR_KUBERNETES_CLUSTER  auth-k8s: one cluster by name
#   TELEPORT_ORB_STR_KUBERNETES_LABELS   auth-k8s: clusters by label
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
# bash read $BASH_ENV when this step started; sh (images without bash) does not, so read it here:
# it holds TELEPORT_CI_BIN and the tools' PATH that earlier steps recorded.
if [ -z "${BASH_VERSION:-}" ] && [ -f "$BASH_ENV" ]; then
  # shellcheck source=/dev/null
  . "$BASH_ENV"
fi

subcommand="${TELEPORT_ORB_CONST_SUBCOMMAND:-}"
case "$subcommand" in
  auth | auth-ssh | auth-k8s) ;;
  *) teleport_orb_fail "unknown teleport-ci command '${subcommand}'." ;;
esac

bin="${TELEPORT_CI_BIN:-}"
if [ -z "$bin" ] && ! bin=$(command -v teleport-ci); then
  teleport_orb_fail "teleport-ci was not found on PATH or in TELEPORT_CI_BIN; the step 'Find or install teleport-ci' installs it."
fi

proxy=$(teleport_orb_expand "${TELEPORT_ORB_STR_PROXY:-}")
token=$(teleport_orb_expand "${TELEPORT_ORB_STR_TOKEN:-}")
join_method="${TELEPORT_ORB_ENUM_JOIN_METHOD:-circleci}"
ttl=$(teleport_orb_expand "${TELEPORT_ORB_STR_CERTIFICATE_TTL:-}")
roles=$(teleport_orb_expand "${TELEPORT_ORB_STR_ROLES:-}")
out=$(teleport_orb_expand "${TELEPORT_ORB_STR_OUT:-}")

[ -n "$proxy" ] || teleport_orb_fail "proxy is empty: set it to your Teleport proxy's address, e.g. teleport.example.com:443 (a \$VARIABLE in it must be set, e.g. by the job's context)."
[ -n "$token" ] || teleport_orb_fail "token is empty: set it to the name of the join token for this bot (a \$VARIABLE in it must be set, e.g. by the job's context)."

# The arguments, built in "$@" (sh has no arrays). --flag=value keeps each value one argument,
# even one starting with '-'.
set -- "$subcommand" "--proxy=${proxy}" "--join-method=${join_method}"
if [ -n "$ttl" ]; then set -- "$@" "--certificate-ttl=${ttl}"; fi
if [ -n "$roles" ]; then set -- "$@" "--roles=${roles}"; fi
if [ -n "$out" ]; then set -- "$@" "--out=${out}"; fi
if [ "$subcommand" = auth-k8s ]; then
  cluster=$(teleport_orb_expand "${TELEPORT_ORB_STR_KUBERNETES_CLUSTER:-}")
  labels=$(teleport_orb_expand "${TELEPORT_ORB_STR_KUBERNETES_LABELS:-}")
  if [ -n "$cluster" ]; then set -- "$@" "--kubernetes-cluster=${cluster}"; fi
  if [ -n "$labels" ]; then set -- "$@" "--kubernetes-labels=${labels}"; fi
fi
set -- "$@" "--write-env=${BASH_ENV}"

# The join token's name goes through the environment, never the command line (visible in ps).
TELEPORT_BOT_TOKEN="$token" "$bin" "$@"
