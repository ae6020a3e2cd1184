#!/usr/bin/env bash
# One big object through the real server in bounded memory (issue 7, the long form of
# compat-tests BoundedMemoryIT): bin/memo-s3 serve with -Xmx512m and a 256 MiB data region on free
# ports and a temp data directory; Debian's aws CLI streams a generated N GiB object up from a pipe
# (aws s3 cp - s3://... --expected-size, i.e. a multipart upload), then down to a pipe; the MD5s
# taken on both sides must match. Prints the throughput both ways, the server's peak RSS (VmHWM)
# against heap + data region, and the data directory's size; then deletes the object and bucket,
# stops the server (SIGTERM, exit status 0 expected) and removes the data directory.
#
# The object is AES-128-CTR keystream of a fixed key (openssl enc over /dev/zero): incompressible
# and deterministic, generated on the fly; nothing holds it, on disk or in memory, besides the
# server's store.
#
# Usage: scripts/big-object.sh [GiB]     (default 10; prints PASS or FAIL, exit status 0 on PASS)
# Environment: AWS_CLI (default /usr/bin/aws), JAVA_HOME, HEAP_MIB (default 512), REGION_MIB (256),
#   MARGIN_MIB (384: the RSS allowed above heap + region, see README "Memory"), TMPDIR (where the
#   data directory goes; needs about 2 x N GiB free).
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
gib=${1:-10}
[[ "$gib" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [GiB]" >&2; exit 2; }
size=$((gib * 1024 * 1024 * 1024))
heap_mib=${HEAP_MIB:-512}
region_mib=${REGION_MIB:-256}
margin_mib=${MARGIN_MIB:-384}
aws_cli=${AWS_CLI:-/usr/bin/aws}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memo-s3-big.XXXXXX")
pid=""
failed=0

cleanup() {
  local rc=$?
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf -- "$tmp"
  if ((rc != 0 && failed == 0)); then
    echo "FAIL: scripts/big-object.sh (unexpected exit status $rc)" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "big-object: $*" >&2
  if [[ -f "$tmp/server.err" ]]; then
    echo "--- last lines of the server's stderr ---" >&2
    tail -n 30 "$tmp/server.err" >&2 || true
  fi
  echo "FAIL: scripts/big-object.sh" >&2
  failed=1
  exit 1
}

step() { echo "== $*"; }
now() { date +%s.%N; }
mib_per_s() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
status_mib() { awk -v f="$1:" '$1 == f { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }

[[ -x "$aws_cli" ]] || fail "$aws_cli not found (apt-get install awscli)"
command -v openssl >/dev/null || fail "openssl not found (used to generate the object)"
python=/usr/bin/python3
[[ -x "$python" ]] || python=$(command -v python3) || fail "python3 not found (used to pick free ports)"
free_kib=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
((free_kib > (2 * gib + 2) * 1024 * 1024)) \
  || fail "$tmp has $((free_kib / 1024 / 1024)) GiB free; $((2 * gib + 2)) GiB needed for a $gib GiB object"

generate() { # the object's bytes on stdout (openssl ends on SIGPIPE when head is done)
  { openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 </dev/zero \
    2>/dev/null || true; } | head -c "$size"
}

export MEMO_S3_ACCESS_KEY_ID=BIGOBJECTACCESSKEY01
export MEMO_S3_SECRET_ACCESS_KEY=big/object/secret/0123456789abcdefghijklm
export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$tmp/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$tmp/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true

step "bin/memo-s3 --help (builds the jar if needed)"
"$root/bin/memo-s3" --help >/dev/null || fail "bin/memo-s3 --help failed"

read -r port disco comm < <("$python" "$root/scripts/free-ports.py" 3)
endpoint="http://127.0.0.1:$port"
awsx() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }

step "start: JAVA_OPTS=-Xmx${heap_mib}m bin/memo-s3 serve --data-region-mib $region_mib (127.0.0.1:$port)"
JAVA_OPTS="-Xmx${heap_mib}m" MEMO_S3_NO_BUILD=1 "$root/bin/memo-s3" serve --listen "127.0.0.1:$port" \
  --data "$tmp/data" --discovery-port "$disco" --communication-port "$comm" \
  --admin-listen 127.0.0.1:0 --data-region-mib "$region_mib" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
pid=$! # bin/memo-s3 execs java: this is the server's JVM
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || fail "server exited during start"
  if grep -q "memo-s3 is running" "$tmp/server.out" 2>/dev/null \
    && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  sleep 1
done
grep -q "memo-s3 is running" "$tmp/server.out" || fail "server did not start within 120 s"
echo "server pid $pid, RSS $(status_mib VmRSS) MiB"

bucket="big-$(date +%s)-$$"
awsx s3 mb "s3://$bucket" >/dev/null || fail "mb failed"

step "upload $gib GiB from a pipe: aws s3 cp - s3://$bucket/big --expected-size $size"
mkfifo "$tmp/up.fifo"
md5sum <"$tmp/up.fifo" >"$tmp/up.md5" &
md5_pid=$!
t0=$(now)
generate | tee "$tmp/up.fifo" | awsx s3 cp --no-progress - "s3://$bucket/big" --expected-size "$size" \
  || fail "upload failed"
t1=$(now)
wait "$md5_pid" || fail "md5sum of the upload failed"
up_s=$(seconds "$t0" "$t1")
echo "up: $up_s s, $(mib_per_s "$size" "$up_s") MiB/s; server RSS $(status_mib VmRSS) MiB, peak $(status_mib VmHWM) MiB"

length=$(awsx s3api head-object --bucket "$bucket" --key big --query ContentLength --output text) \
  || fail "head-object failed"
[[ "$length" == "$size" ]] || fail "head-object says $length bytes, $size were sent"

step "download to a pipe: aws s3 cp s3://$bucket/big -"
t0=$(now)
awsx s3 cp --no-progress "s3://$bucket/big" - | md5sum >"$tmp/down.md5" \
  || fail "download failed"
t1=$(now)
down_s=$(seconds "$t0" "$t1")
echo "down: $down_s s, $(mib_per_s "$size" "$down_s") MiB/s; server RSS $(status_mib VmRSS) MiB, peak $(status_mib VmHWM) MiB"

up_md5=$(cut -d' ' -f1 "$tmp/up.md5")
down_md5=$(cut -d' ' -f1 "$tmp/down.md5")
echo "MD5 sent $up_md5, received $down_md5"
[[ "$up_md5" == "$down_md5" ]] || fail "the downloaded bytes differ from the uploaded ones"

kill -0 "$pid" 2>/dev/null || fail "the server died"
peak=$(status_mib VmHWM)
limit=$((heap_mib + region_mib + margin_mib))
data_mib=$(du -sm "$tmp/data" | cut -f1)
if grep -q "OutOfMemoryError" "$tmp/server.out" "$tmp/server.err"; then
  fail "OutOfMemoryError in the server's output"
fi

step "clean up: rm, rb, SIGTERM"
awsx s3 rm "s3://$bucket/big" >/dev/null || fail "rm failed"
awsx s3 rb "s3://$bucket" >/dev/null || fail "rb failed"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
((rc == 0)) || fail "server exited with status $rc after SIGTERM (expected 0)"

echo "summary: $gib GiB up $(mib_per_s "$size" "$up_s") MiB/s, down $(mib_per_s "$size" "$down_s") MiB/s;" \
  "server peak RSS $peak MiB (limit $limit = heap $heap_mib + region $region_mib + margin $margin_mib);" \
  "data directory $data_mib MiB"
((peak <= limit)) || fail "peak RSS $peak MiB is above $limit MiB"
echo "PASS: scripts/big-object.sh"
