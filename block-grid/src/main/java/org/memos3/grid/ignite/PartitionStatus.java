package org.memos3.grid.ignite;

import org.apache.ignite.Ignite;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.cache.CacheGroupContext;
import org.apache.ignite.internal.processors.cache.CacheGroupMetricsImpl;

/**
 * Where the partitions of the grid's persistent cache groups (blocks, records) stand, from Ignite's
 * cache group metrics (read from the node's partition maps, no cluster round trip): how many are
 * still moving to a new owner (rebalancing), how many copies the worst partition has, and the bytes
 * this node stores. Ignite's public API has no cache group metrics, so this reads its internals.
 *
 * @param clusterMoving partition copies in the MOVING state on any node (0: nothing rebalancing)
 * @param localMoving partition copies in the MOVING state on this node
 * @param minCopies owning copies of the least copied partition (backups + 1 when all is well, 0
 *     when a partition is lost); -1 when there is no cache group yet
 * @param localStorageBytes bytes of this node's partition files of these groups
 */
public record PartitionStatus(
    int clusterMoving, int localMoving, int minCopies, long localStorageBytes) {

  static PartitionStatus read(Ignite ignite) {
    int clusterMoving = 0;
    int localMoving = 0;
    int minCopies = Integer.MAX_VALUE;
    long bytes = 0;
    for (CacheGroupContext g : ((IgniteEx) ignite).context().cache().cacheGroups()) {
      if (g.systemCache() || !g.persistenceEnabled()) {
        continue;
      }
      CacheGroupMetricsImpl m = g.metrics();
      clusterMoving += m.getClusterMovingPartitionsCount();
      localMoving += m.getLocalNodeMovingPartitionsCount();
      minCopies = Math.min(minCopies, m.getMinimumNumberOfPartitionCopies());
      bytes += m.getStorageSize();
    }
    return new PartitionStatus(
        clusterMoving, localMoving, minCopies == Integer.MAX_VALUE ? -1 : minCopies, bytes);
  }
}
