package org.memos3.frontend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.memos3.auth.sigv4.Credential;
import org.memos3.frontend.Gateway;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.grid.GridException;
import org.memos3.kv.KvConfig;

/** The {@code memo-s3} command line. */
public final class Main {
  static final String HELP =
      """
      Usage: memo-s3 <command> [options]

      memo-s3 is an S3-compatible object gateway over encrypted, content-addressed blocks in an
      Apache Ignite data grid.

      Commands:
        serve       start a node (S3 endpoint + embedded grid node); see memo-s3 serve --help
        master-key rotate
                    rewrap every bucket key with a new master key (data is not rewritten);
                    with --master-key-file, also give --new-master-key-file
        gc status   garbage collection queue, suspects and what was reclaimed
        gc run      reap due retired versions and sweep unreferenced blocks now
                    (gc works on the data directory of a stopped node: a running node
                    collects garbage by itself every minute; takes --data, the grid ports,
                    --master-key-file and --json like serve)
        user create|list|delete NAME
                    users other than root (bucket owners and key holders)
        key create|list USER, key revoke ACCESS_KEY_ID
                    a user's access keys (create shows the secret once)
        bucket allow BUCKET USER read|write|owner, bucket deny BUCKET USER,
        bucket public BUCKET on|off
                    grants on a bucket, and anonymous read access to it
                    (user, key and bucket work on the data directory of a stopped node, like
                    gc, or join the node running on it as a grid client; they take the same
                    options as gc, and --config)
        snapshot create NAME
                    a snapshot of the whole grid, consistent across the cluster; each node's
                    part in DIR/snapshots/NAME, with a copy of the master key unless it comes
                    from --master-key-file (on a stopped node's data directory, or through
                    the node running on it)
        snapshot list
                    the snapshots in DIR/snapshots
        snapshot restore SNAPSHOT_DIR --data NEW_DIR
                    a new data directory filled from a snapshot (then serve --data NEW_DIR)
        config show [serve options] [--config FILE]
                    the effective configuration: every key, its value and its source
                    (command line > MEMO_S3_<KEY> > config file > default); no secrets
        doctor [serve options] [--json]
                    check config, data directory, ports, grid TLS files, Java flags
                    and clock
        cluster status [--admin HOST:PORT] [--json]
                    cluster state, server and baseline nodes, lost partitions, from a
                    running node's admin endpoint
        scrub [--data DIR] [--json]
                    on a stopped node: check every block against its address and every
                    object for missing or corrupt blocks (exit status 3 on damage)
        help        this help
      """;

  private Main() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (Throwable t) {
      // Whatever went wrong, the JVM ends (grid threads must not keep a broken node alive).
      System.err.println("memo-s3: fatal: " + t);
      status = 1;
    }
    System.exit(status);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-h")) {
      out.print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "serve":
          return serve(ConfigSources.resolve(rest, System.getenv()).options(), out);
        case "config":
          return ConfigCommand.run(rest, out, err, System.getenv());
        case "doctor":
          return DoctorCommand.run(rest, out, err, System.getenv());
        case "cluster":
          return ClusterCommand.run(rest, out, err, System.getenv());
        case "scrub":
          return ScrubCommand.run(rest, out, err, System.getenv());
        case "gc":
          return GcCommand.run(rest, out, err);
        case "user", "key", "bucket":
          return AccessCommand.run(args[0], rest, out, err, System.getenv());
        case "master-key":
          return MasterKeyCommand.run(rest, out, err);
        case "snapshot":
          return SnapshotCommand.run(rest, out, err, System.getenv());
        default:
          err.println("memo-s3: unknown command " + args[0] + " (try memo-s3 --help)");
          return 2;
      }
    } catch (ServeOptions.UsageException e) {
      err.println("memo-s3: " + e.getMessage());
      return 2;
    } catch (GridException | IllegalArgumentException e) {
      err.println("memo-s3: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("memo-s3: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static Gateway.TlsFiles tls(ServeOptions o) {
    o.checkTogether(java.util.Map.of());
    return o.tlsCert == null ? null : new Gateway.TlsFiles(o.tlsCert, o.tlsKey);
  }

  private static int serve(ServeOptions o, PrintStream out)
      throws IOException, InterruptedException {
    if (o.help) {
      out.print(ServeOptions.HELP);
      return 0;
    }
    Credential root = RootCredentials.resolve(o.data.toAbsolutePath(), System.getenv());
    Gateway.Settings settings =
        new Gateway.Settings(
            o.gridConfig(),
            o.listenHost,
            o.listenPort,
            o.region,
            o.domains,
            o.masterKeyFile,
            root,
            HttpLimits.defaults(),
            KvConfig.defaults(),
            32,
            60_000,
            tls(o));
    Gateway gw;
    try {
      gw = Gateway.start(settings, o.adminListen());
    } catch (java.net.BindException e) {
      Gateway.AdminListen a = o.adminListen();
      throw new IOException(
          "cannot listen on "
              + o.listenHost
              + ":"
              + o.listenPort
              + (a == null ? "" : " (S3) or " + a.host() + ":" + a.port() + " (admin)")
              + ": "
              + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gw.close();
                  stopped.countDown();
                },
                "memo-s3-shutdown"));
    Signals.exitZeroOn("TERM", "INT");
    out.printf(
        "memo-s3 is running%n"
            + "  endpoint:   %s%n"
            + "  region:     %s%n"
            + "  access key: %s%n"
            + "  secret key: %s%n"
            + "  data:       %s%n"
            + "  try:        AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s s3 ls%n",
        gw.endpoint(),
        o.region,
        root.accessKeyId(),
        root.secretAccessKey(),
        gw.dataDir(),
        root.accessKeyId(),
        root.secretAccessKey(),
        gw.endpoint());
    if (o.gridTlsCert != null) {
      out.printf(
          "  grid:       TLS between nodes; every node needs a certificate from a CA in %s%n",
          o.gridTlsCa);
    } else if (!o.peers.isEmpty()) {
      out.printf("  grid:       plain TCP between nodes (no --grid-tls-cert)%n");
    }
    if (gw.adminPort() >= 0) {
      out.printf(
          "  admin:      http://%s:%d/metrics, /health/live, /health/ready, /cluster%n",
          o.adminListen().host(), gw.adminPort());
    }
    out.flush();
    stopped.await();
    return 0;
  }
}
