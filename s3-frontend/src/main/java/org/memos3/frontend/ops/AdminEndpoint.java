package org.memos3.frontend.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.memos3.frontend.http.AdminServer;
import org.memos3.frontend.http.AdminServer.Response;
import org.memos3.grid.ignite.ClusterStatus;

/**
 * The routes of the admin endpoint: {@code GET /metrics} (Prometheus text format), {@code GET
 * /health/live}, {@code GET /health/ready} (503 unless the grid is ready and the node is not
 * stopping) and {@code GET /cluster} (JSON: state, server and baseline nodes, lost partitions).
 */
public final class AdminEndpoint implements AdminServer.Routes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayMetrics metrics;
  private final BooleanSupplier ready;
  private final Supplier<ClusterStatus> cluster;

  public AdminEndpoint(
      GatewayMetrics metrics, BooleanSupplier ready, Supplier<ClusterStatus> cluster) {
    this.metrics = metrics;
    this.ready = ready;
    this.cluster = cluster;
  }

  /** Starts the admin server on host:port (port 0: any free port). */
  public static AdminServer start(
      String host,
      int port,
      GatewayMetrics metrics,
      BooleanSupplier ready,
      Supplier<ClusterStatus> cluster)
      throws InterruptedException {
    return AdminServer.start(host, port, new AdminEndpoint(metrics, ready, cluster));
  }

  @Override
  public Response handle(String method, String path) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Response.text(405, "only GET\n");
    }
    switch (path) {
      case "/metrics":
        return new Response(200, PROMETHEUS_TEXT, bytes(metrics.scrape()));
      case "/health/live":
        return Response.text(200, "live\n");
      case "/health/ready":
        return ready.getAsBoolean()
            ? Response.text(200, "ready\n")
            : Response.text(503, "not ready\n");
      case "/cluster":
        return clusterJson();
      default:
        return Response.text(
            404, "not found; try /metrics, /health/live, /health/ready, /cluster\n");
    }
  }

  private Response clusterJson() {
    ClusterStatus s = cluster.get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state());
    m.put("ready", ready.getAsBoolean());
    m.put("localNode", s.localNode());
    m.put("serverNodes", s.serverNodes());
    m.put("baselineNodes", s.baselineNodes());
    m.put("offlineBaselineNodes", s.offlineBaselineNodes());
    m.put("lostPartitions", s.lostPartitions());
    try {
      return Response.json(200, JSON.writeValueAsString(m) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
