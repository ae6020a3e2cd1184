package org.memos3.frontend.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.memos3.frontend.http.HttpStats;
import org.memos3.frontend.op.IntegrityFailures;
import org.memos3.frontend.op.RequestObserver;
import org.memos3.frontend.op.S3Operation;
import org.memos3.grid.ignite.IgniteGrid;
import org.memos3.kv.gc.GarbageCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of one node, in one Prometheus registry owned by the gateway. Requests are timed by
 * the dispatcher's hook; everything else is read lazily when scraped (GC status at most every 10 s,
 * since it scans the GC queue). Names are listed in the README's Operations section.
 */
public final class GatewayMetrics implements RequestObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMetrics.class);
  static final Duration GC_STATUS_TTL = Duration.ofSeconds(10);

  /** Partition states are cheap to read (local partition maps) but change fast: 1 s. */
  static final Duration PARTITION_STATUS_TTL = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final JvmGcMetrics jvmGc = new JvmGcMetrics();

  public GatewayMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    jvmGc.bindTo(registry);
    FunctionCounter.builder("memo_s3_integrity_failures", this, m -> IntegrityFailures.count())
        .description("blocks that failed their address check, or were missing, during requests")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void finished(S3Operation operation, int status, long nanos) {
    String op = operation == null ? "UNKNOWN" : operation.name();
    timers
        .computeIfAbsent(
            op + "/" + status,
            k ->
                Timer.builder("memo_s3_requests")
                    .description("S3 requests by operation and HTTP status")
                    .tag("operation", op)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .publishPercentiles(0.5, 0.95, 0.99)
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(120))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Meters of the S3 HTTP layer. */
  public void bindHttp(HttpStats s) {
    FunctionCounter.builder("memo_s3_received_bytes", s, HttpStats::bytesIn)
        .description("bytes received on S3 connections (headers included)")
        .register(registry);
    FunctionCounter.builder("memo_s3_sent_bytes", s, HttpStats::bytesOut)
        .description("bytes sent on S3 connections (headers included)")
        .register(registry);
    FunctionCounter.builder("memo_s3_slowdown", s, HttpStats::slowDowns)
        .description("requests refused with 503 SlowDown (in-flight budget or queue full)")
        .register(registry);
    Gauge.builder("memo_s3_inflight_bytes", s, HttpStats::inFlightBytes)
        .description("bytes reserved from the in-flight budget")
        .strongReference(true)
        .register(registry);
    Gauge.builder("memo_s3_inflight_capacity_bytes", s, HttpStats::inFlightCapacity)
        .description("the in-flight budget")
        .strongReference(true)
        .register(registry);
  }

  /** Meters of the grid and of garbage collection; {@code ready} is the node's readiness. */
  public void bindGrid(IgniteGrid grid, GarbageCollector gc, BooleanSupplier ready) {
    gauge("memo_s3_ready", () -> ready.getAsBoolean() ? 1 : 0, "1 when /health/ready answers 200");
    gauge("memo_s3_grid_ready", () -> grid.ready() ? 1 : 0, "1 when the grid is active, no loss");
    gauge("memo_s3_grid_server_nodes", grid::serverNodes, "server nodes in the topology");
    gauge("memo_s3_grid_baseline_nodes", grid::baselineNodes, "nodes in the baseline topology");
    Cached<org.memos3.grid.ignite.PartitionStatus> parts =
        new Cached<>(grid::partitionStatus, PARTITION_STATUS_TTL);
    gauge(
        "memo_s3_grid_rebalancing_partitions",
        () -> parts.get(p -> p.clusterMoving()),
        "partition copies still moving to a new owner anywhere in the cluster (0: settled)");
    gauge(
        "memo_s3_grid_local_rebalancing_partitions",
        () -> parts.get(p -> p.localMoving()),
        "partition copies this node is still receiving");
    gauge(
        "memo_s3_grid_min_partition_copies",
        () -> parts.get(p -> p.minCopies()),
        "owning copies of the least copied partition (backups + 1 when healthy, 0 when lost)");
    gauge(
        "memo_s3_grid_local_storage_bytes",
        () -> parts.get(p -> p.localStorageBytes()),
        "bytes of this node's partition files (blocks and records)");
    gauge(
        "memo_s3_grid_block_files",
        grid::blockFiles,
        "chunk files of this node (a lone node's chunks; 0 once moved into a cluster's cache)");
    gauge(
        "memo_s3_grid_block_file_bytes", grid::blockFileBytes, "bytes of this node's chunk files");
    Cached<GarbageCollector.Status> status = new Cached<>(gc::status, GC_STATUS_TTL);
    gauge(
        "memo_s3_grid_blocks",
        () -> status.get(s -> s.storedBlocks()),
        "blocks stored in the grid (chunks, manifests, index blocks)");
    gauge(
        "memo_s3_gc_pending_manifests",
        () -> status.get(s -> s.pendingManifests()),
        "retired versions waiting for GC");
    gauge(
        "memo_s3_gc_pending_bytes",
        () -> status.get(s -> s.pendingBytes()),
        "bytes of the retired versions waiting for GC");
    gauge(
        "memo_s3_gc_suspects",
        () -> status.get(s -> s.suspects()),
        "unreferenced blocks waiting for the sweep grace");
    FunctionCounter.builder(
            "memo_s3_gc_reclaimed_blocks", status, c -> c.get(s -> s.reclaimedBlocks()))
        .description("blocks freed by GC so far (whole grid)")
        .register(registry);
    FunctionCounter.builder(
            "memo_s3_gc_reclaimed_bytes", status, c -> c.get(s -> s.reclaimedBytes()))
        .description("bytes freed by GC so far (whole grid)")
        .register(registry);
  }

  private void gauge(String name, Supplier<Number> f, String description) {
    Gauge.builder(name, f).description(description).strongReference(true).register(registry);
  }

  @Override
  public void close() {
    jvmGc.close();
    registry.close();
  }

  /** A value computed at most once per time-to-live; NaN while it cannot be computed. */
  static final class Cached<T> {
    private final Supplier<T> source;
    private final long ttlNanos;
    private T value;
    private long at;

    Cached(Supplier<T> source, Duration ttl) {
      this.source = source;
      this.ttlNanos = ttl.toNanos();
    }

    synchronized double get(java.util.function.ToDoubleFunction<T> f) {
      long now = System.nanoTime();
      if (value == null || now - at >= ttlNanos) {
        try {
          value = source.get();
        } catch (RuntimeException e) {
          LOG.debug("metrics source failed: {}", e.toString());
          if (value == null) {
            return Double.NaN;
          }
        }
        at = now;
      }
      return f.applyAsDouble(value);
    }
  }
}
