package org.memos3.frontend;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.block.Table;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.ignite.IgniteGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.ObjectStore;

/**
 * One running memo-s3 node: data directory lock, master key, embedded Ignite node, key-value
 * services and the S3 endpoint, started in that order and closed in reverse. Used by the CLI and by
 * the integration tests alike.
 */
public final class Gateway implements AutoCloseable {
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
      int gridThreads) {}

  private final DataDirectory dir;
  private final IgniteGrid grid;
  private final ExecutorService io;
  private final S3Server server;
  private final Settings settings;

  private Gateway(
      Settings settings, DataDirectory dir, IgniteGrid grid, ExecutorService io, S3Server server) {
    this.settings = settings;
    this.dir = dir;
    this.grid = grid;
    this.io = io;
    this.server = server;
  }

  public static Gateway start(Settings s) throws IOException, InterruptedException {
    DataDirectory dir = DataDirectory.open(s.grid().dataDir());
    IgniteGrid grid = null;
    ExecutorService io = null;
    try {
      boolean ownKey = s.masterKeyFile() == null;
      Path keyFile = ownKey ? dir.root().resolve("keys").resolve("master.key") : s.masterKeyFile();
      MasterKey master = MasterKey.loadOrCreate(keyFile, ownKey);
      if (ownKey) {
        MasterKey.restrictToOwner(keyFile.getParent());
      }
      warmUpCrypto();
      grid = IgniteGrid.start(s.grid(), dir);
      master.verifyAgainst(grid.table(Table.META));
      io = gridPool(s.gridThreads());
      Buckets buckets = new Buckets(grid, master, Clock.systemUTC());
      ObjectStore objects = new ObjectStore(grid, buckets, io, Clock.systemUTC(), s.kv());
      Credential root = s.root();
      SigV4Authenticator auth =
          new SigV4Authenticator(
              ak -> ak.equals(root.accessKeyId()) ? Optional.of(root) : Optional.empty(),
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
                  s.region()));
      S3Server server = S3Server.start(s.listenHost(), s.listenPort(), s.http(), dispatcher);
      return new Gateway(s, dir, grid, io, server);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (io != null) {
        io.shutdownNow();
      }
      if (grid != null) {
        grid.close();
      }
      dir.close();
      throw e;
    }
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

  /** Java's AES-GCM runs slowly until the JIT compiled it: do that before the first request. */
  private static void warmUpCrypto() {
    byte[] key = Aead.newKey();
    byte[] data = new byte[64 * 1024];
    for (int i = 0; i < 200; i++) {
      Aead.open(key, new byte[0], Aead.seal(key, new byte[0], data));
    }
  }

  public int port() {
    return server.port();
  }

  public String endpoint() {
    return "http://" + settings.listenHost() + ":" + port();
  }

  public Settings settings() {
    return settings;
  }

  public Path dataDir() {
    return dir.root();
  }

  @Override
  public void close() {
    server.close();
    io.shutdown();
    try {
      io.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    grid.close();
    try {
      dir.close();
    } catch (IOException e) {
      // the lock goes away with the process anyway
    }
  }
}
