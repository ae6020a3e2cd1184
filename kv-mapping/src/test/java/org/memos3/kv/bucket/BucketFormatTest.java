package org.memos3.kv.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.lifecycle.LifecycleRule;

/** Bucket record formats: frozen older records still read; format 3 keeps the configurations. */
class BucketFormatTest {
  /**
   * A format-2 record as written before bucket tagging, CORS and lifecycle existed: bucket
   * "frozen-bucket", id 0x0123456789abcdef, owner alice, created 1700000000000, versioning Enabled,
   * wrapped key 01020304, public, grants bob=read and carol=write.
   */
  static final String FORMAT_2_SAMPLE =
      "020000000d66726f7a656e2d6275636b65740123456789abcdef00000005616c696365"
          + "0000018bcfe56800010000000401020304010000000200000003626f6200000000056361726f6c01";

  @Test
  void frozenFormat2RecordStillReads() {
    Bucket b = Bucket.decode(HexFormat.of().parseHex(FORMAT_2_SAMPLE));
    assertThat(b.name()).isEqualTo("frozen-bucket");
    assertThat(b.id()).isEqualTo(0x0123456789abcdefL);
    assertThat(b.owner()).isEqualTo("alice");
    assertThat(b.createdMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(b.versioning()).isEqualTo(Versioning.ENABLED);
    assertThat(b.wrappedKey()).containsExactly(1, 2, 3, 4);
    assertThat(b.publicRead()).isTrue();
    assertThat(b.grants()).isEqualTo(Map.of("bob", Permission.READ, "carol", Permission.WRITE));
    assertThat(b.tags()).isEmpty();
    assertThat(b.cors()).isNull();
    assertThat(b.lifecycle()).isNull();
    // Rewritten, it becomes format 3 and keeps everything.
    Bucket again = Bucket.decode(b.withTags(Map.of("a", "b")).encode());
    assertThat(again.encode()[0]).isEqualTo((byte) Bucket.FORMAT);
    assertThat(again.grants()).isEqualTo(b.grants());
    assertThat(again.tags()).isEqualTo(Map.of("a", "b"));
  }

  @Test
  void configurationsRoundTripAndSurviveOtherChanges() {
    Buckets buckets =
        new Buckets(new InMemoryGrid(), MasterKey.of(Aead.newKey()), Clock.systemUTC());
    buckets.create("cfg-bucket", "alice");
    Bucket fresh = buckets.require("cfg-bucket");
    assertThat(fresh.tags()).isEmpty();
    assertThat(fresh.cors()).isNull();
    assertThat(fresh.lifecycle()).isNull();

    CorsRule cors =
        new CorsRule(
            "r1",
            List.of("https://*.example.com"),
            List.of("GET", "PUT"),
            List.of("*"),
            List.of("ETag"),
            3000);
    CorsRule bare = new CorsRule(null, List.of("*"), List.of("GET"), List.of(), List.of(), null);
    LifecycleRule rule =
        new LifecycleRule(
            "expire-logs",
            true,
            LifecycleRule.FilterForm.AND,
            "logs/",
            Map.of("tier", "cold"),
            10L,
            null,
            30,
            null,
            false,
            7,
            2,
            3);
    buckets.setTags("cfg-bucket", Map.of("project", "memo"));
    buckets.setCors("cfg-bucket", List.of(cors, bare));
    buckets.setLifecycle("cfg-bucket", List.of(rule));
    buckets.grant("cfg-bucket", "bob", Permission.READ);
    buckets.setVersioning("cfg-bucket", Versioning.ENABLED);
    buckets.setPublicRead("cfg-bucket", true);

    Bucket b = buckets.require("cfg-bucket");
    assertThat(b.tags()).isEqualTo(Map.of("project", "memo"));
    assertThat(b.cors()).containsExactly(cors, bare);
    assertThat(b.lifecycle()).containsExactly(rule);
    assertThat(b.grants()).containsOnlyKeys("bob");

    buckets.setCors("cfg-bucket", null);
    buckets.setLifecycle("cfg-bucket", List.of());
    buckets.setTags("cfg-bucket", Map.of());
    b = buckets.require("cfg-bucket");
    assertThat(b.cors()).isNull();
    assertThat(b.lifecycle()).isEmpty();
    assertThat(b.tags()).isEmpty();
  }

  /**
   * A bucket policy makes the record format 4 (format 3, then the policy); removing it writes
   * format 3 again, which builds from before policies read.
   */
  @Test
  void aPolicyIsFormat4AndOnlyThen() {
    Buckets buckets =
        new Buckets(new InMemoryGrid(), MasterKey.of(Aead.newKey()), Clock.systemUTC());
    buckets.create("pol-bucket", "alice");
    buckets.setTags("pol-bucket", Map.of("t", "v"));
    assertThat(buckets.require("pol-bucket").encode()[0]).isEqualTo((byte) Bucket.FORMAT);
    String json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    Bucket with = buckets.setPolicy("pol-bucket", json);
    assertThat(with.encode()[0]).isEqualTo((byte) Bucket.FORMAT_4);
    Bucket read = buckets.require("pol-bucket");
    assertThat(read.policy()).isEqualTo(json);
    assertThat(read.tags()).isEqualTo(Map.of("t", "v"));
    // Other changes keep it.
    assertThat(buckets.setVersioning("pol-bucket", Versioning.ENABLED).policy()).isEqualTo(json);
    assertThat(buckets.require("pol-bucket").policy()).isEqualTo(json);
    Bucket without = buckets.setPolicy("pol-bucket", null);
    assertThat(without.encode()[0]).isEqualTo((byte) Bucket.FORMAT);
    assertThat(buckets.require("pol-bucket").policy()).isNull();
    assertThat(buckets.require("pol-bucket").tags()).isEqualTo(Map.of("t", "v"));
  }

  /**
   * Object Lock makes format 5 (with or without a policy), for good; a stored configuration out of
   * S3's bounds reads as corrupt, not as a retention every write would then fail to compute.
   */
  @Test
  void objectLockIsFormat5() {
    Buckets buckets =
        new Buckets(new InMemoryGrid(), MasterKey.of(Aead.newKey()), Clock.systemUTC());
    Bucket b = buckets.create("lock-bucket", "alice", false, true);
    assertThat(b.encode()[0]).isEqualTo((byte) Bucket.FORMAT_5);
    var config = new ObjectLockConfiguration(RetentionMode.COMPLIANCE, 0, 7);
    buckets.setObjectLock("lock-bucket", config);
    String json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    buckets.setPolicy("lock-bucket", json);
    Bucket read = Bucket.decode(buckets.require("lock-bucket").encode());
    assertThat(read.objectLock()).isEqualTo(config);
    assertThat(read.policy()).isEqualTo(json);
    assertThat(read.versioning()).isEqualTo(Versioning.ENABLED);
    Bucket noPolicy = buckets.setPolicy("lock-bucket", null);
    assertThat(noPolicy.encode()[0]).isEqualTo((byte) Bucket.FORMAT_5);
    assertThat(Bucket.decode(noPolicy.encode()).objectLock()).isEqualTo(config);
    assertThat(Bucket.decode(noPolicy.encode()).policy()).isNull();
    byte[] bytes = noPolicy.encode();
    // The last 9 bytes: mode, days, years. 2^31 - 1 years is no retention S3 takes.
    bytes[bytes.length - 4] = 0x7f;
    bytes[bytes.length - 1] = (byte) 0xff;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bucket.decode(bytes))
        .hasMessageContaining("retention");
  }

  /** Allowing SSE-C makes format 6, with or without Object Lock and a policy; blocking returns. */
  @Test
  void sseCustomerAllowedIsFormat6() {
    Buckets buckets =
        new Buckets(new InMemoryGrid(), MasterKey.of(Aead.newKey()), Clock.systemUTC());
    Bucket b = buckets.create("ssec-bucket", "alice");
    assertThat(b.sseCustomerAllowed()).isFalse();
    Bucket allowed = buckets.setSseCustomerAllowed("ssec-bucket", true);
    assertThat(allowed.encode()[0]).isEqualTo((byte) Bucket.FORMAT_6);
    assertThat(Bucket.decode(allowed.encode()).sseCustomerAllowed()).isTrue();
    assertThat(Bucket.decode(allowed.encode()).objectLock()).isNull();
    buckets.setVersioning("ssec-bucket", Versioning.ENABLED);
    var lock = new ObjectLockConfiguration(RetentionMode.GOVERNANCE, 2, 0);
    buckets.setObjectLock("ssec-bucket", lock);
    buckets.setPolicy("ssec-bucket", "{}");
    Bucket all = Bucket.decode(buckets.require("ssec-bucket").encode());
    assertThat(all.sseCustomerAllowed()).isTrue();
    assertThat(all.objectLock()).isEqualTo(lock);
    assertThat(all.policy()).isEqualTo("{}");
    Bucket blocked = buckets.setSseCustomerAllowed("ssec-bucket", false);
    assertThat(blocked.encode()[0]).isEqualTo((byte) Bucket.FORMAT_5);
    assertThat(Bucket.decode(blocked.encode()).objectLock()).isEqualTo(lock);
  }
}
