#!/usr/bin/env bash
# Real-client scenario: s3cmd (config file in the temp dir, path-style, SigV4, plain http) against
# bin/memo-s3 serve started from the built jar with a persistent data directory.
# Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=s3cmd
# shellcheck source=scripts/clients/lib.sh
source "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/lib.sh"

require_exe s3cmd
client_version "$(s3cmd --version 2>&1 | head -n 1)"

T=$MEMO_TMP
B=s3cmd-scenario
mkdir -p "$T/down" "$T/tree/a" "$T/tree/b/c"
random_file "$T/big.bin" $((20 * 1024 * 1024))
for i in 1 2 3 4; do random_file "$T/tree/a/f$i.bin" $((i * 2048)); done
random_file "$T/tree/b/c/deep.bin" 100000
echo "hello s3cmd" >"$T/tree/top.txt"

memo_start
cfg=$T/s3cfg
cat >"$cfg" <<EOF
[default]
access_key = $MEMO_S3_ACCESS_KEY_ID
secret_key = $MEMO_S3_SECRET_ACCESS_KEY
host_base = 127.0.0.1:$MEMO_PORT
host_bucket = 127.0.0.1:$MEMO_PORT
use_https = False
signature_v2 = False
bucket_location = $MEMO_REGION
EOF
s3c() { s3cmd -c "$cfg" "$@"; }

step "mb s3://$B" s3c mb "s3://$B"
step "put 20 MiB with --multipart-chunk-size-mb=5" \
  s3c put --multipart-chunk-size-mb=5 "$T/big.bin" "s3://$B/big/20mib.bin"
n=$(grep -c "UPLOAD_PART PUT /$B/big/20mib.bin[? ].*status=200" "$(memo_server_log)" || true)
((n == 4)) || fail "expected 4 successful UploadPart requests in the access log, found $n"
pass "put went up in 4 parts of 5 MiB"
step "get 20 MiB" s3c get "s3://$B/big/20mib.bin" "$T/down/20mib.bin"
step "downloaded bytes match" cmp "$T/big.bin" "$T/down/20mib.bin"

step "sync tree -> s3://$B/tree/" s3c sync "$T/tree/" "s3://$B/tree/"
step "sync (second run)" s3c sync "$T/tree/" "s3://$B/tree/"
grep -q "upload:" "$T/step.log" && fail "second sync uploaded again: $(grep upload: "$T/step.log" | head -n 3)"
pass "second sync uploaded nothing"
rm "$T/tree/a/f2.bin"
step "sync --delete-removed" s3c sync --delete-removed "$T/tree/" "s3://$B/tree/"
grep -q "delete: 's3://$B/tree/a/f2.bin'" "$T/step.log" || fail "sync --delete-removed did not delete a/f2.bin"
step "sync s3://$B/tree/ -> local" s3c sync "s3://$B/tree/" "$T/tree-down/"
step "synced tree equals the source (diff -r)" diff -r "$T/tree" "$T/tree-down"

step_out "ls s3://$B" s3c ls "s3://$B"
grep -q "DIR +s3://$B/big/" "$T/step.out" || grep -Eq "DIR +s3://$B/big/" "$T/step.out" \
  || fail "ls does not show s3://$B/big/"
step_out "ls --recursive s3://$B" s3c ls --recursive "s3://$B"
grep -Eq " 20971520 +s3://$B/big/20mib.bin\$" "$T/step.out" || fail "ls -r: big/20mib.bin with 20971520 B"
n=$(wc -l <"$T/step.out")
((n == 6)) || fail "ls -r lists $n objects, expected 6"
pass "ls --recursive lists the 6 objects"

step_out "info s3://$B/big/20mib.bin" s3c info "s3://$B/big/20mib.bin"
grep -Eq "File size: +20971520" "$T/step.out" || fail "info: File size is not 20971520"
pass "info shows the size"
step_out "info s3://$B" s3c info "s3://$B"
grep -Eq "Policy: +none" "$T/step.out" || fail "info: a bucket without a policy does not show Policy: none"
pass "info shows no policy"

# A bucket policy: anonymous GET of the tree/ prefix, shown by info, then removed.
cat >"$T/policy.json" <<EOP
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::$B/big/*"}]}
EOP
step "setpolicy (public read of big/)" s3c setpolicy "$T/policy.json" "s3://$B"
step_out "info s3://$B (with the policy)" s3c info "s3://$B"
grep -q "arn:aws:s3:::$B/big/\*" "$T/step.out" || fail "info does not show the policy"
pass "info shows the policy"
code=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO_ENDPOINT/$B/big/20mib.bin")
[[ $code == 200 ]] || fail "anonymous GET under the policy: HTTP $code, not 200"
pass "anonymous GET of big/20mib.bin under the policy: 200"
step "delpolicy" s3c delpolicy "s3://$B"
code=$(curl -s -o /dev/null -w '%{http_code}' "$MEMO_ENDPOINT/$B/big/20mib.bin")
[[ $code == 403 ]] || fail "anonymous GET after delpolicy: HTTP $code, not 403"
pass "anonymous GET after delpolicy: 403"

step "del s3://$B/big/20mib.bin" s3c del "s3://$B/big/20mib.bin"
step "del --recursive --force s3://$B/tree/" s3c del --recursive --force "s3://$B/tree/"
step_out "ls --recursive after del" s3c ls --recursive "s3://$B"
[[ ! -s "$T/step.out" ]] || fail "objects left after del: $(head -n 3 "$T/step.out")"
pass "bucket is empty"
step "rb s3://$B" s3c rb "s3://$B"

memo_done
