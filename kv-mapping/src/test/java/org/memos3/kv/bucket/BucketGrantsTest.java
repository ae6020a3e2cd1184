package org.memos3.kv.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.Codec;

/** Bucket grants and the public flag: the record format and the CAS updates. */
class BucketGrantsTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());

  @Test
  void grantsAndPublicFlagAreKeptAcrossOtherChanges() {
    buckets.create("bkt1", "alice");
    assertThat(buckets.require("bkt1").publicRead()).isFalse();
    buckets.grant("bkt1", "bob", Permission.READ);
    buckets.grant("bkt1", "carol", Permission.WRITE);
    buckets.setPublicRead("bkt1", true);
    buckets.setVersioning("bkt1", Versioning.ENABLED);
    buckets.grant("bkt1", "bob", Permission.OWNER);
    buckets.grant("bkt1", "alice", Permission.READ); // the owner stays owner
    Bucket b = buckets.require("bkt1");
    assertThat(b.grants()).isEqualTo(Map.of("bob", Permission.OWNER, "carol", Permission.WRITE));
    assertThat(b.publicRead()).isTrue();
    assertThat(b.versioning()).isEqualTo(Versioning.ENABLED);
    assertThat(b.permissionOf("alice")).isEqualTo(Permission.OWNER);
    assertThat(b.permissionOf("carol")).isEqualTo(Permission.WRITE);
    assertThat(b.permissionOf("dave")).isNull();
    assertThat(b.permissionOf(null)).isNull();

    buckets.grant("bkt1", "carol", null);
    buckets.setPublicRead("bkt1", false);
    b = buckets.require("bkt1");
    assertThat(b.grants()).containsOnlyKeys("bob");
    assertThat(b.publicRead()).isFalse();
  }

  @Test
  void createPublic() {
    assertThat(buckets.create("pub1", "alice", true).publicRead()).isTrue();
    assertThat(buckets.require("pub1").publicRead()).isTrue();
  }

  @Test
  void permissionLevelsInclude() {
    assertThat(Permission.OWNER.allows(Permission.WRITE)).isTrue();
    assertThat(Permission.WRITE.allows(Permission.READ)).isTrue();
    assertThat(Permission.READ.allows(Permission.WRITE)).isFalse();
    assertThat(Permission.parse("Write")).isEqualTo(Permission.WRITE);
  }

  @Test
  void recordRoundTrip() {
    Bucket b =
        new Bucket(
            "b2",
            42,
            "alice",
            1000,
            Versioning.SUSPENDED,
            new byte[] {9, 8},
            Map.of("bob", Permission.READ, "carol", Permission.OWNER),
            true);
    Bucket back = Bucket.decode(b.encode());
    assertThat(back.grants()).isEqualTo(b.grants());
    assertThat(back.publicRead()).isTrue();
    assertThat(back.versioning()).isEqualTo(Versioning.SUSPENDED);
    assertThat(back.wrappedKey()).containsExactly(9, 8);
  }

  /** A frozen format-1 record (before grants): reads as a private bucket without grants. */
  @Test
  void readsFormat1() {
    byte[] v1 =
        new Codec.Writer()
            .u8(1)
            .str("old")
            .i64(7)
            .str("root")
            .i64(1700000000000L)
            .u8(Versioning.ENABLED.ordinal())
            .bytes(new byte[] {1, 2, 3})
            .toBytes();
    Bucket b = Bucket.decode(v1);
    assertThat(b.name()).isEqualTo("old");
    assertThat(b.id()).isEqualTo(7);
    assertThat(b.owner()).isEqualTo("root");
    assertThat(b.createdMillis()).isEqualTo(1700000000000L);
    assertThat(b.versioning()).isEqualTo(Versioning.ENABLED);
    assertThat(b.wrappedKey()).containsExactly(1, 2, 3);
    assertThat(b.grants()).isEmpty();
    assertThat(b.publicRead()).isFalse();
  }
}
