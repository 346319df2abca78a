#!/bin/sh
# Writes the list of what the teleport-ci folders hold (names carry the versions) to
# /tmp/teleport-ci-cache-key, whose checksum names the cache save_cache writes: a job that
# downloads a new teleport-ci or Teleport version saves a new cache, an unchanged one saves
# nothing. POSIX sh.
set -eu

home="${TELEPORT_CI_HOME:-${HOME:-}/.cache/teleport-ci}"
# ls -R lists in name order, so the same files always give the same list.
for dir in "$home/downloads" "$home/tools"; do
  if [ -d "$dir" ]; then LC_ALL=C ls -R "$dir"; fi
done >/tmp/teleport-ci-cache-key
echo "The cache key lists $(grep -c '' /tmp/teleport-ci-cache-key || true) files."
