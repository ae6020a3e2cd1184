package org.memos3.frontend;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.memos3.auth.sigv4.Credential;
import org.memos3.auth.sigv4.SigV4Authenticator;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.frontend.http.S3Server;
import org.memos3.frontend.op.Router;
import org.memos3.frontend.op.S3Dispatcher;
import org.memos3.frontend.op.S3Services;
import org.memos3.grid.GridConfig;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.ignite.IgniteGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.gc.GarbageCollector;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectStore;

/**
 * One running memo-s3 node: data directory lock, master key, embedded Ignite node, key-value
 * services and the S3 endpoint, started in that order and closed in reverse. Used by the CLI and by
 * the integration tests alike.
 */
public final class Gateway implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Gateway.class);

  /** How long a user's key stays cached: a revoked key stops working within this time. */
  static final java.time.Duration CREDENTIAL_TTL = java.time.Duration.ofSeconds(2);

  /**
   * Everything a node needs.
   *
   * @param masterKeyFile operator-supplied key file; null to use (and create) the one in the data
   *     directory
   */
  public record Settings(
      GridConfig grid,
      String listenHost,
      int listenPort,
      String region,
      List<String> domains,
      Path masterKeyFile,
      Credential root,
      HttpLimits http,
      KvConfig kv,
      int gridThreads,
      long gcIntervalMillis,
      TlsFiles tls) {

    /** Settings without TLS (plain HTTP). */
    public Settings(
        GridConfig grid,
        String listenHost,
        int listenPort,
        String region,
        List<String> domains,
        Path masterKeyFile,
        Credential root,
        HttpLimits http,
        KvConfig kv,
        int gridThreads,
        long gcIntervalMillis) {
      this(
          grid,
          listenHost,
          listenPort,
          region,
          domains,
          masterKeyFile,
          root,
          http,
          kv,
          gridThreads,
          gcIntervalMillis,
          null);
    }
  }

  /** PEM certificate chain and PKCS#8 private key for HTTPS on the S3 endpoint. */
  public record TlsFiles(Path certificate, Path privateKey) {}

  private final GridNode node;
  private final ExecutorService io;
  private final S3Server server;
  private final Settings settings;
  private final GarbageCollector gc;
  private final ScheduledExecutorService background;
  private ObjectStore objects;
  private org.memos3.frontend.ops.GatewayMetrics metrics;
  private org.memos3.frontend.http.AdminServer admin;
  private volatile boolean closing;

  /** Where the admin endpoint listens; see {@link #start(Settings, AdminListen)}. */
  public record AdminListen(String host, int port) {
    /** The default: the S3 host and the S3 port + 1 (port 0 when the S3 port is 0). */
    public static AdminListen defaultFor(String s3Host, int s3Port) {
      return new AdminListen(s3Host, s3Port == 0 ? 0 : s3Port + 1);
    }
  }

  private Gateway(
      Settings settings,
      GridNode node,
      ExecutorService io,
      S3Server server,
      GarbageCollector gc,
      ScheduledExecutorService background) {
    this.settings = settings;
    this.node = node;
    this.io = io;
    this.server = server;
    this.gc = gc;
    this.background = background;
  }

  /** Starts a node with the admin endpoint at its default address. */
  public static Gateway start(Settings s) throws IOException, InterruptedException {
    return start(s, AdminListen.defaultFor(s.listenHost(), s.listenPort()));
  }

  /** Starts a node; {@code adminListen} null: no admin endpoint. */
  public static Gateway start(Settings s, AdminListen adminListen)
      throws IOException, InterruptedException {
    warmUpCrypto();
    GridNode node = GridNode.open(s.grid(), s.masterKeyFile());
    ExecutorService io = null;
    ScheduledExecutorService background = null;
    var metrics = new org.memos3.frontend.ops.GatewayMetrics();
    var httpStats = new org.memos3.frontend.http.HttpStats();
    Gateway[] self = {null};
    org.memos3.frontend.http.AdminServer admin = null;
    try {
      IgniteGrid grid = node.grid();
      io = gridPool(s.gridThreads());
      Buckets buckets = node.buckets();
      ObjectStore objects = new ObjectStore(grid, buckets, io, Clock.systemUTC(), s.kv());
      Credential root = s.root();
      SigV4Authenticator auth =
          new SigV4Authenticator(
              new UserCredentials(root, node.users(), CREDENTIAL_TTL, System::nanoTime),
              s.region(),
              Clock.systemUTC());
      S3Dispatcher dispatcher =
          new S3Dispatcher(
              new Router(s.domains()),
              auth,
              new S3Services(
                  buckets,
                  objects,
                  new Uploads(grid, buckets, objects, Clock.systemUTC()),
                  s.region(),
                  root.owner()));
      GarbageCollector gc = new GarbageCollector(grid, buckets, Clock.systemUTC(), s.kv());
      background = scheduleGc(gc, s.gcIntervalMillis());
      LifecycleSchedule.start(
          background,
          new org.memos3.kv.lifecycle.LifecycleRunner(
              buckets,
              objects,
              new Uploads(grid, buckets, objects, Clock.systemUTC()),
              Clock.systemUTC()));
      dispatcher.observer(metrics);
      dispatcher.inlineReads(grid::readsLocal);
      boolean commitsWait = s.grid().walMode() == GridConfig.WalMode.FSYNC;
      dispatcher.inlineWrites(s.kv().inlineLimit(), () -> !commitsWait && grid.readsLocal());
      metrics.bindHttp(httpStats);
      metrics.bindGrid(grid, gc, () -> self[0] != null && self[0].ready());
      if (adminListen != null) {
        admin =
            org.memos3.frontend.ops.AdminEndpoint.start(
                adminListen.host(),
                adminListen.port(),
                metrics,
                () -> self[0] != null && self[0].ready(),
                grid::clusterStatus);
      }
      S3Server server =
          S3Server.start(
              s.listenHost(),
              s.listenPort(),
              s.http(),
              dispatcher,
              s.tls() == null ? null : s.tls().certificate(),
              s.tls() == null ? null : s.tls().privateKey(),
              httpStats);
      Gateway g = new Gateway(s, node, io, server, gc, background);
      g.objects = objects;
      g.metrics = metrics;
      g.admin = admin;
      self[0] = g;
      return g;
    } catch (Throwable e) { // Errors too: a half-started node must not stay in the cluster
      if (admin != null) {
        admin.close();
      }
      metrics.close();
      if (background != null) {
        background.shutdownNow();
      }
      if (io != null) {
        io.shutdownNow();
      }
      node.close();
      throw e;
    }
  }

  /** Reaps due manifests every interval and sweeps every 360 intervals (6 h at 1 min). */
  private static ScheduledExecutorService scheduleGc(GarbageCollector gc, long intervalMillis) {
    ScheduledExecutorService ses =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "memo-s3-gc");
              t.setDaemon(true);
              return t;
            });
    if (intervalMillis > 0) {
      long[] runs = {0};
      ses.scheduleWithFixedDelay(
          () -> {
            try {
              gc.reap();
              if (++runs[0] % 360 == 0) {
                gc.sweep();
              }
            } catch (RuntimeException e) {
              LOG.warn("garbage collection run failed: {}", e.toString());
            }
          },
          intervalMillis,
          intervalMillis,
          TimeUnit.MILLISECONDS);
    }
    return ses;
  }

  private static ExecutorService gridPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "grid-io-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return p;
  }

  /**
   * Java's AES-GCM, SHA-256 and MD5 run slowly until the JIT compiled them with their intrinsics,
   * and large chunks alone take minutes to get there (see {@link Aead#warmUp()}): a daemon thread
   * does that work once per JVM, so the start is not delayed and the first large PUT after a start
   * is not stuck at cold-crypto speed.
   */
  private static void warmUpCrypto() {
    if (!WARM_UP_STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              Aead.warmUp();
              warmUpDigests();
            },
            "memo-s3-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARM_UP_STARTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static void warmUpDigests() {
    byte[] data = new byte[16 * 1024];
    try {
      for (String alg : List.of("MD5", "SHA-256")) {
        for (int i = 0; i < 3000; i++) {
          java.security.MessageDigest.getInstance(alg).digest(data);
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.port();
  }

  public String endpoint() {
    return (settings.tls() == null ? "http://" : "https://") + settings.listenHost() + ":" + port();
  }

  public Settings settings() {
    return settings;
  }

  public Path dataDir() {
    return node.dataDir();
  }

  /** The object store of this node (for tests and admin commands). */
  public ObjectStore objects() {
    return objects;
  }

  /** The storage half of this node. */
  public GridNode node() {
    return node;
  }

  /** The garbage collector of this node (for tests and the admin endpoint). */
  public GarbageCollector gc() {
    return gc;
  }

  /** The bound port of the admin endpoint, -1 when it is off. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** The metrics of this node. */
  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** Ready for traffic: the grid is active and writable and the node is not shutting down. */
  public boolean ready() {
    return !closing && node.grid().ready();
  }

  @Override
  public void close() {
    closing = true; // /health/ready answers 503 from now on
    server.close();
    background.shutdownNow();
    io.shutdown();
    try {
      io.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    node.close();
    if (admin != null) {
      admin.close();
    }
    metrics.close();
  }
}
