package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.GridNode;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;
import org.memos3.grid.crypto.Aead;

/** A node refuses to start with another master key or changed creation-time settings. */
class StartupChecksIT {
  @Test
  void wrongMasterKeyAndChangedSettingsAreRefused() throws Exception {
    TestServer server = TestServer.start();
    try {
      server.close();
      GridConfig cfg =
          GridConfig.forTests(server.dir, TestServer.freePort(), TestServer.freePort());
      Path otherKey = server.dir.resolveSibling(server.dir.getFileName() + "-other.key");
      Files.writeString(otherKey, Base64.getEncoder().encodeToString(Aead.newKey()));
      try {
        assertThatThrownBy(() -> GridNode.open(cfg, otherKey).close())
            .isInstanceOfSatisfying(
                GridException.class,
                e -> {
                  assertThat(e.reason()).isEqualTo(GridException.Reason.WRONG_MASTER_KEY);
                  assertThat(e.getMessage()).contains("master key does not match");
                });
      } finally {
        Files.deleteIfExists(otherKey);
      }
      GridConfig morePartitions =
          new GridConfig(
              cfg.dataDir(),
              cfg.host(),
              cfg.discoveryPort(),
              cfg.communicationPort(),
              cfg.peers(),
              cfg.dataRegionBytes(),
              cfg.walMode(),
              cfg.walSegmentBytes(),
              cfg.walSegments(),
              cfg.maxWalArchiveBytes(),
              cfg.pageSize(),
              cfg.partitions() * 2,
              cfg.backups(),
              cfg.baselineAutoAdjustMillis(),
              cfg.checkpointFrequencyMillis(),
              cfg.directIo(),
              cfg.tls());
      assertThatThrownBy(() -> GridNode.open(morePartitions, null).close())
          .isInstanceOfSatisfying(
              GridException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(GridException.Reason.SETTINGS_MISMATCH);
                assertThat(e.getMessage()).contains("cannot change after creation");
              });
      // Another WAL layout is refused before Ignite reads (and would misread) its WAL.
      GridConfig otherWal =
          new GridConfig(
              cfg.dataDir(),
              cfg.host(),
              cfg.discoveryPort(),
              cfg.communicationPort(),
              cfg.peers(),
              cfg.dataRegionBytes(),
              cfg.walMode(),
              cfg.walSegmentBytes(),
              cfg.walSegments() + 1,
              cfg.maxWalArchiveBytes(),
              cfg.pageSize(),
              cfg.partitions(),
              cfg.backups(),
              cfg.baselineAutoAdjustMillis(),
              cfg.checkpointFrequencyMillis(),
              cfg.directIo(),
              cfg.tls());
      assertThatThrownBy(() -> GridNode.open(otherWal, null).close())
          .isInstanceOfSatisfying(
              GridException.class,
              e -> assertThat(e.reason()).isEqualTo(GridException.Reason.SETTINGS_MISMATCH));
      // The right key and settings still open it, and the data directory lock was released.
      GridNode.open(cfg, null).close();
    } finally {
      server.destroy();
    }
  }
}
