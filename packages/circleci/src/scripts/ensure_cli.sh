#!/bin/sh
# Finds the teleport-ci CLI, or fetches it, and records its path in $BASH_ENV as
# TELEPORT_CI_BIN, so the orb's later steps run the same copy. POSIX sh: runs under bash, dash
# and busybox sh (images without bash run steps with /bin/sh).
#
# Where teleport-ci comes from, first match wins (teleport_ci_find, below):
#   1. the `cli_path` parameter, else $TELEPORT_CI_BIN;
#   2. `teleport-ci` on PATH;
#   3. with Node.js 20 or later and npm: @teleport-actions/cli at exactly this orb release's
#      version, installed into $TELEPORT_CI_HOME/npm;
#   4. otherwise the standalone executable for linux amd64/arm64, downloaded with curl or wget
#      from `cli_download_url` (default: this release's GitHub release) into
#      $TELEPORT_CI_HOME/downloads, and run only when its SHA-256 equals the one this orb
#      release pins (also when restore_cache brought it back).
#
# Parameters arrive as environment variables, never spliced into this code:
#   TELEPORT_ORB_STR_CLI_PATH          path of a teleport-ci to use (empty: search)
#   TELEPORT_ORB_STR_CLI_DOWNLOAD_URL  folder URL holding teleport-ci-linux-<arch> (empty: default)
set -eu

teleport_orb_fail() {
  printf 'teleport orb: %s\n' "$1" >&2
  exit 1
}

# Expands $VARIABLES in a parameter value with CircleCI's own `circleci env subst` when the
# job has it. The value is only ever data: command substitutions in it are not run.
teleport_orb_expand() {
  if command -v circleci >/dev/null 2>&1; then
    printf '%s' "$1" | circleci env subst
  else
    printf '%s' "$1"
  fi
}

# 'value' for sh: every ' becomes '\'' (bash, dash and busybox read it back unchanged).
teleport_orb_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# >>> find-teleport-ci.sh (generated from packages/cli/sh/find-teleport-ci.sh by npm run gen-wrappers: do not edit)
# find-teleport-ci.sh: finds the teleport-ci CLI for a CI job, or fetches it. POSIX sh (dash,
# busybox, bash). The GitLab component, the CircleCI orb and the Jenkins library all run this
# same text; `npm run gen-wrappers` copies it into each of them, with the release's version and
# checksums written into the four `teleport_ci_release_*` lines below.
#
# `teleport_ci_find` sets TELEPORT_CI to the path of an executable teleport-ci, the first of:
#   1. $TELEPORT_CI_BIN, a path the job names (the wrappers' explicit path input);
#   2. `teleport-ci` on PATH;
#   3. with Node.js 20 or later and npm: @teleport-actions/cli at exactly this release's version,
#      installed once per job into $TELEPORT_CI_HOME/npm;
#   4. otherwise the standalone executable for this machine (linux amd64 or arm64), downloaded
#      with curl or wget from $TELEPORT_CI_DOWNLOAD_URL into $TELEPORT_CI_HOME/downloads. Its
#      SHA-256 must equal the checksum pinned below before it runs. A check leaves a record of the
#      very file it checked (see teleport_ci_has_record), so later steps skip the hash; a copy
#      restored from a CI cache, or changed in any way, is hashed again.
# $TELEPORT_CI_HOME (default ~/.cache/teleport-ci) must be a folder of this user that no other
# user may write to: it is created with mode 700, and refused otherwise.
# Progress goes to stderr. On failure: one line that says what to change, and return 1.

teleport_ci_release_version='1.0.0'
teleport_ci_release_url='https://github.com/teleport-actions/root/releases/download/v1.0.0'
teleport_ci_release_sha256_linux_amd64=''
teleport_ci_release_sha256_linux_arm64=''

teleport_ci_fail() {
  printf 'teleport-ci: %s\n' "$1" >&2
  return 1
}

# The SHA-256 of a file in lower-case hex: openssl when present (it uses the CPU's SHA
# instructions, several times faster on a 120 MB executable), else sha256sum, else shasum.
teleport_ci_sha256() {
  if command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | { read -r teleport_ci_sum _ && printf '%s' "$teleport_ci_sum"; }
  elif command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | { read -r teleport_ci_sum _ && printf '%s' "$teleport_ci_sum"; }
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | { read -r teleport_ci_sum _ && printf '%s' "$teleport_ci_sum"; }
  else
    teleport_ci_fail "this image has neither sha256sum, shasum nor openssl, so the downloaded teleport-ci cannot be verified: install coreutils (or perl's shasum), or set TELEPORT_CI_BIN"
  fi
}

# Creates $1 (mode 700) and checks that it is a directory of this user that no other user may
# write to: a binary run from a folder someone else can write could be swapped after its check.
# Needs $teleport_ci_uid (set by teleport_ci_find).
teleport_ci_private_dir() {
  if [ ! -d "$1" ] && ! (umask 077 && mkdir -p "$1") 2>/dev/null; then
    teleport_ci_fail "cannot create the folder $1: set TELEPORT_CI_HOME to a folder this user can write"
    return 1
  fi
  if [ -L "$1" ] || [ -z "$(find "$1" -prune -type d -user "$teleport_ci_uid" ! -perm -020 ! -perm -002)" ]; then
    teleport_ci_fail "$1 is not a private folder of this user (a link, another owner, or writable by others): remove it, or set TELEPORT_CI_HOME to another folder"
    return 1
  fi
}

# The identity of file $1 as `stat -c` tells it: owner, type and mode, device, inode, size,
# mtime and ctime (to the nanosecond where the file system keeps it). Fails without `stat -c`.
teleport_ci_identity() {
  stat -c '%u %f %d %i %s %Y %z' "$1" 2>/dev/null
}

# Exit status 0 when the record beside executable $1 says that this job checked this very file
# against SHA-256 $2. The record holds the sha and the file's identity, and is trusted only as a
# regular file of this user, mode 600, in the private downloads folder. The ctime in it cannot be
# set by users and changes on any write, chmod or rename, and a CI cache restore makes a new
# file, so a restored or tampered copy (or a record brought by a cache) does not match.
teleport_ci_has_record() {
  [ -f "$1.verified" ] || return 1
  # `stat` does not follow links: 8180 is a regular file of mode 600, not a link to one.
  [ "$(stat -c '%u %f' "$1.verified" 2>/dev/null)" = "$teleport_ci_uid 8180" ] &&
    teleport_ci_id=$(teleport_ci_identity "$1") || return 1
  # A regular file of this user, mode 755: no other user may write it.
  case "$teleport_ci_id" in
    "$teleport_ci_uid 81ed "*) ;;
    *) return 1 ;;
  esac
  IFS= read -r teleport_ci_line <"$1.verified" && [ "$teleport_ci_line" = "$2 $teleport_ci_id" ]
}

# Writes the record "$2" beside $1: a new file of mode 600 moved into place, so a reader sees
# all of it or none. A record that cannot be written only costs a hash at the next use.
teleport_ci_write_record() {
  teleport_ci_record=$(mktemp "$1.verified.XXXXXX" 2>/dev/null) || return 0
  if ! { printf '%s\n' "$2" >"$teleport_ci_record" && chmod 600 "$teleport_ci_record" &&
    mv -f "$teleport_ci_record" "$1.verified"; }; then
    rm -f "$teleport_ci_record"
  fi
  return 0
}

# Exit status 0 when file $1, made mode 755 first (no other user may write it while it is
# hashed), has SHA-256 $2; then records it (teleport_ci_has_record). Its identity is taken
# before the hash and must be the same after it: a file that changed while it was read is not
# the one that was checked.
teleport_ci_verify() {
  teleport_ci_before=$(teleport_ci_identity "$1") || teleport_ci_before=
  case "$teleport_ci_before" in
    "$teleport_ci_uid 81ed "*) ;;
    *)
      # Only when needed: a chmod changes the ctime, and jobs sharing the folder that check the
      # file at the same time must not change it under each other.
      chmod 755 "$1" || return 1
      teleport_ci_before=$(teleport_ci_identity "$1") || teleport_ci_before=
      ;;
  esac
  [ "$(teleport_ci_sha256 "$1")" = "$2" ] || return 1
  # Without `stat -c` (no record), every use hashes.
  [ -n "$teleport_ci_before" ] || return 0
  [ "$(teleport_ci_identity "$1")" = "$teleport_ci_before" ] || return 1
  teleport_ci_write_record "$1" "$2 $teleport_ci_before"
}

teleport_ci_home() {
  if [ -n "${TELEPORT_CI_HOME:-}" ]; then
    printf '%s' "$TELEPORT_CI_HOME"
  elif [ -n "${XDG_CACHE_HOME:-}" ]; then
    printf '%s/teleport-ci' "$XDG_CACHE_HOME"
  elif [ -n "${HOME:-}" ] && [ "$HOME" != / ]; then
    printf '%s/.cache/teleport-ci' "$HOME"
  else
    teleport_ci_fail "HOME is not set: set TELEPORT_CI_HOME to a folder this user can write"
  fi
}

# Exit status 0 when `node` is Node.js 20 or later and npm is there too.
teleport_ci_has_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' >/dev/null 2>&1
}

teleport_ci_from_npm() {
  teleport_ci_prefix="$1/npm/$teleport_ci_release_version"
  TELEPORT_CI="$teleport_ci_prefix/node_modules/.bin/teleport-ci"
  # Once per job: a later step of the same job finds this install.
  [ -x "$TELEPORT_CI" ] && return 0
  printf 'teleport-ci: installing @teleport-actions/cli@%s with npm into %s\n' "$teleport_ci_release_version" "$teleport_ci_prefix" >&2
  teleport_ci_private_dir "$teleport_ci_prefix" || return 1
  if ! npm install --prefix "$teleport_ci_prefix" --no-save --no-audit --no-fund --loglevel=error \
    "@teleport-actions/cli@$teleport_ci_release_version" >&2; then
    teleport_ci_fail "npm could not install @teleport-actions/cli@$teleport_ci_release_version (npm's output is above): check the job's access to the npm registry, or set TELEPORT_CI_BIN"
    return 1
  fi
  [ -x "$TELEPORT_CI" ] ||
    teleport_ci_fail "npm installed @teleport-actions/cli@$teleport_ci_release_version, but $TELEPORT_CI is missing: set TELEPORT_CI_BIN"
}

# The standalone build for this machine: linux-amd64 or linux-arm64, glibc only.
teleport_ci_platform() {
  teleport_ci_os=$(uname -s)
  teleport_ci_machine=$(uname -m)
  if [ "$teleport_ci_os" != Linux ]; then
    teleport_ci_fail "no standalone teleport-ci is built for $teleport_ci_os: install Node.js 20 or later in the image (the npm package is then used), or set TELEPORT_CI_BIN"
    return 1
  fi
  case "$teleport_ci_machine" in
    x86_64 | amd64) teleport_ci_arch=amd64 teleport_ci_loader=/lib64/ld-linux-x86-64.so.2 ;;
    aarch64 | arm64) teleport_ci_arch=arm64 teleport_ci_loader=/lib/ld-linux-aarch64.so.1 ;;
    *)
      teleport_ci_fail "no standalone teleport-ci is built for $teleport_ci_machine (only amd64 and arm64): install Node.js 20 or later in the image, or set TELEPORT_CI_BIN"
      return 1
      ;;
  esac
  # Node.js, inside the standalone build, needs glibc; Alpine has musl.
  if [ ! -e "$teleport_ci_loader" ]; then
    teleport_ci_fail "this image has no glibc (Alpine and other musl images), which the standalone teleport-ci needs: add Node.js 20 or later (apk add nodejs npm) so the npm package is used, or use a glibc image"
    return 1
  fi
  printf 'linux-%s' "$teleport_ci_arch"
}

# The URL as it may be shown: a mirror's `user:password@` becomes `***@` (shell only, no sed).
teleport_ci_shown_url() {
  teleport_ci_rest=${1#*://}
  teleport_ci_authority=${teleport_ci_rest%%[/?#]*}
  case "$1" in
    *://*) ;;
    *) teleport_ci_authority= ;;
  esac
  case "$teleport_ci_authority" in
    *@*) printf '%s://***@%s%s' "${1%%://*}" "${teleport_ci_authority##*@}" "${teleport_ci_rest#"$teleport_ci_authority"}" ;;
    *) printf '%s' "$1" ;;
  esac
}

teleport_ci_download() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 2 --output "$2" "$1"
  else
    wget -q -O "$2" "$1"
  fi
}

teleport_ci_from_download() {
  teleport_ci_target=$(teleport_ci_platform) || return 1
  case "$teleport_ci_target" in
    linux-amd64) teleport_ci_expected=$teleport_ci_release_sha256_linux_amd64 ;;
    linux-arm64) teleport_ci_expected=$teleport_ci_release_sha256_linux_arm64 ;;
  esac
  if [ -z "$teleport_ci_expected" ]; then
    teleport_ci_fail "this copy of the wrapper is not a release, so no checksum is pinned for the standalone teleport-ci: use a released version, an image with Node.js 20 or later, or set TELEPORT_CI_BIN"
    return 1
  fi
  # A checksum tool first: fail before a 120 MB download that could not be checked.
  if ! command -v openssl >/dev/null 2>&1 && ! command -v sha256sum >/dev/null 2>&1 && ! command -v shasum >/dev/null 2>&1; then
    teleport_ci_sha256 /dev/null
    return 1
  fi
  teleport_ci_dir="$1/downloads"
  teleport_ci_private_dir "$teleport_ci_dir" || return 1
  TELEPORT_CI="$teleport_ci_dir/teleport-ci-$teleport_ci_release_version-$teleport_ci_target"
  if [ -f "$TELEPORT_CI" ]; then
    # Checked by an earlier step of this job, and unchanged since.
    teleport_ci_has_record "$TELEPORT_CI" "$teleport_ci_expected" && return 0
    # Restored from a CI cache, or changed: verified again before it runs.
    teleport_ci_verify "$TELEPORT_CI" "$teleport_ci_expected" && return 0
    printf 'teleport-ci: %s does not match the pinned SHA-256: downloading it again\n' "$TELEPORT_CI" >&2
    rm -f "$TELEPORT_CI" "$TELEPORT_CI.verified"
  fi
  if ! command -v curl >/dev/null 2>&1 && ! command -v wget >/dev/null 2>&1; then
    teleport_ci_fail "this image has neither curl nor wget to download teleport-ci: install one, use an image with Node.js 20 or later, or set TELEPORT_CI_BIN"
    return 1
  fi
  teleport_ci_url="${TELEPORT_CI_DOWNLOAD_URL:-$teleport_ci_release_url}/teleport-ci-$teleport_ci_target"
  teleport_ci_shown=$(teleport_ci_shown_url "$teleport_ci_url")
  printf 'teleport-ci: downloading %s\n' "$teleport_ci_shown" >&2
  teleport_ci_partial=$(mktemp "$teleport_ci_dir/.download.XXXXXX") ||
    { teleport_ci_fail "cannot create a file in $teleport_ci_dir: set TELEPORT_CI_HOME to a folder this user can write"; return 1; }
  if ! teleport_ci_download "$teleport_ci_url" "$teleport_ci_partial"; then
    rm -f "$teleport_ci_partial"
    teleport_ci_fail "could not download $teleport_ci_shown: check the job's network access, or set TELEPORT_CI_DOWNLOAD_URL to a mirror of this release's files"
    return 1
  fi
  teleport_ci_actual=$(teleport_ci_sha256 "$teleport_ci_partial") || { rm -f "$teleport_ci_partial"; return 1; }
  if [ "$teleport_ci_actual" != "$teleport_ci_expected" ]; then
    rm -f "$teleport_ci_partial"
    teleport_ci_fail "the file at $teleport_ci_shown has SHA-256 $teleport_ci_actual, not the $teleport_ci_expected this release pins: nothing was run; check TELEPORT_CI_DOWNLOAD_URL (a mirror must serve this release's teleport-ci $teleport_ci_release_version)"
    return 1
  fi
  chmod 755 "$teleport_ci_partial" && mv -f "$teleport_ci_partial" "$TELEPORT_CI" || return 1
  # This job's own file (mktemp made it mode 600 in the private folder), checked above: recorded
  # as it is now, after the chmod and the rename that changed its ctime.
  if teleport_ci_id=$(teleport_ci_identity "$TELEPORT_CI"); then
    teleport_ci_write_record "$TELEPORT_CI" "$teleport_ci_expected $teleport_ci_id"
  fi
}

teleport_ci_find() {
  TELEPORT_CI=
  if [ -n "${TELEPORT_CI_BIN:-}" ]; then
    if [ -f "$TELEPORT_CI_BIN" ] && [ -x "$TELEPORT_CI_BIN" ]; then
      TELEPORT_CI=$TELEPORT_CI_BIN
      return 0
    fi
    teleport_ci_fail "TELEPORT_CI_BIN is '$TELEPORT_CI_BIN', which is not an executable file: give the path of teleport-ci, or unset it"
    return 1
  fi
  if TELEPORT_CI=$(command -v teleport-ci 2>/dev/null) && [ -n "$TELEPORT_CI" ]; then
    return 0
  fi
  teleport_ci_root=$(teleport_ci_home) || return 1
  # This user, asked once (never taken from the environment).
  teleport_ci_uid=$(id -u) || return 1
  teleport_ci_private_dir "$teleport_ci_root" || return 1
  if teleport_ci_has_node; then
    teleport_ci_from_npm "$teleport_ci_root"
  else
    teleport_ci_from_download "$teleport_ci_root"
  fi
}
# <<< find-teleport-ci.sh

[ -n "${BASH_ENV:-}" ] || teleport_orb_fail "BASH_ENV is not set: run this command in a CircleCI job."

cli_path=$(teleport_orb_expand "${TELEPORT_ORB_STR_CLI_PATH:-}")
download_url=$(teleport_orb_expand "${TELEPORT_ORB_STR_CLI_DOWNLOAD_URL:-}")
if [ -n "$cli_path" ]; then
  TELEPORT_CI_BIN=$cli_path
  export TELEPORT_CI_BIN
fi
if [ -n "$download_url" ]; then
  case "$download_url" in
    https://* | http://*) ;;
    *) teleport_orb_fail "cli_download_url '$download_url' is not an http(s) URL: give the folder that holds teleport-ci-linux-amd64, e.g. a mirror of the release's assets." ;;
  esac
  TELEPORT_CI_DOWNLOAD_URL=${download_url%/}
  export TELEPORT_CI_DOWNLOAD_URL
fi
# A fixed home, so restore_cache/save_cache (the `cache` parameter) find its downloads.
if [ -z "${TELEPORT_CI_HOME:-}" ] && [ -n "${HOME:-}" ]; then
  TELEPORT_CI_HOME="$HOME/.cache/teleport-ci"
  export TELEPORT_CI_HOME
fi

teleport_ci_find || exit 1

echo "Using teleport-ci at $TELEPORT_CI"
# Later steps (and the orb's other commands) find it through $BASH_ENV.
printf 'export TELEPORT_CI_BIN=%s\n' "$(teleport_orb_quote "$TELEPORT_CI")" >>"$BASH_ENV"
