#!/usr/bin/env bash
# Real-client scenario: AWS SDK for JavaScript v3 (@aws-sdk/client-s3 + @aws-sdk/lib-storage at the
# versions of js/package-lock.json, SDK defaults, forcePathStyle) against bin/memo-s3 serve started
# from the built jar; the steps are in js/scenario.mjs. Installs js/node_modules with `npm ci` when
# missing. Prints PASS/FAIL per step; exits 1 on the first failure.
CLIENT=js
here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
# shellcheck source=scripts/clients/lib.sh
source "$here/lib.sh"

require_exe node
require_exe npm
if [[ ! -d "$here/js/node_modules/@aws-sdk/client-s3" || ! -d "$here/js/node_modules/@aws-sdk/lib-storage" ]]; then
  step "npm ci in scripts/clients/js (versions of package-lock.json)" \
    npm ci --prefix "$here/js" --no-audit --no-fund
fi

export AWS_ACCESS_KEY_ID=$MEMO_S3_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$MEMO_S3_SECRET_ACCESS_KEY
export AWS_CONFIG_FILE=$MEMO_TMP/no-aws-config
export AWS_SHARED_CREDENTIALS_FILE=$MEMO_TMP/no-aws-credentials
export AWS_EC2_METADATA_DISABLED=true
unset AWS_REGION AWS_DEFAULT_REGION AWS_REQUEST_CHECKSUM_CALCULATION AWS_RESPONSE_CHECKSUM_VALIDATION

memo_start

rc=0
node "$here/js/scenario.mjs" "$MEMO_ENDPOINT" "$MEMO_TMP" | tee "$MEMO_TMP/scenario.log" || rc=$?
if ((rc != 0)); then
  : >"$MEMO_TMP/step.log" # the scenario's output is above
  fail "js/scenario.mjs exited with status $rc"
fi

memo_done
