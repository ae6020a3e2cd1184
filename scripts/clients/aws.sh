#!/usr/bin/env bash
# Real-client scenario: Debian's aws CLI (/usr/bin/aws, default settings) against bin/memo-s3 serve
# started from the built jar with a persistent data directory (see scripts/clients/lib.sh).
# Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=aws
# shellcheck source=scripts/clients/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

# Always the absolute path: a pyenv shim may shadow aws on PATH.
AWS=${AWS_CLI:-/usr/bin/aws}
require_exe "$AWS"
require_exe curl
client_version "$("$AWS" --version 2>&1 | head -n 1)"

export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=$MEMO_REGION
export AWS_CONFIG_FILE=$MEMO_TMP/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$MEMO_TMP/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""

awsx() { "$AWS" --endpoint-url "$MEMO_ENDPOINT" "$@"; }
s3() { # aws s3 ...; transfer commands without their progress lines
  case $1 in
    cp | mv | sync) awsx s3 "$@" --no-progress ;;
    *) awsx s3 "$@" ;;
  esac
}
T=$MEMO_TMP
B=aws-scenario
mkdir -p "$T/up" "$T/down"

# --- data -------------------------------------------------------------------------------------
: >"$T/up/empty.bin"
random_file "$T/up/small.bin" $((5 * 1024))
random_file "$T/up/big.bin" $((200 * 1024 * 1024))
mkdir -p "$T/tree/a/b" "$T/tree/c"
for i in 1 2 3 4 5; do random_file "$T/tree/a/f$i.txt" $((i * 1000)); done
random_file "$T/tree/a/b/deep.bin" 70000
random_file "$T/tree/c/other.bin" 12345
echo hello >"$T/tree/top.txt"

memo_start

step "s3 mb s3://$B" s3 mb "s3://$B"

# --- cp up and down: 0 B, 5 KiB, 200 MiB (multipart) ---------------------------------------------
for f in empty.bin small.bin big.bin; do
  step "s3 cp up $f ($(stat -c %s "$T/up/$f") B)" s3 cp "$T/up/$f" "s3://$B/cp/$f"
  step "s3 cp down $f" s3 cp "s3://$B/cp/$f" "$T/down/$f"
  step "bytes of $f match" cmp "$T/up/$f" "$T/down/$f"
done
step "s3api head-object of the 200 MiB object (multipart ETag)" \
  awsx s3api head-object --bucket "$B" --key cp/big.bin
grep -Eq '"ETag": "\\"[0-9a-f]{32}-[0-9]+\\""' "$T/step.log" \
  || fail "ETag of the 200 MiB upload is not a multipart ETag: $(grep ETag "$T/step.log")"
grep -q '"ContentLength": 209715200' "$T/step.log" || fail "ContentLength is not 209715200"
pass "200 MiB object has a multipart ETag and ContentLength 209715200"

# --- cp --recursive ---------------------------------------------------------------------------
step "s3 cp --recursive up" s3 cp --recursive "$T/tree" "s3://$B/tree"
step "s3 cp --recursive down" s3 cp --recursive "s3://$B/tree" "$T/tree-down"
step "recursive download equals the tree (diff -r)" diff -r "$T/tree" "$T/tree-down"

# --- sync twice, then sync --delete -------------------------------------------------------------
step "s3 sync (first run)" s3 sync "$T/tree" "s3://$B/sync"
grep -c '^upload:' "$T/step.log" | grep -qx 8 || fail "first sync did not upload 8 files"
step "s3 sync (second run)" s3 sync "$T/tree" "s3://$B/sync"
if [[ -s "$T/step.log" ]]; then
  fail "second sync transferred something (output should be empty): $(head -n 5 "$T/step.log")"
fi
pass "second sync output is empty"
rm "$T/tree/a/f3.txt"
echo changed >"$T/tree/top.txt"
step "s3 sync --delete" s3 sync --delete "$T/tree" "s3://$B/sync"
grep -q "^delete: s3://$B/sync/a/f3.txt" "$T/step.log" || fail "sync --delete did not delete a/f3.txt"
grep -q "^upload: .*top.txt to s3://$B/sync/top.txt" "$T/step.log" || fail "sync did not upload top.txt"
step "s3 sync down equals the changed tree" s3 sync "s3://$B/sync" "$T/sync-down"
step "synced tree equals the source (diff -r)" diff -r "$T/tree" "$T/sync-down"

# --- mv: local -> s3, then s3 -> s3 (server-side copy + delete) ---------------------------------
cp "$T/up/small.bin" "$T/mv.bin"
step "s3 mv local -> s3://$B/mv/one.bin" s3 mv "$T/mv.bin" "s3://$B/mv/one.bin"
[[ ! -e "$T/mv.bin" ]] || fail "s3 mv left the local file"
step "s3 mv s3://$B/mv/one.bin -> s3://$B/mv/two.bin (CopyObject)" \
  s3 mv "s3://$B/mv/one.bin" "s3://$B/mv/two.bin"
step "s3 cp down the moved object" s3 cp "s3://$B/mv/two.bin" "$T/down/two.bin"
step "moved bytes match" cmp "$T/up/small.bin" "$T/down/two.bin"
if awsx s3api head-object --bucket "$B" --key mv/one.bin >"$T/step.log" 2>&1; then
  fail "mv source mv/one.bin still exists"
fi
grep -q "404" "$T/step.log" || fail "head-object of the moved source: expected 404"
pass "mv source is gone (404)"

# --- ls --recursive -----------------------------------------------------------------------------
step "s3 ls --recursive" s3 ls --recursive "s3://$B"
cp "$T/step.log" "$T/ls.txt"
for k in cp/empty.bin cp/small.bin cp/big.bin tree/a/b/deep.bin sync/c/other.bin mv/two.bin; do
  grep -Eq "[[:space:]]$k\$" "$T/ls.txt" || fail "ls --recursive does not list $k"
done
grep -Eq "[[:space:]]209715200 cp/big.bin\$" "$T/ls.txt" || fail "ls --recursive: size of cp/big.bin"
grep -q "sync/a/f3.txt" "$T/ls.txt" && fail "ls --recursive still lists the deleted sync/a/f3.txt"
n=$(wc -l <"$T/ls.txt")
((n == 3 + 8 + 8 - 1 + 1)) || fail "ls --recursive lists $n keys, expected 19"
pass "ls --recursive lists the expected 19 keys"

# --- rm --recursive -----------------------------------------------------------------------------
step "s3 rm --recursive s3://$B/tree" s3 rm --recursive "s3://$B/tree"
grep -c '^delete:' "$T/step.log" | grep -qx 8 || fail "rm --recursive did not delete 8 objects"
# (s3 ls exits 1 when nothing matches: check the listing with s3api instead.)
step "s3api list-objects-v2 --prefix tree/" \
  awsx s3api list-objects-v2 --bucket "$B" --prefix tree/ --output json
grep -q '"Key"' "$T/step.log" && fail "prefix tree/ not empty after rm --recursive"
pass "prefix tree/ is empty after rm --recursive"

# --- presign + curl -----------------------------------------------------------------------------
step "s3 presign s3://$B/cp/small.bin" awsx s3 presign "s3://$B/cp/small.bin" --expires-in 300
url=$(tail -n 1 "$T/step.log")
step "curl the presigned URL" curl -sS -f -o "$T/down/presigned.bin" "$url"
step "presigned download bytes match" cmp "$T/up/small.bin" "$T/down/presigned.bin"

# --- s3api --------------------------------------------------------------------------------------
step "s3api put-object" awsx s3api put-object --bucket "$B" --key api/obj.bin \
  --body "$T/up/small.bin" --content-type application/x-test --metadata color=blue
step "s3api get-object" awsx s3api get-object --bucket "$B" --key api/obj.bin "$T/down/api.bin"
step "get-object bytes match" cmp "$T/up/small.bin" "$T/down/api.bin"
step "s3api head-object" awsx s3api head-object --bucket "$B" --key api/obj.bin
grep -q '"ContentLength": 5120' "$T/step.log" || fail "head-object ContentLength is not 5120"
grep -q '"ContentType": "application/x-test"' "$T/step.log" || fail "head-object ContentType"
grep -q '"color": "blue"' "$T/step.log" || fail "head-object lacks metadata color=blue"
pass "head-object: length, content type and metadata"
step "s3api get-object-attributes" awsx s3api get-object-attributes --bucket "$B" --key api/obj.bin \
  --object-attributes ETag ObjectSize StorageClass
grep -q '"ObjectSize": 5120' "$T/step.log" || fail "get-object-attributes ObjectSize is not 5120"
pass "get-object-attributes: size"
# A bucket policy opening api/ to anonymous GETs, then removed.
step "s3api put-bucket-policy (anonymous GET of api/ from the loopback network)" \
  awsx s3api put-bucket-policy --bucket "$B" \
  --policy "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$B/api/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"127.0.0.0/8\",\"::1\"]}}}]}"
step "s3api get-bucket-policy" awsx s3api get-bucket-policy --bucket "$B"
grep -q "arn:aws:s3:::$B/api/" "$T/step.log" || fail "get-bucket-policy does not give the policy back"
code=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO_ENDPOINT/$B/api/obj.bin")
[[ $code == 200 ]] || fail "anonymous GET under the policy: HTTP $code, not 200"
pass "anonymous GET of api/obj.bin under the policy: 200"
step "s3api delete-bucket-policy" awsx s3api delete-bucket-policy --bucket "$B"
code=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO_ENDPOINT/$B/api/obj.bin")
[[ $code == 403 ]] || fail "anonymous GET after delete-bucket-policy: HTTP $code, not 403"
pass "anonymous GET after delete-bucket-policy: 403"
step "s3api list-object-versions" awsx s3api list-object-versions --bucket "$B" --prefix api/
grep -q '"Key": "api/obj.bin"' "$T/step.log" || fail "list-object-versions does not list api/obj.bin"
pass "list-object-versions lists api/obj.bin"

random_file "$T/up/part1.bin" $((5 * 1024 * 1024))
random_file "$T/up/part2.bin" $((1024 * 1024 + 17))
cat "$T/up/part1.bin" "$T/up/part2.bin" >"$T/up/mpu.bin"
step "s3api create-multipart-upload" awsx s3api create-multipart-upload --bucket "$B" \
  --key api/mpu.bin --query UploadId --output text
upload_id=$(tail -n 1 "$T/step.log")
[[ -n "$upload_id" && "$upload_id" != None ]] || fail "no UploadId"
etags=()
for n in 1 2; do
  step "s3api upload-part $n" awsx s3api upload-part --bucket "$B" --key api/mpu.bin \
    --upload-id "$upload_id" --part-number "$n" --body "$T/up/part$n.bin" --query ETag --output text
  e=$(tail -n 1 "$T/step.log")
  etags+=("${e//\"/}")
done
printf '{"Parts": [{"PartNumber": 1, "ETag": "%s"}, {"PartNumber": 2, "ETag": "%s"}]}\n' \
  "${etags[0]}" "${etags[1]}" >"$T/parts.json"
step "s3api complete-multipart-upload" awsx s3api complete-multipart-upload --bucket "$B" \
  --key api/mpu.bin --upload-id "$upload_id" --multipart-upload "file://$T/parts.json"
step "s3api get-object of the multipart object" \
  awsx s3api get-object --bucket "$B" --key api/mpu.bin "$T/down/mpu.bin"
step "multipart object bytes match" cmp "$T/up/mpu.bin" "$T/down/mpu.bin"

# --- s3 -> s3 copy of the 200 MiB object ---------------------------------------------------------
# Above multipart_threshold the CLI copies with CreateMultipartUpload + UploadPartCopy, and by default
# (--copy-props default) first reads the source's tags with GetObjectTagging.
step "s3 cp s3 -> s3 of the 200 MiB object (multipart copy: UploadPartCopy)" \
  s3 cp "s3://$B/cp/big.bin" "s3://$B/copy/big.bin"
n=$(grep -c "UPLOAD_PART_COPY PUT /$B/copy/big.bin[? ].*status=200" "$(memo_server_log)" || true)
((n > 1)) || fail "expected UploadPartCopy requests for copy/big.bin in the access log, found $n"
pass "s3 -> s3 copy used $n UploadPartCopy requests"
step "s3 cp down the copy" s3 cp "s3://$B/copy/big.bin" "$T/down/big-copy.bin"
step "copied bytes match" cmp "$T/up/big.bin" "$T/down/big-copy.bin"

# --- SSE-C: a key only the client holds (loopback: memo-s3 takes keys without TLS there) --------
head -c 32 /dev/urandom >"$T/ssec.key"
random_file "$T/up/ssec.bin" $((20 * 1024 * 1024))
ssec=(--sse-c AES256 --sse-c-key "fileb://$T/ssec.key")
# Blocked by default (as on S3 since 2026); aws CLI 2.9 predates BlockedEncryptionTypes.
if s3 cp "${ssec[@]}" "$T/up/small.bin" "s3://$B/ssec/blocked.bin" >"$T/step.log" 2>&1; then
  fail "an SSE-C write went through while SSE-C is blocked"
fi
pass "an SSE-C write is refused while SSE-C is blocked (the default)"
step "memo-s3 bucket sse-c $B on" memo_cli bucket sse-c "$B" on
step "s3 cp up 20 MiB with --sse-c (multipart: every part with the key)" \
  s3 cp "${ssec[@]}" "$T/up/ssec.bin" "s3://$B/ssec/ssec.bin"
n=$(grep -c "UPLOAD_PART PUT /$B/ssec/ssec.bin[? ].*status=200" "$(memo_server_log)" || true)
((n > 1)) || fail "expected UploadPart requests for ssec/ssec.bin in the access log, found $n"
pass "the SSE-C upload went up in $n parts"
step "s3 cp down with --sse-c" s3 cp "${ssec[@]}" "s3://$B/ssec/ssec.bin" "$T/down/ssec.bin"
step "SSE-C bytes match" cmp "$T/up/ssec.bin" "$T/down/ssec.bin"
if s3 cp "s3://$B/ssec/ssec.bin" "$T/down/ssec-nokey.bin" >"$T/step.log" 2>&1; then
  fail "an SSE-C object was read without its key"
fi
pass "an SSE-C object is not read without its key"

# --- Object Lock ---------------------------------------------------------------------------------
L=aws-locked
until_date=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
step "s3api create-bucket --object-lock-enabled-for-bucket" \
  awsx s3api create-bucket --bucket "$L" --object-lock-enabled-for-bucket
step "s3api put-object-lock-configuration (GOVERNANCE, 1 day)" \
  awsx s3api put-object-lock-configuration --bucket "$L" --object-lock-configuration \
  '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}'
step "s3api get-object-lock-configuration" awsx s3api get-object-lock-configuration --bucket "$L"
grep -q '"Days": 1' "$T/step.log" || fail "get-object-lock-configuration lacks the default retention"
step "s3api put-object (default retention)" awsx s3api put-object --bucket "$L" --key kept \
  --body "$T/up/small.bin" --query VersionId --output text
kept_version=$(tail -n 1 "$T/step.log")
step "s3api get-object-retention" awsx s3api get-object-retention --bucket "$L" --key kept
grep -q '"Mode": "GOVERNANCE"' "$T/step.log" || fail "the default retention did not apply"
if awsx s3api delete-object --bucket "$L" --key kept --version-id "$kept_version" \
  >"$T/step.log" 2>&1; then
  fail "a version under retention was deleted"
fi
grep -q AccessDenied "$T/step.log" || fail "deleting a retained version: not AccessDenied"
pass "deleting a retained version: AccessDenied"
step "s3api put-object --object-lock-legal-hold-status ON" awsx s3api put-object --bucket "$L" \
  --key held --body "$T/up/small.bin" --object-lock-mode COMPLIANCE \
  --object-lock-retain-until-date "$until_date" --object-lock-legal-hold-status ON
step "s3api head-object (lock headers)" awsx s3api head-object --bucket "$L" --key held
grep -q '"ObjectLockMode": "COMPLIANCE"' "$T/step.log" &&
  grep -q '"ObjectLockLegalHoldStatus": "ON"' "$T/step.log" ||
  fail "head-object lacks the object's lock state"
step "s3api put-object-legal-hold OFF" awsx s3api put-object-legal-hold --bucket "$L" --key held \
  --legal-hold Status=OFF
step "s3api get-object-legal-hold" awsx s3api get-object-legal-hold --bucket "$L" --key held
grep -q '"Status": "OFF"' "$T/step.log" || fail "legal hold not OFF"
step "s3api delete-object --bypass-governance-retention" awsx s3api delete-object --bucket "$L" \
  --key kept --version-id "$kept_version" --bypass-governance-retention
# The COMPLIANCE version stays for its day: the bucket is left behind with the server's data.

# --- rb --force ---------------------------------------------------------------------------------
step "s3 rb --force s3://$B" s3 rb --force "s3://$B"
step "s3 ls (bucket gone)" s3 ls
grep -q " $B\$" "$T/step.log" && fail "bucket $B still listed after rb --force"
pass "bucket is gone"

memo_done
