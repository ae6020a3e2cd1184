#!/usr/bin/env bash
# Smoke test of the 3-node compose cluster (docker/compose.yaml) with the aws CLI: create a bucket
# through node1, upload through node2, download through node3, compare, clean up.
# The compose form is NOT RUN here (no Docker engine on the build machine); the same steps run in CI
# against three local processes with compose's settings (scripts/cluster-smoke.sh).
#
# Usage: docker compose -f docker/compose.yaml up -d --build && docker/smoke.sh
# Environment: MEMO_S3_ACCESS_KEY_ID / MEMO_S3_SECRET_ACCESS_KEY (default: compose.yaml's
# defaults), AWS_CLI (default /usr/bin/aws if present, else aws on PATH), SMOKE_SIZE_MIB [5],
# SMOKE_PORTS (the three S3 ports, default "9001 9002 9003").
set -euo pipefail

if [[ -n "${AWS_CLI:-}" ]]; then
  aws_cli=$AWS_CLI
elif [[ -x /usr/bin/aws ]]; then
  aws_cli=/usr/bin/aws
else
  aws_cli=$(command -v aws) || { echo "FAIL: aws CLI not found" >&2; exit 1; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-docker-smoke.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

export AWS_ACCESS_KEY_ID=${MEMO_S3_ACCESS_KEY_ID:-MEMOCLUSTERADMIN0001}
export AWS_SECRET_ACCESS_KEY=${MEMO_S3_SECRET_ACCESS_KEY:-change-me/memo-s3-cluster-secret-0001}
export AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$tmp/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true

fail() {
  echo "FAIL: docker/smoke.sh: $*" >&2
  exit 1
}
# The S3 ports of node1..node3 on 127.0.0.1: compose.yaml's 9001-9003, or SMOKE_PORTS (as
# scripts/cluster-smoke.sh sets it for three local processes).
read -r -a ports <<<"${SMOKE_PORTS:-9001 9002 9003}"
((${#ports[@]} == 3)) || fail "SMOKE_PORTS needs three ports, got '${SMOKE_PORTS:-}'"
node() { # node N args... : aws CLI against node N
  local n=$1
  shift
  "$aws_cli" --endpoint-url "http://127.0.0.1:${ports[n - 1]}" "$@"
}

for n in 1 2 3; do
  echo "== waiting for node$n on 127.0.0.1:${ports[n - 1]}"
  for i in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/${ports[n - 1]}") 2>/dev/null && break
    ((i < 120)) || fail "node$n does not listen on 127.0.0.1:${ports[n - 1]}"
    sleep 1
  done
done

bucket="docker-smoke-$(date +%s)-$$"
head -c $((${SMOKE_SIZE_MIB:-5} * 1024 * 1024)) /dev/urandom >"$tmp/up.bin"

echo "== mb via node1"
node 1 s3 mb "s3://$bucket" || fail "mb via node1"
echo "== cp up via node2"
node 2 s3 cp --no-progress "$tmp/up.bin" "s3://$bucket/obj.bin" || fail "upload via node2"
echo "== cp down via node3"
node 3 s3 cp --no-progress "s3://$bucket/obj.bin" "$tmp/down.bin" || fail "download via node3"
cmp "$tmp/up.bin" "$tmp/down.bin" || fail "bytes downloaded via node3 differ from the upload"
echo "== cleanup via node1"
node 1 s3 rb --force "s3://$bucket" || fail "rb --force via node1"

echo "PASS: docker/smoke.sh"
