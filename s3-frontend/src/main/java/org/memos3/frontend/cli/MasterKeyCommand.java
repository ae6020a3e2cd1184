package org.memos3.frontend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Arrays;
import org.memos3.frontend.GridNode;
import org.memos3.grid.block.Table;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.kv.KvConfig;
import org.memos3.kv.gc.GarbageCollector;

/**
 * {@code memo-s3 master-key rotate}: rewraps every bucket key (and the bucket keys carried by GC
 * entries) with a new master key, then switches the key check. Object data, manifests and heads are
 * sealed under bucket and data keys and are not rewritten. Crash-safe: the new key is written to
 * {@code master.key.next} first, nodes accept either key while it exists, and rerunning the command
 * finishes an interrupted rotation.
 */
final class MasterKeyCommand {
  private MasterKeyCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length == 0 || !args[0].equals("rotate")) {
      err.println(
          "memo-s3: usage: memo-s3 master-key rotate [--data DIR]"
              + " [--master-key-file OLD --new-master-key-file NEW]");
      return 2;
    }
    ServeOptions o = ServeOptions.parse(Arrays.copyOfRange(args, 1, args.length));
    if (o.masterKeyFile != null && o.newMasterKeyFile == null) {
      err.println(
          "memo-s3: the master key is supplied by --master-key-file: give the new one with"
              + " --new-master-key-file");
      return 2;
    }
    Path nextFile;
    try (GridNode node = GridNode.openExisting(o.gridConfig(), o.masterKeyFile)) {
      nextFile =
          o.newMasterKeyFile != null
              ? o.newMasterKeyFile
              : MasterKey.nextKeyFile(node.masterKeyFile());
      MasterKey next =
          Files.exists(nextFile)
              ? MasterKey.loadOrCreate(nextFile, false)
              : MasterKey.generate(nextFile);
      MasterKey rotation = node.master().rotatingTo(next);
      out.println("rewrapping bucket keys ...");
      int buckets = node.buckets().rewrapAll(rotation);
      out.printf("  %d buckets done%n", buckets);
      out.println("rewrapping access key secrets ...");
      out.printf("  %d keys done%n", node.users().rewrapSecrets(rotation));
      out.println("rewrapping the bucket keys of pending garbage collection ...");
      int entries =
          new GarbageCollector(node.grid(), node.buckets(), Clock.systemUTC(), KvConfig.defaults())
              .rewrapKeys(rotation);
      out.printf("  %d entries done%n", entries);
      rotation.writeCheck(node.grid().table(Table.META));
      out.println("key check switched to the new master key");
      if (o.newMasterKeyFile == null) {
        Files.move(
            nextFile,
            node.masterKeyFile(),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        out.println("new master key in " + node.masterKeyFile() + "; the old key is gone");
      } else {
        out.println(
            "done: start every node with --master-key-file "
                + o.newMasterKeyFile
                + " from now on, and destroy the old key file");
      }
    }
    return 0;
  }
}
