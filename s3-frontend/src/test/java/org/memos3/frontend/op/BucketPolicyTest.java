package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.op.BucketPolicy.Decision;

class BucketPolicyTest {
  static final String B = "photos";

  static BucketPolicy policy(String statements) {
    return BucketPolicy.parse("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}", B);
  }

  static void refused(String statements, int status, String code) {
    assertThatThrownBy(() -> policy(statements))
        .as(statements)
        .isInstanceOfSatisfying(
            S3ErrorException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
            });
  }

  @Test
  void statementsDecide() {
    BucketPolicy p =
        policy(
            "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/public/*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::1:user/bob\"]},"
                + "\"Action\":[\"s3:Get*\",\"s3:put?bject\"],\"Resource\":\"arn:aws:s3:::photos/*\"},"
                + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"bob\"},"
                + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::photos/secret/*\"}]");
    String pub = BucketPolicy.arn(B, "public/a.jpg");
    String secret = BucketPolicy.arn(B, "secret/x");
    assertThat(p.decide(null, "s3:GetObject", pub)).isEqualTo(Decision.ALLOW);
    assertThat(p.decide(null, "s3:GetObject", BucketPolicy.arn(B, "publicity")))
        .isEqualTo(Decision.NONE);
    assertThat(p.decide("carol", "s3:GetObject", pub)).isEqualTo(Decision.ALLOW); // "*": users too
    assertThat(p.decide("bob", "s3:PutObject", BucketPolicy.arn(B, "x"))).isEqualTo(Decision.ALLOW);
    assertThat(p.decide("bob", "s3:DeleteObject", BucketPolicy.arn(B, "x")))
        .isEqualTo(Decision.NONE);
    assertThat(p.decide("bob", "s3:GetObject", secret)).isEqualTo(Decision.DENY);
    assertThat(p.decide("bob", "s3:ListBucket", BucketPolicy.arn(B, null)))
        .isEqualTo(Decision.NONE);
    // Resources are case-sensitive, actions are not.
    assertThat(p.decide(null, "s3:GetObject", BucketPolicy.arn(B, "Public/a.jpg")))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void aSingleStatementObjectAndTheOldVersionAreTaken() {
    BucketPolicy p =
        BucketPolicy.parse(
            "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::photos\"}}",
            B);
    assertThat(p.decide(null, "s3:ListBucket", BucketPolicy.arn(B, null)))
        .isEqualTo(Decision.ALLOW);
  }

  @Test
  void refusals() {
    String ok = "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"";
    refused("[]", 400, "MalformedPolicy");
    refused("[{\"Effect\":\"Maybe\",\"Principal\":\"*\"," + ok + "}]", 400, "MalformedPolicy");
    refused("[{\"Effect\":\"Allow\"," + ok + "}]", 400, "MalformedPolicy");
    refused("[{\"Effect\":\"Allow\",\"Principal\":\"bob\"," + ok + "}]", 400, "MalformedPolicy");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ec2:RunInstances\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"}]",
        400,
        "MalformedPolicy");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::videos/*\"}]",
        400,
        "MalformedPolicy");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\"," + ok + ",\"Extra\":1}]",
        400,
        "MalformedPolicy");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\"," + ok + ",\"Condition\":[]}]",
        400,
        "MalformedPolicy");
    refused("[{\"Effect\":\"Allow\",\"NotPrincipal\":\"*\"," + ok + "}]", 501, "NotImplemented");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"x\"}," + ok + "}]",
        501,
        "NotImplemented");
    // Everyone may read and list here, nothing more.
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"}]",
        501,
        "NotImplemented");
    // A Deny to everyone is fine.
    policy(
        "[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"}]");
    assertThatThrownBy(() -> BucketPolicy.parse("nope", B))
        .isInstanceOfSatisfying(
            S3ErrorException.class, e -> assertThat(e.code()).isEqualTo("MalformedPolicy"));
  }

  @Test
  void wildcardsMatchInBoundedTime() {
    assertThat(BucketPolicy.globMatches("a*b?c", "axxbyc")).isTrue();
    assertThat(BucketPolicy.globMatches("a*b?c", "axxbc")).isFalse();
    assertThat(BucketPolicy.globMatches("*", "")).isTrue();
    assertThat(BucketPolicy.globMatches("a.c", "abc")).isFalse(); // no regex
    assertThat(BucketPolicy.globMatches("x\\E.*", "x\\E.yz")).isTrue();
    // A pattern that makes a backtracking regex take minutes, and a long key of slashes.
    BucketPolicy p =
        policy(
            "[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*/*/*/*/*/*/*.jpg\"}]");
    String key = "/".repeat(1024);
    long t0 = System.nanoTime();
    assertThat(p.decide(null, "s3:GetObject", BucketPolicy.arn(B, key))).isEqualTo(Decision.NONE);
    assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
    refused(
        "[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/"
            + "*a".repeat(40)
            + "\"}]",
        400,
        "MalformedPolicy");
  }

  @Test
  void principalsMustNameAPossibleUser() {
    String rest = ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"}]";
    for (String p :
        new String[] {
          "arn:aws:iam::1:user/staff/bob", "arn:aws:iam::1:user/*", "bob smith", "user/a:b", ""
        }) {
      refused(
          "[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + p + "\"}" + rest,
          400,
          "MalformedPolicy");
    }
    refused(
        "[{\"Effect\":\"Deny\",\"Effect\":\"Allow\",\"Principal\":\"*\"" + rest,
        400,
        "MalformedPolicy");
  }
}
