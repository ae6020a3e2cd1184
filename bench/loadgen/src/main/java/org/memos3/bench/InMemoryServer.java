package org.memos3.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.memos3.auth.sigv4.Credential;
import org.memos3.auth.sigv4.SigV4Authenticator;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.frontend.http.S3Server;
import org.memos3.frontend.op.Router;
import org.memos3.frontend.op.S3Dispatcher;
import org.memos3.frontend.op.S3Services;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.gc.GarbageCollector;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectStore;

/**
 * The benchmark's in-memory ceiling: the same S3 front end, SigV4, encryption, chunking and
 * key-value mapping as {@code memo-s3 serve}, assembled as {@code Gateway} does, but over {@link
 * InMemoryGrid} instead of an Ignite node. Replaced and deleted versions are freed after 1 s (the
 * product waits 10 minutes), so that deleting the large objects returns their heap.
 *
 * <p>Usage: {@code InMemoryServer PORT} with MEMO_S3_ACCESS_KEY_ID / MEMO_S3_SECRET_ACCESS_KEY set;
 * listens on 127.0.0.1, prints "memo-s3 (in-memory) is running" and runs until killed.
 */
public final class InMemoryServer {
  private InMemoryServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String id = System.getenv("MEMO_S3_ACCESS_KEY_ID");
    String secret = System.getenv("MEMO_S3_SECRET_ACCESS_KEY");
    if (id == null || secret == null) {
      throw new IllegalArgumentException("set MEMO_S3_ACCESS_KEY_ID and MEMO_S3_SECRET_ACCESS_KEY");
    }
    Credential root = new Credential(id, secret, "root");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    InMemoryGrid grid = new InMemoryGrid();
    Clock clock = Clock.systemUTC();
    KvConfig d = KvConfig.defaults();
    KvConfig kv =
        new KvConfig(
            d.chunkSize(),
            d.writeWindow(),
            d.readWindow(),
            d.inlineLimit(),
            d.casRetries(),
            1_000L,
            d.sweepGraceMillis());
    Buckets buckets = new Buckets(grid, MasterKey.of(key), clock);
    ExecutorService io = Executors.newFixedThreadPool(32, daemon("grid-io"));
    ObjectStore objects = new ObjectStore(grid, buckets, io, clock, kv);
    SigV4Authenticator auth =
        new SigV4Authenticator(
            accessKeyId -> id.equals(accessKeyId) ? Optional.of(root) : Optional.empty(),
            "us-east-1",
            clock);
    S3Dispatcher dispatcher =
        new S3Dispatcher(
            new Router(List.of()),
            auth,
            new S3Services(
                buckets,
                objects,
                new Uploads(grid, buckets, objects, clock),
                "us-east-1",
                root.owner()));
    dispatcher.inlineReads(() -> true); // one process, every record in memory: as a lone node
    dispatcher.inlineWrites(kv.inlineLimit(), () -> true); // likewise
    GarbageCollector gc = new GarbageCollector(grid, buckets, clock, kv);
    ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemon("gc"));
    reaper.scheduleWithFixedDelay(
        () -> {
          try {
            gc.reap();
          } catch (RuntimeException e) {
            System.err.println("reap failed: " + e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
    S3Server server = S3Server.start("127.0.0.1", port, HttpLimits.defaults(), dispatcher);
    // The crypto warm-up the Gateway starts on a background thread (the JIT then compiles AES-GCM
    // with its intrinsics); done before "is running" here, so the ceiling is not measured cold.
    org.memos3.grid.crypto.Aead.warmUp();
    System.out.println("memo-s3 (in-memory) is running");
    System.out.println("  endpoint:   http://127.0.0.1:" + server.port());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Thread.currentThread().join();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
