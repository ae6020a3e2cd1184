package org.memos3.frontend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import org.memos3.frontend.GridNode;
import org.memos3.kv.KvConfig;
import org.memos3.kv.gc.GarbageCollector;

/** {@code memo-s3 gc status|run}: garbage collection on the data directory of a stopped node. */
final class GcCommand {
  private GcCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length == 0 || !(args[0].equals("status") || args[0].equals("run"))) {
      err.println("memo-s3: usage: memo-s3 gc status|run [--data DIR] [--json]");
      return 2;
    }
    ServeOptions o = ServeOptions.parse(Arrays.copyOfRange(args, 1, args.length));
    try (GridNode node = GridNode.openExisting(o.gridConfig(), o.masterKeyFile)) {
      GarbageCollector gc =
          new GarbageCollector(node.grid(), node.buckets(), Clock.systemUTC(), KvConfig.defaults());
      if (args[0].equals("run")) {
        if (!o.json) {
          out.println("reaping retired versions whose grace period is over ...");
        }
        GarbageCollector.Report reaped =
            gc.reap(o.json ? GarbageCollector.Progress.NONE : every(out));
        if (!o.json) {
          out.printf(
              "  reaped %d manifests, %d blocks, %d bytes%n",
              reaped.manifests(), reaped.blocks(), reaped.bytes());
          out.println("sweeping unreferenced blocks ...");
        }
        GarbageCollector.Report swept =
            gc.sweep(o.json ? GarbageCollector.Progress.NONE : every(out));
        if (!o.json) {
          out.printf(
              "  freed %d blocks unreferenced for longer than the sweep grace%n", swept.blocks());
        }
      }
      GarbageCollector.Status s = gc.status();
      if (o.json) {
        out.printf(
            "{\"pendingManifests\":%d,\"pendingBytes\":%d,\"dueManifests\":%d,\"suspects\":%d,"
                + "\"reclaimedBlocks\":%d,\"reclaimedBytes\":%d,\"storedBlocks\":%d}%n",
            s.pendingManifests(),
            s.pendingBytes(),
            s.dueManifests(),
            s.suspects(),
            s.reclaimedBlocks(),
            s.reclaimedBytes(),
            s.storedBlocks());
      } else {
        out.printf(
            "gc status%n  pending:   %d retired versions, %d bytes (%d past their grace period)%n"
                + "  suspects:  %d unreferenced blocks waiting for the sweep grace%n"
                + "  reclaimed: %d blocks, %d bytes so far%n  stored:    %d blocks%n",
            s.pendingManifests(),
            s.pendingBytes(),
            s.dueManifests(),
            s.suspects(),
            s.reclaimedBlocks(),
            s.reclaimedBytes(),
            s.storedBlocks());
      }
      return 0;
    }
  }

  /** Progress lines at most once a second (a GC pass over a big store takes minutes). */
  private static GarbageCollector.Progress every(PrintStream out) {
    long t0 = System.nanoTime();
    long[] next = {t0 + 1_000_000_000L};
    return (phase, done) -> {
      long now = System.nanoTime();
      if (now >= next[0]) {
        next[0] = now + 1_000_000_000L;
        out.printf("  ... %,d %s (%d s)%n", done, phase, (now - t0) / 1_000_000_000L);
        out.flush();
      }
    };
  }
}
