package org.memos3.frontend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.memos3.frontend.GridNode;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.ignite.IgniteGrid;

/**
 * {@code memo-s3 snapshot create|list|restore}: Ignite snapshots of the whole grid, each node's
 * part in its {@code DIR/snapshots/NAME}. {@code create} works on a stopped data directory (it
 * starts its own node) and on a running node (it joins it as a client, see {@link
 * GridNode#openOrJoin}); {@code list} reads the snapshot directories; {@code restore} fills a new
 * data directory from a snapshot with a temporary lone node. A snapshot carries a copy of the
 * node's master key and root credentials in its {@code memo-s3/} subdirectory (owner-only) unless
 * the key comes from {@code --master-key-file}, which restore then needs too.
 */
final class SnapshotCommand {
  static final String USAGE =
      """
      usage: memo-s3 snapshot create NAME [options]
             memo-s3 snapshot list [options]
             memo-s3 snapshot restore SNAPSHOT_DIR --data NEW_DIR [options]
      options: --data DIR, --master-key-file FILE, --config FILE, the grid options of serve,
               --json (see memo-s3 serve --help)
      create writes this node's part of a cluster-wide snapshot to DIR/snapshots/NAME, on a
      stopped node's data directory or through the node running on it; list shows
      DIR/snapshots; restore fills NEW_DIR (absent or empty) from SNAPSHOT_DIR
      (e.g. data/snapshots/NAME); then start it with memo-s3 serve --data NEW_DIR.
      """;

  /** Subdirectory of a snapshot with the node's master key and root credentials. */
  static final String EXTRAS = "memo-s3";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private SnapshotCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    List<String> words = new ArrayList<>();
    List<String> options = new ArrayList<>();
    AccessCommand.split(args, words, options);
    ServeOptions o = ConfigSources.resolve(options.toArray(String[]::new), env).options();
    String action = words.isEmpty() ? "" : words.get(0);
    int arity =
        switch (action) {
          case "create", "restore" -> 2;
          case "list" -> 1;
          default -> -1;
        };
    if (o.help || words.size() != arity) {
      (o.help ? out : err).print(USAGE);
      return o.help ? 0 : 2;
    }
    return switch (action) {
      case "create" -> create(words.get(1), o, out, err);
      case "list" -> list(o, out);
      default -> restore(Path.of(words.get(1)), o, out, err);
    };
  }

  private static int create(String name, ServeOptions o, PrintStream out, PrintStream err)
      throws IOException {
    if (!NAME.matcher(name).matches()) {
      err.println(
          "memo-s3: a snapshot name is 1 to 100 letters, digits, '.', '_' or '-', got " + name);
      return 2;
    }
    Path data = o.data.toAbsolutePath().normalize();
    Path target = data.resolve(IgniteGrid.SNAPSHOTS).resolve(name);
    if (Files.exists(target)) {
      err.println("memo-s3: a snapshot " + name + " already exists in " + target);
      return 1;
    }
    try (GridNode node = GridNode.openOrJoin(o.gridConfig(), o.masterKeyFile)) {
      if (Files.exists(MasterKey.nextKeyFile(node.masterKeyFile()))) {
        err.println(
            "memo-s3: a master key rotation is unfinished; finish it (memo-s3 master-key rotate)"
                + " before taking a snapshot");
        return 1;
      }
      long total = storedBytes(data);
      long t0 = System.nanoTime();
      if (!o.json) {
        out.printf(
            "creating snapshot %s (%s; this node's part goes to %s) ...%n",
            name, node.joined() ? "through the running node" : "on the stopped node", target);
        out.flush();
      }
      node.grid()
          .createSnapshot(
              name,
              () -> {
                if (!o.json) {
                  out.printf(
                      "  %s of about %s copied, %d s%n",
                      mib(sizeOf(target)), mib(total), seconds(t0));
                  out.flush();
                }
              });
      if (!Files.isDirectory(target)) {
        err.println(
            "memo-s3: Ignite reports the snapshot done, but it is not in "
                + target
                + " (a node of an older version keeps snapshots in DIR/ignite/snapshots)");
        return 1;
      }
      boolean withKey = o.masterKeyFile == null;
      Path extras = Files.createDirectories(target.resolve(EXTRAS));
      MasterKey.restrictToOwner(extras);
      if (withKey) {
        copyOwnerOnly(node.masterKeyFile(), extras.resolve("master.key"));
      }
      Path credentials = data.resolve("credentials");
      if (Files.exists(credentials)) {
        copyOwnerOnly(credentials, extras.resolve("credentials"));
      }
      long bytes = sizeOf(target);
      if (o.json) {
        out.printf(
            "{\"snapshot\":%s,\"path\":%s,\"bytes\":%d,\"seconds\":%d,\"masterKey\":%b}%n",
            AccessCommand.json(name),
            AccessCommand.json(target.toString()),
            bytes,
            seconds(t0),
            withKey);
      } else {
        out.printf(
            "snapshot %s created in %d s: %s in %s%n  %s%n",
            name,
            seconds(t0),
            mib(bytes),
            target,
            withKey
                ? "it holds a copy of the master key (memo-s3/master.key, owner-only): whoever"
                    + " has the snapshot can read everything in it"
                : "it holds no master key (the node uses --master-key-file): restore it with the"
                    + " same --master-key-file");
      }
      return 0;
    }
  }

  private static int list(ServeOptions o, PrintStream out) throws IOException {
    Path root = o.data.toAbsolutePath().normalize().resolve(IgniteGrid.SNAPSHOTS);
    List<Path> dirs = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        // ".NAME.blocks": block files staged by a snapshot in progress (or interrupted)
        s.filter(Files::isDirectory)
            .filter(p -> !p.getFileName().toString().startsWith("."))
            .sorted()
            .forEach(dirs::add);
      }
    }
    StringJoiner j = new StringJoiner(",", "[", "]");
    if (!o.json && dirs.isEmpty()) {
      out.println("no snapshots in " + root);
    }
    for (Path d : dirs) {
      List<String> nodes = new ArrayList<>();
      Path db = d.resolve("db");
      if (Files.isDirectory(db)) {
        try (Stream<Path> s = Files.list(db)) {
          s.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.equals("binary_meta") && !n.equals("marshaller"))
              .sorted()
              .forEach(nodes::add);
        }
      }
      Instant created = Files.getLastModifiedTime(d).toInstant();
      long bytes = sizeOf(d);
      boolean key = Files.exists(d.resolve(EXTRAS).resolve("master.key"));
      if (o.json) {
        StringJoiner n = new StringJoiner(",", "[", "]");
        nodes.forEach(x -> n.add(AccessCommand.json(x)));
        j.add(
            "{\"snapshot\":"
                + AccessCommand.json(d.getFileName().toString())
                + ",\"path\":"
                + AccessCommand.json(d.toString())
                + ",\"created\":"
                + AccessCommand.json(created.toString())
                + ",\"bytes\":"
                + bytes
                + ",\"nodes\":"
                + n
                + ",\"masterKey\":"
                + key
                + "}");
      } else {
        out.printf(
            "%-24s %s  %10s  nodes %s%s%n",
            d.getFileName(),
            created,
            mib(bytes),
            String.join(",", nodes),
            key ? "  (with master key)" : "");
      }
    }
    if (o.json) {
      out.println(j);
    }
    return 0;
  }

  private static int restore(Path snapshot, ServeOptions o, PrintStream out, PrintStream err)
      throws IOException {
    Path snap = snapshot.toAbsolutePath().normalize();
    if (!Files.isDirectory(snap.resolve("db"))) {
      err.println(
          "memo-s3: no snapshot in "
              + snap
              + " (give the snapshot's directory, e.g. data/snapshots/NAME)");
      return 1;
    }
    Path data = o.data.toAbsolutePath().normalize();
    if (Files.exists(data)) {
      try (Stream<Path> s = Files.list(data)) {
        if (s.findAny().isPresent()) {
          err.println(
              "memo-s3: "
                  + data
                  + " is not empty: a snapshot is restored into a new data directory");
          return 1;
        }
      }
    }
    Path keyInSnapshot = snap.resolve(EXTRAS).resolve("master.key");
    if (o.masterKeyFile == null && !Files.exists(keyInSnapshot)) {
      err.println(
          "memo-s3: the snapshot holds no master key (its node used --master-key-file):"
              + " give the same --master-key-file");
      return 2;
    }
    Files.createDirectories(data);
    MasterKey.restrictToOwner(data);
    if (o.masterKeyFile == null) {
      Path keys = Files.createDirectories(data.resolve("keys"));
      MasterKey.restrictToOwner(keys);
      copyOwnerOnly(keyInSnapshot, keys.resolve("master.key"));
    }
    Path credentials = snap.resolve(EXTRAS).resolve("credentials");
    if (Files.exists(credentials)) {
      copyOwnerOnly(credentials, data.resolve("credentials"));
    }
    // A temporary lone node on free ports: it must never join a running cluster.
    GridConfig cfg =
        o.gridConfig().withPeers(List.of()).withPorts(LocalPorts.free(), LocalPorts.free());
    String name = snap.getFileName().toString();
    long t0 = System.nanoTime();
    if (!o.json) {
      out.printf("restoring snapshot %s from %s into %s ...%n", name, snap.getParent(), data);
      out.flush();
    }
    try (DataDirectory dir = DataDirectory.open(data)) {
      IgniteGrid.restoreSnapshot(
          cfg,
          dir,
          snap.getParent(),
          name,
          () -> {
            if (!o.json) {
              out.printf(
                  "  %s of %s restored, %d s%n",
                  mib(storedBytes(data)), mib(sizeOf(snap.resolve("db"))), seconds(t0));
              out.flush();
            }
          });
    }
    // Open it as serve will: settings and the master key are checked against the restored grid.
    int buckets;
    try (GridNode node = GridNode.open(cfg, o.masterKeyFile)) {
      buckets = node.buckets().list().size();
    }
    if (o.json) {
      out.printf(
          "{\"snapshot\":%s,\"data\":%s,\"buckets\":%d,\"seconds\":%d}%n",
          AccessCommand.json(name), AccessCommand.json(data.toString()), buckets, seconds(t0));
    } else {
      out.printf(
          "restored snapshot %s into %s in %d s (%d buckets); start it with"
              + " memo-s3 serve --data %s%n",
          name, data, seconds(t0), buckets, data);
    }
    return 0;
  }

  private static void copyOwnerOnly(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    MasterKey.restrictToOwner(to);
  }

  /** Bytes of a data directory's partition, metadata and block files (its WAL left out). */
  private static long storedBytes(Path data) {
    Path db = data.resolve("ignite").resolve("db");
    return sizeOf(db) - sizeOf(db.resolve("wal")) + sizeOf(data.resolve(IgniteGrid.BLOCK_FILES));
  }

  /** Bytes of the regular files under {@code p} (0 when absent; files vanishing are skipped). */
  static long sizeOf(Path p) {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.mapToLong(
              f -> {
                try {
                  return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024));
  }

  private static long seconds(long t0) {
    return (System.nanoTime() - t0) / 1_000_000_000L;
  }
}
