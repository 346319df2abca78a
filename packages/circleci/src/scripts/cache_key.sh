#!/bin/sh
# Writes the list of what the teleport-ci folders hold (names carry the versions) to
# ~/.cache/teleport-ci/cache-key, whose checksum names the cache save_cache writes: a job that
# downloads a new teleport-ci or Teleport version saves a new cache, an unchanged one saves
# nothing. POSIX sh.
set -eu

home="$HOME/.cache/teleport-ci"
mkdir -p "$home"
# ls -R lists in name order, so the same files always give the same list.
for dir in "$home/downloads" "$home/tools"; do
  if [ -d "$dir" ]; then LC_ALL=C ls -R "$dir"; fi
done >"$home/cache-key"
echo "The cache key: a listing of $(grep -c '' "$home/cache-key" || true) lines."
