package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.frontend.op.BucketPolicyTest.B;
import static org.memos3.frontend.op.BucketPolicyTest.policy;
import static org.memos3.frontend.op.BucketPolicyTest.refused;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.op.BucketPolicy.Decision;

/** Bucket policy Conditions and variables, as IAM evaluates them. */
class PolicyConditionTest {
  private static final String OBJ = BucketPolicy.arn(B, "k");

  /** A request context with the given keys (lower-case) and values. */
  private static PolicyCondition.Context ctx(String... kv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return m::get;
  }

  private static BucketPolicy allowGet(String condition) {
    return policy(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":"
            + condition
            + "}]");
  }

  private static Decision get(BucketPolicy p, PolicyCondition.Context c) {
    return p.decide(null, "s3:GetObject", OBJ, c);
  }

  /** The policy everyone copies: deny every request not made over TLS. */
  @Test
  void denyInsecureTransport() {
    BucketPolicy p =
        policy(
            "[{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]");
    assertThat(p.decide("bob", "s3:PutObject", OBJ, ctx("aws:securetransport", "false")))
        .isEqualTo(Decision.DENY);
    assertThat(p.decide("bob", "s3:PutObject", OBJ, ctx("aws:securetransport", "true")))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void sourceIpNetworks() {
    BucketPolicy p =
        allowGet("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}");
    assertThat(get(p, ctx("aws:sourceip", "10.1.2.3"))).isEqualTo(Decision.ALLOW);
    assertThat(get(p, ctx("aws:sourceip", "11.1.2.3"))).isEqualTo(Decision.NONE);
    assertThat(get(p, ctx("aws:sourceip", "2001:db8:1::5"))).isEqualTo(Decision.ALLOW);
    assertThat(get(p, ctx("aws:sourceip", "::ffff:10.9.9.9"))).isEqualTo(Decision.ALLOW);
    assertThat(get(p, ctx())).isEqualTo(Decision.NONE);
    assertThat(p.grantsAnyone()).isFalse(); // as S3: limited to networks, not public
    BucketPolicy not = allowGet("{\"NotIpAddress\":{\"aws:SourceIp\":\"127.0.0.1\"}}");
    assertThat(get(not, ctx("aws:sourceip", "127.0.0.1"))).isEqualTo(Decision.NONE);
    assertThat(get(not, ctx("aws:sourceip", "127.0.0.2"))).isEqualTo(Decision.ALLOW);
    assertThat(not.grantsAnyone()).isTrue();
  }

  @Test
  void stringsAndAbsentKeys() {
    BucketPolicy like =
        allowGet("{\"StringLike\":{\"aws:UserAgent\":[\"rclone/*\",\"aws-cli/?.*\"]}}");
    assertThat(get(like, ctx("aws:useragent", "rclone/v1.60"))).isEqualTo(Decision.ALLOW);
    assertThat(get(like, ctx("aws:useragent", "aws-cli/2.9"))).isEqualTo(Decision.ALLOW);
    assertThat(get(like, ctx("aws:useragent", "curl/8"))).isEqualTo(Decision.NONE);
    assertThat(get(like, ctx())).isEqualTo(Decision.NONE); // absent: no value matches
    BucketPolicy notEq = allowGet("{\"StringNotEquals\":{\"aws:Referer\":\"https://evil\"}}");
    assertThat(get(notEq, ctx("aws:referer", "https://evil"))).isEqualTo(Decision.NONE);
    assertThat(get(notEq, ctx("aws:referer", "https://good"))).isEqualTo(Decision.ALLOW);
    assertThat(get(notEq, ctx())).isEqualTo(Decision.ALLOW); // negated: absent holds
    BucketPolicy ifExists = allowGet("{\"StringEqualsIfExists\":{\"aws:Referer\":\"https://a\"}}");
    assertThat(get(ifExists, ctx())).isEqualTo(Decision.ALLOW);
    assertThat(get(ifExists, ctx("aws:referer", "https://b"))).isEqualTo(Decision.NONE);
    BucketPolicy ignoreCase =
        allowGet("{\"StringEqualsIgnoreCase\":{\"aws:Referer\":\"HTTPS://A\"}}");
    assertThat(get(ignoreCase, ctx("aws:referer", "https://a"))).isEqualTo(Decision.ALLOW);
    BucketPolicy isNull = allowGet("{\"Null\":{\"aws:Referer\":\"true\"}}");
    assertThat(get(isNull, ctx())).isEqualTo(Decision.ALLOW);
    assertThat(get(isNull, ctx("aws:referer", "x"))).isEqualTo(Decision.NONE);
  }

  /** Operators are ANDed, a key's values ORed. */
  @Test
  void everyOperatorAndKeyMustHold() {
    BucketPolicy p =
        allowGet(
            "{\"Bool\":{\"aws:SecureTransport\":\"true\"},"
                + "\"StringEquals\":{\"aws:Referer\":[\"a\",\"b\"],\"aws:UserAgent\":\"ua\"}}");
    assertThat(
            get(p, ctx("aws:securetransport", "true", "aws:referer", "b", "aws:useragent", "ua")))
        .isEqualTo(Decision.ALLOW);
    assertThat(
            get(p, ctx("aws:securetransport", "false", "aws:referer", "b", "aws:useragent", "ua")))
        .isEqualTo(Decision.NONE);
    assertThat(get(p, ctx("aws:securetransport", "true", "aws:referer", "b")))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void numbersAndDates() {
    BucketPolicy maxKeys =
        policy(
            "[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\","
                + "\"Condition\":{\"NumericGreaterThan\":{\"s3:max-keys\":\"100\"}}}]");
    String bucket = BucketPolicy.arn(B, null);
    assertThat(maxKeys.decide("bob", "s3:ListBucket", bucket, ctx("s3:max-keys", "101")))
        .isEqualTo(Decision.DENY);
    assertThat(maxKeys.decide("bob", "s3:ListBucket", bucket, ctx("s3:max-keys", "100")))
        .isEqualTo(Decision.NONE);
    assertThat(maxKeys.decide("bob", "s3:ListBucket", bucket, ctx("s3:max-keys", "lots")))
        .isEqualTo(Decision.NONE);
    BucketPolicy until =
        allowGet("{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}");
    assertThat(get(until, ctx("aws:currenttime", "2029-12-31T23:59:59Z")))
        .isEqualTo(Decision.ALLOW);
    assertThat(get(until, ctx("aws:currenttime", "2030-01-01T00:00:00Z"))).isEqualTo(Decision.NONE);
    BucketPolicy epoch = allowGet("{\"DateGreaterThanEquals\":{\"aws:EpochTime\":\"1893456000\"}}");
    assertThat(get(epoch, ctx("aws:epochtime", "1893456000"))).isEqualTo(Decision.ALLOW);
    assertThat(get(epoch, ctx("aws:epochtime", "1893455999"))).isEqualTo(Decision.NONE);
  }

  /** The home-directory policy: each user lists and writes under home/NAME/ only. */
  @Test
  void policyVariables() {
    BucketPolicy p =
        policy(
            "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"bob\",\"carol\"]},"
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::photos\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"home/${aws:username}/*\"]}}},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"bob\",\"carol\"]},"
                + "\"Action\":\"s3:*Object\","
                + "\"Resource\":\"arn:aws:s3:::photos/home/${aws:username}/*\"}]");
    String bucket = BucketPolicy.arn(B, null);
    PolicyCondition.Context bob = ctx("aws:username", "bob", "s3:prefix", "home/bob/2024/");
    assertThat(p.decide("bob", "s3:ListBucket", bucket, bob)).isEqualTo(Decision.ALLOW);
    assertThat(
            p.decide(
                "bob",
                "s3:ListBucket",
                bucket,
                ctx("aws:username", "bob", "s3:prefix", "home/carol/")))
        .isEqualTo(Decision.NONE);
    assertThat(p.decide("bob", "s3:PutObject", BucketPolicy.arn(B, "home/bob/a"), bob))
        .isEqualTo(Decision.ALLOW);
    assertThat(p.decide("bob", "s3:PutObject", BucketPolicy.arn(B, "home/carol/a"), bob))
        .isEqualTo(Decision.NONE);
    // Without the variable's key (anonymous), the statement matches nothing.
    assertThat(p.decide("bob", "s3:PutObject", BucketPolicy.arn(B, "home//a"), ctx()))
        .isEqualTo(Decision.NONE);
    // Before version 2012-10-17, ${...} is plain text.
    BucketPolicy old =
        BucketPolicy.parse(
            "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"bob\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/${aws:username}\"}]}",
            B);
    assertThat(old.decide("bob", "s3:GetObject", BucketPolicy.arn(B, "${aws:username}"), bob))
        .isEqualTo(Decision.ALLOW);
    assertThat(old.decide("bob", "s3:GetObject", BucketPolicy.arn(B, "bob"), bob))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void refusedConditions() {
    String ok =
        "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"";
    refused(
        "[{" + ok + ",\"Condition\":{\"StringFuzzy\":{\"aws:Referer\":\"x\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"example.com\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"maybe\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"StringEquals\":{\"aws:Referer\":[]}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"NullIfExists\":{\"aws:Referer\":\"true\"}}}]",
        400,
        "MalformedPolicy");
    // Known to IAM, not evaluated here: refused rather than ignored.
    refused(
        "[{" + ok + ",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:x\"}}}]",
        501,
        "NotImplemented");
    refused(
        "[{" + ok + ",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}]",
        501,
        "NotImplemented");
    refused(
        "[{" + ok + ",\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/x\":\"y\"}}}]",
        501,
        "NotImplemented");
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/${aws:SourceVpc}/*\"}]",
        501,
        "NotImplemented");
    // Keys and IfExists/ForAnyValue forms IAM takes.
    policy("[{" + ok + ",\"Condition\":{\"ForAnyValue:StringLike\":{\"AWS:REFERER\":\"x*\"}}}]");
    policy("[{" + ok + ",\"Condition\":{}}]");
  }

  @Test
  void cidrs() {
    assertThat(PolicyCondition.Cidr.parse("192.168.1.0/24").contains("192.168.1.255")).isTrue();
    assertThat(PolicyCondition.Cidr.parse("192.168.1.0/24").contains("192.168.2.0")).isFalse();
    assertThat(PolicyCondition.Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
    assertThat(PolicyCondition.Cidr.parse("::1").contains("::1")).isTrue();
    assertThat(PolicyCondition.Cidr.parse("::1").contains("127.0.0.1")).isFalse();
    assertThat(PolicyCondition.Cidr.parse("10.0.0.1").contains("10.0.0.1")).isTrue();
    assertThat(PolicyCondition.Cidr.parse("10.0.0.1").contains("not-an-ip")).isFalse();
    assertThat(PolicyCondition.Cidr.parse("localhost")).isNull();
    assertThat(PolicyCondition.Cidr.parse("1.2.3")).isNull();
  }

  /** A variable's value is text: its wildcards match themselves in a pattern, not anything. */
  @Test
  void variablesCannotInjectWildcards() {
    BucketPolicy p =
        policy(
            "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/ua/${aws:UserAgent}\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"StringLike\":"
                + "{\"s3:prefix\":\"${aws:Referer}/*\"},\"StringEquals\":{\"aws:UserAgent\":"
                + "\"${aws:Referer}\"}}}]");
    PolicyCondition.Context star = ctx("aws:useragent", "*");
    assertThat(p.decide(null, "s3:GetObject", BucketPolicy.arn(B, "ua/secret"), star))
        .isEqualTo(Decision.NONE);
    assertThat(p.decide(null, "s3:GetObject", BucketPolicy.arn(B, "ua/*"), star))
        .isEqualTo(Decision.ALLOW);
    String bucket = BucketPolicy.arn(B, null);
    assertThat(
            p.decide(
                null,
                "s3:ListBucket",
                bucket,
                ctx("aws:referer", "a?*", "s3:prefix", "abc/x", "aws:useragent", "a?*")))
        .isEqualTo(Decision.NONE);
    assertThat(
            p.decide(
                null,
                "s3:ListBucket",
                bucket,
                ctx("aws:referer", "a?*", "s3:prefix", "a?*/x", "aws:useragent", "a?*")))
        .isEqualTo(Decision.ALLOW);
  }

  /** What a review found: each case evaluated as IAM does, and nothing a request sends throws. */
  @Test
  void reviewedCorners() {
    // ForAnyValue over an absent key: not one of no values, even negated.
    BucketPolicy any = allowGet("{\"ForAnyValue:StringNotEquals\":{\"aws:Referer\":\"x\"}}");
    assertThat(get(any, ctx())).isEqualTo(Decision.NONE);
    assertThat(get(any, ctx("aws:referer", "y"))).isEqualTo(Decision.ALLOW);
    // A date beyond what an Instant holds is no date, not an exception.
    BucketPolicy date = allowGet("{\"DateLessThan\":{\"aws:EpochTime\":\"1893456000\"}}");
    assertThat(get(date, ctx("aws:epochtime", "99999999999999999"))).isEqualTo(Decision.NONE);
    refused(
        "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\","
            + "\"Condition\":{\"DateLessThan\":{\"aws:EpochTime\":\"99999999999999999\"}}}]",
        400,
        "MalformedPolicy");
    // Only fixed networks of at least /8 (IPv4) or /32 (IPv6) keep a public Allow non-public.
    assertThat(allowGet("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}").grantsAnyone())
        .isTrue();
    assertThat(allowGet("{\"IpAddress\":{\"aws:SourceIp\":\"::/0\"}}").grantsAnyone()).isTrue();
    assertThat(
            allowGet("{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}}")
                .grantsAnyone())
        .isFalse();
    assertThat(
            allowGet("{\"ForAnyValue:IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")
                .grantsAnyone())
        .isTrue();
    String ok =
        "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::photos/*\"";
    // Variables in string conditions only; no Null with a qualifier; IP literals only.
    refused(
        "[{" + ok + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"${aws:Referer}\"}}}]",
        501,
        "NotImplemented");
    refused(
        "[{" + ok + ",\"Condition\":{\"Null\":{\"aws:Referer\":\"${aws:username}\"}}}]",
        501,
        "NotImplemented");
    refused(
        "[{" + ok + ",\"Condition\":{\"ForAllValues:Null\":{\"aws:Referer\":\"true\"}}}]",
        400,
        "MalformedPolicy");
    refused(
        "[{" + ok + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"1.2.3.999\"}}}]",
        400,
        "MalformedPolicy");
    // Keys whose values S3 takes from elsewhere than the query and headers: not evaluated.
    for (String key :
        new String[] {"s3:VersionId", "s3:x-amz-copy-source", "s3:object-lock-mode"}) {
      refused(
          "[{" + ok + ",\"Condition\":{\"StringEquals\":{\"" + key + "\":\"x\"}}}]",
          501,
          "NotImplemented");
    }
    // A variable's value too long to match in bounded time is as none.
    BucketPolicy ua =
        policy(
            "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/${aws:UserAgent}\"}]");
    String longAgent = "a".repeat(BucketPolicy.MAX_VARIABLE_VALUE + 1);
    assertThat(
            ua.decide(
                null,
                "s3:GetObject",
                BucketPolicy.arn(B, longAgent),
                ctx("aws:useragent", longAgent)))
        .isEqualTo(Decision.NONE);
    assertThat(PolicyCondition.Cidr.parse("fe80::/10").contains("fe80::1")).isTrue();
  }
}
