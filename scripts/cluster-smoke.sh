#!/usr/bin/env bash
# docker/smoke.sh's steps against three local processes with docker/compose.yaml's settings (a
# 3-node cluster, backups=1, peers listed on every node, one master key file shared by all, the
# root credentials from MEMO_S3_ACCESS_KEY_ID / MEMO_S3_SECRET_ACCESS_KEY), since the build machine
# has no Docker engine. Each node gets free ports on 127.0.0.1 and a temp data directory; at the end
# every node must stop on SIGTERM with exit status 0.
#
# Usage: scripts/cluster-smoke.sh    (prints PASS or FAIL; exit status 0 only on PASS)
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-cluster-smoke.XXXXXX")
pids=()
failed=0

cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf -- "$tmp"
  if ((rc != 0 && failed == 0)); then
    echo "FAIL: scripts/cluster-smoke.sh (unexpected exit status $rc)" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "cluster-smoke: $*" >&2
  for n in 1 2 3; do
    if [[ -f "$tmp/node$n.err" ]]; then
      echo "--- last lines of node$n's stderr ---" >&2
      tail -n 20 "$tmp/node$n.err" >&2 || true
    fi
  done
  echo "FAIL: scripts/cluster-smoke.sh" >&2
  failed=1
  exit 1
}

python=/usr/bin/python3
[[ -x "$python" ]] || python=$(command -v python3) || fail "python3 not found (used to pick free ports)"
read -r -a port < <("$python" "$root/scripts/free-ports.py" 9)
# port[0..2]: S3, port[3..5]: discovery, port[6..8]: communication of node1..node3
peers="127.0.0.1:${port[3]},127.0.0.1:${port[4]},127.0.0.1:${port[5]}"

export MEMO_S3_ACCESS_KEY_ID=${MEMO_S3_ACCESS_KEY_ID:-MEMOCLUSTERADMIN0001}
export MEMO_S3_SECRET_ACCESS_KEY=${MEMO_S3_SECRET_ACCESS_KEY:-change-me/memo-s3-cluster-secret-0001}
# The shared master key, as compose mounts ./master.key (base64 of 32 random bytes).
head -c 32 /dev/urandom | base64 >"$tmp/master.key"
chmod 600 "$tmp/master.key"

echo "== bin/memo-s3 --help (builds the jar if needed)"
"$root/bin/memo-s3" --help >/dev/null || fail "bin/memo-s3 --help failed"

for n in 1 2 3; do
  i=$((n - 1))
  echo "== node$n: S3 127.0.0.1:${port[i]}, discovery ${port[i + 3]}, peers $peers"
  MEMO_S3_NO_BUILD=1 "$root/bin/memo-s3" serve --listen "127.0.0.1:${port[i]}" \
    --data "$tmp/node$n" --grid-host 127.0.0.1 --discovery-port "${port[i + 3]}" \
    --communication-port "${port[i + 6]}" --peers "$peers" --backups 1 \
    --master-key-file "$tmp/master.key" --admin-listen 127.0.0.1:0 \
    >"$tmp/node$n.out" 2>"$tmp/node$n.err" &
  pids+=($!)
done
for n in 1 2 3; do
  for s in $(seq 1 180); do
    kill -0 "${pids[n - 1]}" 2>/dev/null || fail "node$n exited during start"
    grep -q "memo-s3 is running" "$tmp/node$n.out" 2>/dev/null && break
    ((s < 180)) || fail "node$n did not start within 180 s"
    sleep 1
  done
done

SMOKE_PORTS="${port[0]} ${port[1]} ${port[2]}" "$root/docker/smoke.sh" || fail "docker/smoke.sh failed"

for n in 1 2 3; do
  echo "== stop node$n: SIGTERM to pid ${pids[n - 1]}"
  kill -TERM "${pids[n - 1]}"
done
for n in 1 2 3; do
  rc=0
  wait "${pids[n - 1]}" || rc=$?
  ((rc == 0)) || fail "node$n exited with status $rc after SIGTERM (expected 0)"
done
pids=()
echo "PASS: scripts/cluster-smoke.sh"
