package org.memos3.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.memos3.auth.sigv4.Credential;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.user.UserKey;
import org.memos3.kv.user.Users;

/** The node's credential lookup: root first, then cached grid answers that expire. */
class UserCredentialsTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final MasterKey master = MasterKey.of(Aead.newKey());
  private final Users users =
      new Users(grid, new Buckets(grid, master, Clock.systemUTC()), master, Clock.systemUTC());
  private final Credential root = new Credential("ROOTKEY", "rootsecret", "root");
  private final AtomicLong now = new AtomicLong();
  private final UserCredentials lookup =
      new UserCredentials(root, users, Duration.ofSeconds(2), now::get);

  @Test
  void rootThenUsersWithExpiringCache() {
    assertThat(lookup.find("ROOTKEY")).contains(root);
    users.create("alice");
    UserKey k = users.createKey("alice");
    assertThat(lookup.find(k.accessKeyId()))
        .contains(new Credential(k.accessKeyId(), k.secretAccessKey(), "alice"));

    users.revoke(k.accessKeyId());
    now.addAndGet(Duration.ofMillis(1999).toNanos());
    assertThat(lookup.find(k.accessKeyId())).isPresent(); // still cached
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(lookup.find(k.accessKeyId())).isEmpty();

    // Unknown keys are cached too, and a key created meanwhile shows up after the TTL.
    assertThat(lookup.find("MEMUUNKNOWN")).isEmpty();
    UserKey k2 = users.createKey("alice");
    assertThat(lookup.find(k2.accessKeyId())).isPresent();
  }
}
