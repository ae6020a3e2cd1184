package org.memos3.grid.ignite;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteFuture;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.GridException;

/**
 * Ignite cluster snapshots of the grid: creating one (from any node) and restoring one into a fresh
 * data directory, with a progress callback while Ignite works. Where the files go is set in {@link
 * IgniteNodeConfig#server} ({@code DIR/snapshots}).
 */
final class IgniteSnapshots {
  private IgniteSnapshots() {}

  /**
   * Creates a snapshot of every persistent cache of the cluster, consistent across it (Ignite takes
   * it at a partition map exchange: every update before it is in, none after it); each server node
   * writes its part to {@code DIR/snapshots/NAME}. Blocks until every node is done, calling {@code
   * tick} about once a second meanwhile (for progress). Works on a server and on a client node.
   */
  static void create(Ignite ignite, String name, Runnable tick) {
    try {
      // Chunk files are not in Ignite's snapshot: each server node links its files before the
      // snapshot (everything a head in it can refer to was written before it) and again after it
      // (a chunk written meanwhile), then moves them into NAME/blocks. A block freed meanwhile is
      // one retired after the snapshot's cut, due only after the GC grace.
      broadcastLinks(ignite, name, LinkBlockFiles.Step.STAGE);
      waitFor(ignite.snapshot().createSnapshot(name), tick);
      broadcastLinks(ignite, name, LinkBlockFiles.Step.FINISH);
    } catch (RuntimeException e) {
      try {
        broadcastLinks(ignite, name, LinkBlockFiles.Step.ABORT);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "snapshot " + name + " failed: " + IgniteErrors.rootMessage(e),
          e);
    }
  }

  private static void broadcastLinks(Ignite ignite, String name, LinkBlockFiles.Step step) {
    ignite.compute(ignite.cluster().forServers()).broadcast(new LinkBlockFiles(name, step));
  }

  /**
   * Links a server node's block files into its part of snapshot {@code name}: STAGE into {@code
   * SNAPSHOTS/.NAME.blocks} (Ignite refuses a snapshot whose directory exists), FINISH adds the
   * files written since and moves the stage to {@code SNAPSHOTS/NAME/blocks}, ABORT removes the
   * stage.
   */
  static final class LinkBlockFiles implements org.apache.ignite.lang.IgniteRunnable {
    private static final long serialVersionUID = 1L;

    enum Step {
      STAGE,
      FINISH,
      ABORT
    }

    private final String name;
    private final Step step;
    @org.apache.ignite.resources.IgniteInstanceResource private transient Ignite local;

    LinkBlockFiles(String name, Step step) {
      this.name = name;
      this.step = step;
    }

    @Override
    public void run() {
      BlockFiles files = (BlockFiles) local.cluster().nodeLocalMap().get(IgniteBlockStore.FILES);
      String snapshots = local.configuration().getSnapshotPath();
      if (files == null || snapshots == null) {
        return;
      }
      Path root = Path.of(snapshots);
      Path stage = root.resolve("." + name + ".blocks");
      try {
        switch (step) {
          case STAGE -> {
            IgniteGrid.deleteTree(stage);
            files.linkInto(stage);
          }
          case FINISH -> {
            if (!java.nio.file.Files.isDirectory(root.resolve(name))) {
              // No part of the snapshot here (a server outside the baseline): nothing to add.
              IgniteGrid.deleteTree(stage);
              return;
            }
            files.linkInto(stage);
            java.nio.file.Files.move(stage, root.resolve(name).resolve(IgniteGrid.BLOCK_FILES));
          }
          case ABORT -> IgniteGrid.deleteTree(stage);
        }
      } catch (java.io.IOException e) {
        throw new GridException(
            GridException.Reason.UNAVAILABLE, "cannot link the block files of snapshot " + name, e);
      }
    }
  }

  private static void waitFor(IgniteFuture<?> f, Runnable tick) {
    waitFor(f, tick, 1000);
  }

  /**
   * Waits for {@code f}, calling {@code tick} every {@code tickMillis} until it is done, then
   * returns its outcome (its exception propagates).
   */
  static void waitFor(IgniteFuture<?> f, Runnable tick, long tickMillis) {
    CountDownLatch done = new CountDownLatch(1);
    f.listen(x -> done.countDown());
    try {
      while (!done.await(tickMillis, TimeUnit.MILLISECONDS)) {
        tick.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException(GridException.Reason.UNAVAILABLE, "interrupted", e);
    }
    f.get();
  }

  /**
   * Fills the fresh data directory {@code dir} from snapshot {@code name} found in {@code
   * snapshotRoot} (the {@code snapshots} directory holding it): starts a server node on {@code dir}
   * with that snapshot path, activates it without creating any cache, has Ignite restore every
   * cache group of the snapshot (partitions, then indexes), and stops the node. A normal start then
   * finds the caches. Calls {@code tick} about once a second while Ignite works.
   */
  static void restore(
      GridConfig cfg, DataDirectory dir, Path snapshotRoot, String name, Runnable tick) {
    IgniteNodeConfig.systemDefaults();
    IgniteNodeConfig.igniteHome(dir.root().resolve("ignite"));
    IgniteNodeConfig.checkLocalSettings(cfg, dir);
    BlockFiles.linkTree(
        snapshotRoot.resolve(name).resolve(IgniteGrid.BLOCK_FILES),
        dir.root().resolve(IgniteGrid.BLOCK_FILES));
    IgniteConfiguration c =
        IgniteNodeConfig.server(cfg, dir, null).setSnapshotPath(snapshotRoot.toString());
    Ignite ignite = Ignition.start(c);
    try {
      if (ignite.cluster().currentBaselineTopology() != null) {
        throw new GridException(
            GridException.Reason.SETTINGS_MISMATCH,
            "the data directory " + dir.root() + " already holds a grid; restore into a new one");
      }
      ignite.cluster().state(ClusterState.ACTIVE);
      awaitEndOfTransition(ignite);
      waitFor(ignite.snapshot().restoreSnapshot(name, null), tick);
      // A restore on another node (consistent id) rebuilds the indexes: wait for them too.
      for (String cache : ignite.cacheNames()) {
        waitFor(ignite.cache(cache).indexReadyFuture(), tick);
      }
    } catch (RuntimeException e) {
      if (e instanceof GridException) {
        throw e;
      }
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "restoring snapshot " + name + " failed: " + IgniteErrors.rootMessage(e),
          e);
    } finally {
      Ignition.stop(ignite.name(), false);
    }
  }

  /**
   * The public state turns ACTIVE before the activation's finish message has been handled, and a
   * snapshot restore started in between is rejected ("The cluster should be active"): wait for the
   * end of the transition (only Ignite's internal state says when; 60 s at most).
   */
  private static void awaitEndOfTransition(Ignite ignite) {
    var state = ((org.apache.ignite.internal.IgniteEx) ignite).context().state();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (state.clusterState().transition() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GridException(GridException.Reason.UNAVAILABLE, "interrupted", e);
      }
    }
  }
}
