package org.memos3.frontend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.Gateway;
import org.memos3.grid.crypto.TlsMaterial;

/**
 * {@code memo-s3 doctor [serve options] [--json]}: checks what a node needs before (or while) it
 * runs: a valid configuration, the data directory (exists, writable, owner-only, free space, in
 * use), the S3, admin, discovery and communication ports (free, or held by the memo-s3 node of this
 * data directory), the grid TLS files (read and checked as a start would), the Java version and
 * Ignite's {@code --add-opens} flags, and the clock. Exit status 1 when a check failed.
 */
final class DoctorCommand {
  static final long MIN_FREE_BYTES = 2L << 30;

  /** Packages Ignite needs opened (a sample of Ignite's list). */
  static final List<String> OPENS =
      List.of(
          "java.base/java.nio",
          "java.base/sun.nio.ch",
          "java.base/java.lang",
          "java.base/java.util",
          "java.base/java.util.concurrent",
          "java.base/jdk.internal.misc",
          "java.base/jdk.internal.access",
          "java.management/sun.management");

  record Check(String name, String status, String detail) {}

  private DoctorCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    List<Check> checks = new ArrayList<>();
    boolean json = List.of(args).contains("--json");
    ServeOptions o = null;
    try {
      o = ConfigSources.resolve(args, env).options();
      checks.add(new Check("config", "ok", "valid"));
    } catch (ServeOptions.UsageException e) {
      checks.add(new Check("config", "FAIL", e.getMessage()));
    }
    if (o != null) {
      boolean nodeRunning = dataDir(o.data, checks);
      String host = o.listenHost;
      port(checks, "s3 port", host, o.listenPort, nodeRunning);
      Gateway.AdminListen admin = o.adminListen();
      if (admin == null) {
        checks.add(new Check("admin port", "ok", "admin endpoint off"));
      } else {
        port(checks, "admin port", admin.host(), admin.port(), nodeRunning);
      }
      String gridHost = o.gridConfig().host();
      port(checks, "discovery port", gridHost, o.discoveryPort, nodeRunning);
      port(checks, "communication port", gridHost, o.communicationPort, nodeRunning);
      gridTls(checks, o);
    }
    java(checks);
    clock(checks, o == null ? null : o.data);
    boolean failed = checks.stream().anyMatch(c -> c.status().equals("FAIL"));
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", !failed);
      m.put("checks", checks);
      try {
        out.println(new ObjectMapper().writeValueAsString(m));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      for (Check c : checks) {
        out.printf("%-5s %-19s %s%n", c.status(), c.name(), c.detail());
      }
      out.println(failed ? "doctor: some checks FAILED" : "doctor: all checks passed");
    }
    return failed ? 1 : 0;
  }

  /** Checks the data directory; true when a running node holds its lock. */
  private static boolean dataDir(Path data, List<Check> checks) {
    Path dir = data.toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      Path parent = dir.getParent();
      boolean canCreate = parent != null && Files.isDirectory(parent) && Files.isWritable(parent);
      checks.add(
          new Check(
              "data directory",
              canCreate ? "WARN" : "FAIL",
              dir + " does not exist" + (canCreate ? " (created at first start)" : "")));
      return false;
    }
    checks.add(
        new Check(
            "data directory",
            Files.isWritable(dir) ? "ok" : "FAIL",
            dir + (Files.isWritable(dir) ? " exists, writable" : " is not writable")));
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
      boolean ownerOnly = p.stream().allMatch(x -> x.name().startsWith("OWNER_"));
      checks.add(
          new Check(
              "permissions",
              ownerOnly ? "ok" : "WARN",
              java.nio.file.attribute.PosixFilePermissions.toString(p)
                  + (ownerOnly ? " (owner only)" : ": others can read it; chmod 700 " + dir)));
    } catch (UnsupportedOperationException | IOException e) {
      checks.add(new Check("permissions", "WARN", "cannot read them: " + e.getMessage()));
    }
    try {
      long free = Files.getFileStore(dir).getUsableSpace();
      checks.add(
          new Check(
              "free disk space",
              free >= MIN_FREE_BYTES ? "ok" : "WARN",
              (free >> 20) + " MiB free" + (free >= MIN_FREE_BYTES ? "" : " (less than 2 GiB)")));
    } catch (IOException e) {
      checks.add(new Check("free disk space", "WARN", "unknown: " + e.getMessage()));
    }
    Path lock = dir.resolve("memo-s3.lock");
    boolean held = false;
    if (Files.exists(lock)) {
      try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
        FileLock l = ch.tryLock();
        if (l == null) {
          held = true;
        } else {
          l.release();
        }
      } catch (OverlappingFileLockException e) {
        held = true; // held by this very process
      } catch (IOException e) {
        checks.add(new Check("lock", "WARN", "cannot check " + lock + ": " + e.getMessage()));
      }
    }
    checks.add(
        new Check(
            "node",
            "ok",
            held
                ? "a memo-s3 node is running on this data directory (lock held)"
                : "no node is running on this data directory"));
    return held;
  }

  private static void port(
      List<Check> checks, String name, String host, int port, boolean nodeRunning) {
    if (port == 0) {
      checks.add(new Check(name, "ok", "any free port (0)"));
      return;
    }
    String where = host + ":" + port;
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      checks.add(new Check(name, "ok", where + " is free"));
    } catch (IOException e) {
      if (nodeRunning) {
        checks.add(new Check(name, "ok", where + " in use, by the memo-s3 node (lock held)"));
      } else {
        checks.add(
            new Check(name, "FAIL", where + " is in use by another process: " + e.getMessage()));
      }
    }
  }

  /** Reads the grid TLS files as a start would; warns when a cluster node has none. */
  private static void gridTls(List<Check> checks, ServeOptions o) {
    if (o.gridTlsCert == null) {
      checks.add(
          o.peers.isEmpty()
              ? new Check("grid tls", "ok", "off (no --peers: no links to other nodes)")
              : new Check(
                  "grid tls",
                  "WARN",
                  "off: plain TCP between nodes, and whoever reaches the discovery port can join"
                      + " (see --grid-tls-cert)"));
      return;
    }
    try {
      TlsMaterial m = TlsMaterial.load(o.gridTlsCert, o.gridTlsKey, o.gridTlsCa);
      long days =
          java.time.Duration.between(Instant.now(), m.chain().get(0).getNotAfter().toInstant())
              .toDays();
      checks.add(
          new Check(
              "grid tls",
              days < 30 ? "WARN" : "ok",
              m.describe() + (days < 30 ? " (expires in " + days + " days)" : "")));
    } catch (IOException e) {
      checks.add(new Check("grid tls", "FAIL", e.getMessage()));
    }
  }

  private static void java(List<Check> checks) {
    int feature = Runtime.version().feature();
    checks.add(
        new Check(
            "java",
            feature >= 17 ? "ok" : "FAIL",
            "Java "
                + Runtime.version()
                + " ("
                + System.getProperty("java.vendor", "?")
                + ")"
                + (feature >= 17 ? "" : "; memo-s3 needs 17 or later")));
    Module me = DoctorCommand.class.getModule();
    List<String> missing = new ArrayList<>();
    for (String mp : OPENS) {
      String[] parts = mp.split("/");
      var mod = ModuleLayer.boot().findModule(parts[0]);
      if (mod.isPresent() && !mod.get().isOpen(parts[1], me)) {
        missing.add(mp);
      }
    }
    checks.add(
        new Check(
            "add-opens",
            missing.isEmpty() ? "ok" : "FAIL",
            missing.isEmpty()
                ? "Ignite's --add-opens flags are present"
                : "missing --add-opens for "
                    + String.join(", ", missing)
                    + " (run through bin/memo-s3 or java -jar, whose manifest adds them)"));
  }

  private static void clock(List<Check> checks, Path data) {
    Instant now = Instant.now();
    int year = now.atZone(java.time.ZoneOffset.UTC).getYear();
    if (year < 2024 || year > 2100) {
      checks.add(new Check("clock", "FAIL", "the clock says " + now + ": set the system time"));
      return;
    }
    String detail = "UTC " + now;
    if (data != null && Files.isDirectory(data) && Files.isWritable(data)) {
      try {
        Path probe = Files.createTempFile(data, ".doctor", ".tmp");
        try {
          long skew =
              Math.abs(Files.getLastModifiedTime(probe).toMillis() - System.currentTimeMillis());
          if (skew > 60_000) {
            checks.add(
                new Check(
                    "clock",
                    "WARN",
                    detail
                        + "; the data directory's file system stamps files "
                        + (skew / 1000)
                        + " s apart from this clock"));
            return;
          }
        } finally {
          Files.deleteIfExists(probe);
        }
      } catch (IOException e) {
        // not conclusive; the year check stands
      }
    }
    checks.add(
        new Check("clock", "ok", detail + " (SigV4 allows 15 min of skew: keep NTP running)"));
  }
}
