package org.memos3.grid.ignite;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;

/**
 * What an operator asks about the cluster: its state, the server nodes in the topology, the
 * baseline nodes (and which of them are online), and the lost partitions of every cache.
 *
 * @param state ACTIVE, INACTIVE or ACTIVE_READ_ONLY
 * @param localNode consistent id of this node
 * @param serverNodes consistent ids of the server nodes in the topology
 * @param baselineNodes consistent ids of the baseline nodes
 * @param offlineBaselineNodes baseline nodes not in the topology
 * @param lostPartitions "cache:partition" for every lost partition
 */
public record ClusterStatus(
    String state,
    String localNode,
    List<String> serverNodes,
    List<String> baselineNodes,
    List<String> offlineBaselineNodes,
    List<String> lostPartitions) {

  static ClusterStatus read(Ignite ignite) {
    var cluster = ignite.cluster();
    Set<String> servers = new TreeSet<>();
    for (ClusterNode n : cluster.forServers().nodes()) {
      servers.add(String.valueOf(n.consistentId()));
    }
    Set<String> baseline = new TreeSet<>();
    var b = cluster.currentBaselineTopology();
    if (b != null) {
      for (BaselineNode n : b) {
        baseline.add(String.valueOf(n.consistentId()));
      }
    }
    List<String> offline = new ArrayList<>();
    for (String id : baseline) {
      if (!servers.contains(id)) {
        offline.add(id);
      }
    }
    List<String> lost = new ArrayList<>();
    for (String name : new TreeSet<>(ignite.cacheNames())) {
      IgniteCache<?, ?> c = ignite.cache(name);
      if (c != null) {
        for (Integer p : c.lostPartitions()) {
          lost.add(name + ":" + p);
        }
      }
    }
    return new ClusterStatus(
        cluster.state().name(),
        String.valueOf(cluster.localNode().consistentId()),
        List.copyOf(servers),
        List.copyOf(baseline),
        List.copyOf(offline),
        List.copyOf(lost));
  }
}
