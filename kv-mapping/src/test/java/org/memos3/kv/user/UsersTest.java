package org.memos3.kv.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Permission;

/** Users, access keys and grants on the in-memory grid. */
class UsersTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final MasterKey master = MasterKey.of(Aead.newKey());
  private final Buckets buckets = new Buckets(grid, master, Clock.systemUTC());
  private final Users users = new Users(grid, buckets, master, Clock.systemUTC());

  private static KvException.Reason reasonOf(Runnable r) {
    try {
      r.run();
    } catch (KvException e) {
      return e.reason();
    }
    throw new AssertionError("no KvException");
  }

  @Test
  void createListDeleteUsers() {
    users.create("bob");
    users.create("alice");
    assertThat(users.list()).extracting(User::name).containsExactly("alice", "bob");
    assertThat(reasonOf(() -> users.create("alice")))
        .isEqualTo(KvException.Reason.USER_ALREADY_EXISTS);
    assertThat(reasonOf(() -> users.create("root")))
        .isEqualTo(KvException.Reason.INVALID_USER_NAME);
    assertThat(reasonOf(() -> users.create("a/b"))).isEqualTo(KvException.Reason.INVALID_USER_NAME);
    assertThat(reasonOf(() -> users.create(""))).isEqualTo(KvException.Reason.INVALID_USER_NAME);
    users.delete("bob");
    assertThat(users.list()).extracting(User::name).containsExactly("alice");
    assertThat(reasonOf(() -> users.delete("bob"))).isEqualTo(KvException.Reason.NO_SUCH_USER);
  }

  @Test
  void keysAreSealedAndRevocable() {
    users.create("alice");
    UserKey k = users.createKey("alice");
    assertThat(k.accessKeyId()).startsWith("MEMU").hasSize(20);
    assertThat(k.secretAccessKey()).hasSize(40);
    assertThat(users.findActive(k.accessKeyId())).contains(k);

    // The secret is nowhere in the grid in plain text.
    byte[] secret = k.secretAccessKey().getBytes(StandardCharsets.UTF_8);
    for (VersionedRecord r :
        grid.table(Table.USERS).range(0, new byte[0], new byte[] {(byte) 0xff}, 100)) {
      assertThat(indexOf(r.value(), secret)).isEqualTo(-1);
    }

    UserKey k2 = users.createKey("alice");
    assertThat(users.keys("alice"))
        .extracting(AccessKey::accessKeyId)
        .containsExactlyInAnyOrder(k.accessKeyId(), k2.accessKeyId());
    assertThat(users.revoke(k.accessKeyId()).status()).isEqualTo(KeyStatus.REVOKED);
    assertThat(users.revoke(k.accessKeyId()).status()).isEqualTo(KeyStatus.REVOKED);
    assertThat(users.findActive(k.accessKeyId())).isEmpty();
    assertThat(users.findKey(k.accessKeyId()).orElseThrow().status()).isEqualTo(KeyStatus.REVOKED);
    assertThat(users.findActive(k2.accessKeyId())).contains(k2);
    assertThat(users.findActive("MEMUNOSUCHKEY0000000")).isEmpty();
    assertThat(reasonOf(() -> users.revoke("MEMUNOSUCHKEY0000000")))
        .isEqualTo(KvException.Reason.NO_SUCH_ACCESS_KEY);
    assertThat(reasonOf(() -> users.createKey("nobody")))
        .isEqualTo(KvException.Reason.NO_SUCH_USER);

    users.delete("alice");
    assertThat(users.findActive(k2.accessKeyId())).isEmpty();
    assertThat(users.findKey(k2.accessKeyId())).isEmpty();
  }

  @Test
  void aSealedSecretMovedToAnotherKeyDoesNotOpen() {
    users.create("alice");
    users.create("mallory");
    UserKey a = users.createKey("alice");
    UserKey m = users.createKey("mallory");
    var table = grid.table(Table.USERS);
    byte[] aKey = ("k/" + a.accessKeyId()).getBytes(StandardCharsets.UTF_8);
    byte[] mKey = ("k/" + m.accessKeyId()).getBytes(StandardCharsets.UTF_8);
    AccessKey stolen = AccessKey.decode(table.get(0, aKey).orElseThrow().value());
    AccessKey own = AccessKey.decode(table.get(0, mKey).orElseThrow().value());
    AccessKey forged =
        new AccessKey(
            own.accessKeyId(),
            own.user(),
            KeyStatus.ACTIVE,
            own.createdMillis(),
            stolen.sealedSecret());
    table.compareAndSet(0, mKey, table.get(0, mKey).orElseThrow().version(), forged.encode());
    assertThatThrownBy(() -> users.findActive(m.accessKeyId()))
        .isInstanceOf(org.memos3.grid.GridException.class);
  }

  @Test
  void grantsNeedAUserAndGoWithIt() {
    buckets.create("shared", "root");
    users.create("alice");
    users.allow("shared", "alice", Permission.WRITE);
    assertThat(buckets.require("shared").permissionOf("alice")).isEqualTo(Permission.WRITE);
    assertThat(reasonOf(() -> users.allow("shared", "ghost", Permission.READ)))
        .isEqualTo(KvException.Reason.NO_SUCH_USER);
    assertThat(reasonOf(() -> users.allow("missing", "alice", Permission.READ)))
        .isEqualTo(KvException.Reason.NO_SUCH_BUCKET);

    buckets.create("alices", "alice");
    assertThat(reasonOf(() -> users.delete("alice")))
        .isEqualTo(KvException.Reason.USER_OWNS_BUCKETS);
    buckets.delete("alices");
    users.delete("alice");
    assertThat(buckets.require("shared").grants()).isEmpty();
  }

  @Test
  void rotationRewrapsSecrets() {
    users.create("alice");
    UserKey k = users.createKey("alice");
    MasterKey next = MasterKey.of(Aead.newKey());
    assertThat(users.rewrapSecrets(master.rotatingTo(next))).isEqualTo(1);
    Users after =
        new Users(grid, new Buckets(grid, next, Clock.systemUTC()), next, Clock.systemUTC());
    assertThat(after.findActive(k.accessKeyId())).contains(k);
    assertThatThrownBy(() -> users.findActive(k.accessKeyId()))
        .isInstanceOf(org.memos3.grid.GridException.class);
  }

  @Test
  void recordsRoundTrip() {
    User u = new User("alice", 1234, "w1");
    assertThat(User.decode(u.encode())).isEqualTo(u);
    AccessKey k = new AccessKey("MEMUX", "alice", KeyStatus.REVOKED, 99, new byte[] {1, 2, 3});
    AccessKey back = AccessKey.decode(k.encode());
    assertThat(back.accessKeyId()).isEqualTo("MEMUX");
    assertThat(back.user()).isEqualTo("alice");
    assertThat(back.status()).isEqualTo(KeyStatus.REVOKED);
    assertThat(back.createdMillis()).isEqualTo(99);
    assertThat(back.sealedSecret()).containsExactly(1, 2, 3);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
