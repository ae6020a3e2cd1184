#!/usr/bin/env bash
# Runs the real-client scenarios of scripts/clients/ one after the other (each starts and stops its
# own server), then prints a summary table: client, version, result, duration.
#
# Usage: scripts/clients/run-all.sh [CLIENT...]     (default: aws boto3 rclone restic s3cmd js)
# Exit status 0 only when every scenario passed. A missing client is a failure.
set -uo pipefail

here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
clients=("$@")
((${#clients[@]})) || clients=(aws boto3 rclone restic s3cmd js)

logs=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-clients.XXXXXX")
trap 'rm -rf -- "$logs"' EXIT

declare -A version result secs detail
failed=0
for c in "${clients[@]}"; do
  printf '\n===== client scenario: %s =====\n' "$c"
  t=$SECONDS
  rc=0
  if [[ -x "$here/$c.sh" ]]; then
    "$here/$c.sh" 2>&1 | tee "$logs/$c.log" || rc=$?
  else
    echo "FAIL: $c: no scenario $here/$c.sh" | tee "$logs/$c.log"
    rc=1
  fi
  secs[$c]=$((SECONDS - t))
  v=$(grep -m1 "^VERSION: $c: " "$logs/$c.log" | sed "s/^VERSION: $c: //")
  version[$c]=${v:-?}
  if ((rc == 0)); then
    result[$c]=PASS
    detail[$c]=""
  else
    result[$c]=FAIL
    detail[$c]=$(grep -m1 "^FAIL: " "$logs/$c.log" | sed "s/^FAIL: $c: //" | cut -c1-100)
    failed=1
  fi
done

printf '\n===== client scenarios: summary =====\n'
printf '%-8s %-6s %6s  %s\n' CLIENT RESULT TIME VERSION
for c in "${clients[@]}"; do
  printf '%-8s %-6s %5ss  %s\n' "$c" "${result[$c]}" "${secs[$c]}" "${version[$c]}"
  [[ -z "${detail[$c]}" ]] || printf '         failed step: %s\n' "${detail[$c]}"
done
if ((failed)); then
  echo "FAIL: scripts/clients/run-all.sh"
  exit 1
fi
echo "PASS: scripts/clients/run-all.sh"
