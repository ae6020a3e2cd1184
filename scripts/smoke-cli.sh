#!/usr/bin/env bash
# Smoke test of the real server as users run it: bin/memo-s3 serve on free ports with a temp data
# directory, driven with Debian's aws CLI (/usr/bin/aws): create a bucket, upload and download a
# 5 MiB object, restart the server on the same data directory, check the object survived, clean up,
# and check that SIGTERM ends the server with exit status 0.
#
# Usage: scripts/smoke-cli.sh        (prints PASS or FAIL; exit status 0 only on PASS)
# Environment: AWS_CLI (default /usr/bin/aws), JAVA_OPTS / JAVA_HOME (passed to bin/memo-s3).
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
aws_cli=${AWS_CLI:-/usr/bin/aws}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-smoke.XXXXXX")
pid=""
run=0
failed=0

cleanup() {
  local rc=$?
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf -- "$tmp"
  if ((rc != 0 && failed == 0)); then
    echo "FAIL: scripts/smoke-cli.sh (unexpected exit status $rc)" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "smoke-cli: $*" >&2
  if ((run > 0)) && [[ -f "$tmp/server-$run.err" ]]; then
    echo "--- last lines of the server's stderr (start $run) ---" >&2
    tail -n 30 "$tmp/server-$run.err" >&2 || true
  fi
  echo "FAIL: scripts/smoke-cli.sh" >&2
  failed=1
  exit 1
}

step() { echo "== $*"; }

[[ -x "$aws_cli" ]] || fail "$aws_cli not found (apt-get install awscli)"
python=/usr/bin/python3
[[ -x "$python" ]] || python=$(command -v python3) || fail "python3 not found (used to pick free ports)"

free_ports() { # prints N free TCP ports on 127.0.0.1
  "$python" "$root/scripts/free-ports.py" "$1"
}

export MEMO_S3_ACCESS_KEY_ID=SMOKEACCESSKEY000001
export MEMO_S3_SECRET_ACCESS_KEY=smoke/secret/key/0123456789abcdefghijklm
export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$tmp/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true

endpoint=""
awsx() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }

# Build (if needed) up front, so that the start below does not wait for Maven.
step "bin/memo-s3 --help (builds the jar if needed)"
"$root/bin/memo-s3" --help >/dev/null || fail "bin/memo-s3 --help failed"

start_server() {
  run=$((run + 1))
  local port disco comm
  read -r port disco comm < <(free_ports 3)
  endpoint="http://127.0.0.1:$port"
  step "start $run: bin/memo-s3 serve --listen 127.0.0.1:$port --data $tmp/data"
  MEMO_S3_NO_BUILD=1 "$root/bin/memo-s3" serve --listen "127.0.0.1:$port" --data "$tmp/data" \
    --discovery-port "$disco" --communication-port "$comm" --admin-listen 127.0.0.1:0 \
    >"$tmp/server-$run.out" 2>"$tmp/server-$run.err" &
  pid=$!
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail "server exited during start"
    if grep -q "memo-s3 is running" "$tmp/server-$run.out" 2>/dev/null \
      && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      # The launcher's class path puts memo-s3's patched Ignite WAL writer first.
      if grep -q "unpatched WAL writer" "$tmp/server-$run.out" "$tmp/server-$run.err"; then
        fail "the server runs Ignite's unpatched WAL writer (class path order)"
      fi
      return 0
    fi
    sleep 1
  done
  fail "server did not listen on 127.0.0.1:$port within 120 s"
}

stop_server() {
  step "stop $run: SIGTERM to pid $pid"
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=""
  ((rc == 0)) || fail "server exited with status $rc after SIGTERM (expected 0)"
}

bucket="smoke-$(date +%s)-$$"
head -c $((5 * 1024 * 1024)) /dev/urandom >"$tmp/up.bin"

start_server
step "mb, cp up, cp down, cmp, ls"
awsx s3 mb "s3://$bucket" || fail "mb failed"
awsx s3 cp --no-progress "$tmp/up.bin" "s3://$bucket/dir/obj.bin" || fail "upload failed"
awsx s3 cp --no-progress "s3://$bucket/dir/obj.bin" "$tmp/down1.bin" || fail "download failed"
cmp "$tmp/up.bin" "$tmp/down1.bin" || fail "downloaded bytes differ from the upload"
awsx s3 ls "s3://$bucket/dir/" >"$tmp/ls1" || fail "ls failed"
cat "$tmp/ls1"
grep -Eq "[[:space:]]$((5 * 1024 * 1024)) obj\.bin$" "$tmp/ls1" || fail "ls does not show obj.bin with 5242880 bytes"
stop_server

start_server
step "after restart: object still there and byte-identical"
awsx s3 ls "s3://$bucket/dir/" >"$tmp/ls2" || fail "ls failed"
cat "$tmp/ls2"
grep -Eq "[[:space:]]$((5 * 1024 * 1024)) obj\.bin$" "$tmp/ls2" || fail "obj.bin missing after restart"
awsx s3 cp --no-progress "s3://$bucket/dir/obj.bin" "$tmp/down2.bin" || fail "download after restart failed"
cmp "$tmp/up.bin" "$tmp/down2.bin" || fail "bytes differ after restart"
step "rm, rb"
awsx s3 rm "s3://$bucket/dir/obj.bin" || fail "rm failed"
if awsx s3api head-object --bucket "$bucket" --key dir/obj.bin >/dev/null 2>&1; then
  fail "object still there after rm"
fi
awsx s3 rb "s3://$bucket" || fail "rb failed"
stop_server

echo "PASS: scripts/smoke-cli.sh"
