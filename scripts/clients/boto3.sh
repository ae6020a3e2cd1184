#!/usr/bin/env bash
# Real-client scenario: boto3 (Debian's python3-boto3 under /usr/bin/python3) against
# bin/memo-s3 serve started from the built jar; the steps are in boto3_scenario.py.
# Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=boto3
here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
# shellcheck source=scripts/clients/lib.sh
source "$here/lib.sh"

PY=/usr/bin/python3
require_exe "$PY"
"$PY" -c 'import boto3' 2>/dev/null || fail "boto3 is not importable by $PY (apt-get install python3-boto3)"

export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export AWS_CONFIG_FILE=$MEMO_TMP/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$MEMO_TMP/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true

memo_start

rc=0
MEMO_CLI="$MEMO_ROOT/bin/memo-s3" MEMO_DATA="$MEMO_TMP/data" MEMO_S3_NO_BUILD=1 \
  "$PY" "$here/boto3_scenario.py" "$MEMO_ENDPOINT" "$MEMO_TMP" | tee "$MEMO_TMP/scenario.log" || rc=$?
if ((rc != 0)); then
  : >"$MEMO_TMP/step.log" # the scenario's output is above
  fail "boto3_scenario.py exited with status $rc"
fi
n=$(grep -c "UPLOAD_PART_COPY PUT /boto3-scenario/big/50mib-copy.bin[? ].*status=200" "$(memo_server_log)" || true)
((n > 1)) || fail "expected UploadPartCopy requests for big/50mib-copy.bin in the access log, found $n"
pass "managed copy used $n UploadPartCopy requests"

memo_done
