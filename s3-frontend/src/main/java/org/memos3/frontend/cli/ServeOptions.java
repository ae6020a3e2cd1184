package org.memos3.frontend.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.memos3.grid.GridConfig;

/** The options of {@code memo-s3 serve}, parsed from the command line with their defaults. */
final class ServeOptions {
  String listenHost = "127.0.0.1";
  int listenPort = 9000;
  Path data = Path.of("data");
  String region = "us-east-1";

  /** HOST:PORT or "off"; null for the default (S3 host, S3 port + 1). */
  String adminListen;

  List<String> domains = new ArrayList<>();
  Path masterKeyFile;
  Path tlsCert;
  Path tlsKey;
  Path newMasterKeyFile;
  String gridHost;
  int discoveryPort = 47500;
  int communicationPort = 47100;
  List<String> peers = new ArrayList<>();
  Path gridTlsCert;
  Path gridTlsKey;
  Path gridTlsCa;
  int backups = 1;
  GridConfig.WalMode walMode = GridConfig.WalMode.LOG_ONLY;
  long dataRegionMib = 512;
  int walSegmentMib = 64;
  int walSegments = 4;
  int walArchiveMib = 1024;
  int pageSize = 16384;
  int partitions = 256;
  long checkpointMillis = 180_000;
  long baselineAdjustMillis = 60_000;
  boolean directIo = true;
  boolean help;
  boolean json;

  static final String HELP =
      """
      Usage: memo-s3 serve [options]

      Starts one memo-s3 node: an embedded Apache Ignite server node with native persistence
      and the S3 endpoint.

      Options (default in brackets):
        --listen HOST:PORT          S3 endpoint address [127.0.0.1:9000]
        --admin-listen HOST:PORT    admin endpoint (metrics, health, cluster state; no auth,
                                    keep it on loopback), or off [S3 host, S3 port + 1]
        --config FILE               key = value file of these options (keys without --);
                                    command line > MEMO_S3_<KEY> variables > file > defaults
                                    [MEMO_S3_CONFIG, else none]
        --data DIR                  data directory [./data]
        --region NAME               S3 region reported and checked in signatures [us-east-1]
        --domain NAME               enable virtual-hosted-style requests for BUCKET.NAME
                                    (repeatable) [none: path-style only]
        --tls-cert FILE             serve HTTPS with this PEM certificate chain [plain HTTP]
        --tls-key FILE              the PKCS#8 PEM private key of --tls-cert
        --master-key-file FILE      master key (base64, 32 bytes) supplied by the operator
                                    [generated at first start in DIR/keys/master.key]
        --grid-host HOST            interface the Ignite discovery and communication ports bind
                                    to and announce [the --listen host; 127.0.0.1 when that is
                                    0.0.0.0]
        --discovery-port PORT       Ignite discovery port of this node [47500]
        --communication-port PORT   Ignite communication port of this node [47100]
        --peers HOST:PORT,...       discovery addresses of the other nodes of a cluster [none]
        --grid-tls-cert FILE        TLS between grid nodes, client certificates required: this
                                    node's PEM certificate chain [none: plain TCP]
        --grid-tls-key FILE         the PKCS#8 PEM private key of --grid-tls-cert
        --grid-tls-ca FILE          PEM CA bundle every node's certificate must chain to
                                    (the three go together)
        --backups N                 backup copies per partition, fixed at creation [1]
        --wal-mode MODE             log-only: an acknowledged write survives kill -9, not
                                    power loss; fsync: it survives power loss too, every
                                    commit and chunk file forced (slower) [log-only]
        --data-region-mib N         off-heap page memory of the grid in MiB [512]
        --wal-segment-mib N         size of one WAL segment in MiB [64]
        --wal-segments N            WAL segments preallocated in the work directory [4]
        --wal-archive-mib N         cap of the WAL archive in MiB [1024]
        --checkpoint-frequency-ms N how often dirty pages go to the partition files [180000]
        --page-size BYTES           page size, fixed when the grid is created [16384]
        --partitions N              partitions per cache, fixed when the grid is created [256]
        --baseline-auto-adjust-ms N delay before the cluster baseline follows a node joining
                                    or leaving [60000]
        --direct-io on|off          write and read chunk files of 128 KiB and more with
                                    O_DIRECT, outside the page cache, where the file system
                                    allows it [on]
        -h, --help                  this help

      Environment:
        MEMO_S3_ACCESS_KEY_ID, MEMO_S3_SECRET_ACCESS_KEY
                                    root credentials [generated at first start, stored in
                                    DIR/credentials]
        JAVA_OPTS                   JVM options for bin/memo-s3 (e.g. -Xmx1g)
      """;

  static final java.util.Set<String> KNOWN =
      java.util.Set.of(
          "--admin-listen",
          "--listen",
          "--data",
          "--region",
          "--domain",
          "--master-key-file",
          "--tls-cert",
          "--tls-key",
          "--new-master-key-file",
          "--grid-host",
          "--discovery-port",
          "--communication-port",
          "--peers",
          "--grid-tls-cert",
          "--grid-tls-key",
          "--grid-tls-ca",
          "--backups",
          "--wal-mode",
          "--data-region-mib",
          "--wal-segment-mib",
          "--wal-segments",
          "--wal-archive-mib",
          "--checkpoint-frequency-ms",
          "--page-size",
          "--partitions",
          "--baseline-auto-adjust-ms",
          "--direct-io");

  static ServeOptions parse(String[] args) {
    ServeOptions o = new ServeOptions();
    List<String> a = new ArrayList<>(Arrays.asList(args));
    for (int i = 0; i < a.size(); i++) {
      String opt = a.get(i);
      String val = null;
      int eq = opt.indexOf('=');
      if (opt.startsWith("--") && eq > 0) {
        val = opt.substring(eq + 1);
        opt = opt.substring(0, eq);
      }
      if (opt.equals("-h") || opt.equals("--help")) {
        o.help = true;
        continue;
      }
      if (opt.equals("--json")) {
        o.json = true;
        continue;
      }
      if (!KNOWN.contains(opt)) {
        throw new UsageException("unknown option " + opt + " (try memo-s3 serve --help)");
      }
      if (val == null) {
        if (i + 1 >= a.size()) {
          throw new UsageException(opt + " needs a value");
        }
        val = a.get(++i);
      }
      switch (opt) {
        case "--listen" -> {
          int c = val.lastIndexOf(':');
          if (c <= 0) {
            throw new UsageException("--listen must be HOST:PORT, got " + val);
          }
          o.listenHost = val.substring(0, c);
          o.listenPort = port("--listen", val.substring(c + 1));
        }
        case "--admin-listen" -> {
          int c = val.lastIndexOf(':');
          if (!val.equals("off") && c <= 0) {
            throw new UsageException("--admin-listen must be HOST:PORT or off, got " + val);
          }
          if (c > 0) {
            port(opt, val.substring(c + 1));
          }
          o.adminListen = val;
        }
        case "--data" -> o.data = Path.of(val);
        case "--region" -> o.region = val;
        case "--domain" -> o.domains.add(val.toLowerCase(Locale.ROOT));
        case "--master-key-file" -> o.masterKeyFile = Path.of(val);
        case "--tls-cert" -> o.tlsCert = Path.of(val);
        case "--tls-key" -> o.tlsKey = Path.of(val);
        case "--new-master-key-file" -> o.newMasterKeyFile = Path.of(val);
        case "--grid-host" -> o.gridHost = val;
        case "--discovery-port" -> o.discoveryPort = port(opt, val);
        case "--communication-port" -> o.communicationPort = port(opt, val);
        case "--peers" -> {
          for (String p : val.split(",")) {
            if (!p.isBlank()) {
              o.peers.add(p.trim());
            }
          }
        }
        case "--grid-tls-cert" -> o.gridTlsCert = Path.of(val);
        case "--grid-tls-key" -> o.gridTlsKey = Path.of(val);
        case "--grid-tls-ca" -> o.gridTlsCa = Path.of(val);
        case "--backups" -> o.backups = number(opt, val, 0, 8);
        case "--wal-mode" ->
            o.walMode =
                switch (val) {
                  case "log-only" -> GridConfig.WalMode.LOG_ONLY;
                  case "fsync" -> GridConfig.WalMode.FSYNC;
                  default ->
                      throw new UsageException("--wal-mode must be log-only or fsync, got " + val);
                };
        case "--data-region-mib" -> o.dataRegionMib = number(opt, val, 64, 1 << 20);
        case "--wal-segment-mib" -> o.walSegmentMib = number(opt, val, 1, 1024);
        case "--wal-segments" -> o.walSegments = number(opt, val, 2, 100);
        case "--wal-archive-mib" -> o.walArchiveMib = number(opt, val, 16, 1 << 20);
        case "--checkpoint-frequency-ms" -> o.checkpointMillis = number(opt, val, 100, 86_400_000);
        case "--page-size" -> {
          o.pageSize = number(opt, val, 1024, 16384);
          if (Integer.bitCount(o.pageSize) != 1) {
            throw new UsageException("--page-size must be a power of two, got " + val);
          }
        }
        case "--partitions" -> o.partitions = number(opt, val, 1, 65000);
        case "--baseline-auto-adjust-ms" ->
            o.baselineAdjustMillis = number(opt, val, 0, 86_400_000);
        case "--direct-io" ->
            o.directIo =
                switch (val) {
                  case "on" -> true;
                  case "off" -> false;
                  default -> throw new UsageException("--direct-io must be on or off, got " + val);
                };
        default -> throw new UsageException("unknown option " + opt);
      }
    }
    return o;
  }

  private static int port(String opt, String v) {
    return number(opt, v, 0, 65535);
  }

  private static int number(String opt, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new UsageException(opt + " must be between " + min + " and " + max + ", got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(opt + " must be a number, got " + v);
    }
  }

  /** The admin endpoint address, null when it is off. */
  org.memos3.frontend.Gateway.AdminListen adminListen() {
    if (adminListen == null) {
      return org.memos3.frontend.Gateway.AdminListen.defaultFor(listenHost, listenPort);
    }
    if (adminListen.equals("off")) {
      return null;
    }
    int c = adminListen.lastIndexOf(':');
    return new org.memos3.frontend.Gateway.AdminListen(
        adminListen.substring(0, c), Integer.parseInt(adminListen.substring(c + 1)));
  }

  /** The options that only make sense together, each group all set or all unset. */
  static final List<List<String>> TOGETHER =
      List.of(
          List.of("tls-cert", "tls-key"), List.of("grid-tls-cert", "grid-tls-key", "grid-tls-ca"));

  /**
   * Checks that each group of {@link #TOGETHER} is all set or all unset.
   *
   * @param sources where each set key came from ("config file x.conf"), for the message; may lack
   *     keys
   * @throws UsageException one line naming the missing key and the ones that need it
   */
  void checkTogether(java.util.Map<String, String> sources) {
    for (List<String> group : TOGETHER) {
      List<String> set = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String key : group) {
        (isSet(key) ? set : missing).add(key);
      }
      if (!set.isEmpty() && !missing.isEmpty()) {
        List<String> given = new ArrayList<>();
        for (String key : set) {
          String from = sources.get(key);
          given.add(from == null ? key : key + " (" + from + ")");
        }
        throw new UsageException(
            and(missing)
                + (missing.size() == 1 ? " is" : " are")
                + " not set, but "
                + and(given)
                + (given.size() == 1 ? " is" : " are")
                + ": "
                + and(group)
                + " go together");
      }
    }
  }

  /** "a", "a and b", "a, b and c". */
  private static String and(List<String> items) {
    int n = items.size();
    return n == 1
        ? items.get(0)
        : String.join(", ", items.subList(0, n - 1)) + " and " + items.get(n - 1);
  }

  private boolean isSet(String key) {
    return switch (key) {
      case "tls-cert" -> tlsCert != null;
      case "tls-key" -> tlsKey != null;
      case "grid-tls-cert" -> gridTlsCert != null;
      case "grid-tls-key" -> gridTlsKey != null;
      case "grid-tls-ca" -> gridTlsCa != null;
      default -> throw new IllegalArgumentException(key);
    };
  }

  /**
   * The grid settings of these options.
   *
   * @throws UsageException when only some of the grid TLS options are set
   */
  GridConfig gridConfig() {
    checkTogether(java.util.Map.of());
    return new GridConfig(
        data,
        gridHost != null ? gridHost : listenHost.equals("0.0.0.0") ? "127.0.0.1" : listenHost,
        discoveryPort,
        communicationPort,
        peers,
        dataRegionMib * GridConfig.MIB,
        walMode,
        (int) (walSegmentMib * GridConfig.MIB),
        walSegments,
        walArchiveMib * GridConfig.MIB,
        pageSize,
        partitions,
        backups,
        baselineAdjustMillis,
        checkpointMillis,
        directIo,
        gridTlsCert == null ? null : new GridConfig.Tls(gridTlsCert, gridTlsKey, gridTlsCa));
  }

  /** A bad command line: one line for the user, no stack trace. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String m) {
      super(m);
    }
  }
}
