package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.error.S3ErrorException;

class PostPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  static PostPolicy policy(String json) {
    return PostPolicy.parse(
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static void refused(Runnable r, int status, String code, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            S3ErrorException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void conditionsOfEveryForm() {
    PostPolicy p =
        policy(
            "{\"expiration\": \"2026-11-28T10:05:00.000Z\", \"conditions\": ["
                + "{\"bucket\": \"photos\"}, [\"starts-with\", \"$key\", \"user/\"],"
                + " [\"eq\", \"$Content-Type\", \"image/png\"],"
                + " [\"starts-with\", \"$x-amz-meta-tag\", \"\"],"
                + " [\"content-length-range\", \"10\", 2048]]}");
    Map<String, String> ok =
        fields(
            "bucket", "photos",
            "key", "user/a.png",
            "content-type", "image/png",
            "x-amz-meta-tag", "anything",
            "policy", "...",
            "x-amz-signature", "...",
            "x-ignore-me", "1");
    p.check(ok, NOW);
    assertThat(p.minLength()).isEqualTo(10);
    assertThat(p.maxLength()).isEqualTo(2048);

    Map<String, String> wrongKey = new LinkedHashMap<>(ok);
    wrongKey.put("key", "other/a.png");
    refused(() -> p.check(wrongKey, NOW), 403, "AccessDenied", "Policy Condition failed");
    Map<String, String> extra = new LinkedHashMap<>(ok);
    extra.put("acl", "private");
    refused(() -> p.check(extra, NOW), 403, "AccessDenied", "Extra input fields: acl");
    refused(() -> p.check(ok, NOW.plusSeconds(301)), 403, "AccessDenied", "Policy expired.");
  }

  @Test
  void aContentTypeListMustMatchEveryType() {
    PostPolicy p =
        policy(
            "{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\": ["
                + "[\"starts-with\", \"$Content-Type\", \"image/\"]]}");
    p.check(fields("content-type", "image/png, image/jpeg"), NOW);
    refused(
        () -> p.check(fields("content-type", "image/png, text/html"), NOW),
        403,
        "AccessDenied",
        "Policy Condition failed");
  }

  @Test
  void unreadablePoliciesAreInvalidPolicyDocuments() {
    String[][] cases = {
      {"{not json", "Invalid JSON"},
      {"[]", "Invalid JSON"},
      {"{\"conditions\": []}", "missing expiration"},
      {"{\"expiration\": \"tomorrow\", \"conditions\": []}", "expiration"},
      {"{\"expiration\": \"2026-11-28T11:00:00Z\"}", "missing conditions"},
      {"{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\": {}}", "conditions"},
      {
        "{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\": [[\"in\", \"$key\", \"a\"]]}",
        "unknown operation"
      },
      {
        "{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\": [[\"eq\", \"key\", \"a\"]]}",
        "must start with '$'"
      },
      {
        "{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\": [{\"a\": \"1\", \"b\": \"2\"}]}",
        "exactly one"
      },
      {
        "{\"expiration\": \"2026-11-28T11:00:00Z\", \"conditions\":"
            + " [[\"content-length-range\", -1, 5]]}",
        "content-length-range"
      },
    };
    for (String[] c : cases) {
      refused(() -> policy(c[0]), 400, "InvalidPolicyDocument", c[1]);
    }
    refused(() -> PostPolicy.parse("%%%not base64"), 400, "InvalidPolicyDocument", "Invalid");
  }
}
