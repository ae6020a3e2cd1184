package org.memos3.frontend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.frontend.GridNode;
import org.memos3.kv.gc.Scrubber;

/**
 * {@code memo-s3 scrub [--data DIR] [--json]}: on the data directory of a stopped node, checks
 * every block against its address and every object's manifests for missing or corrupt blocks. Exit
 * status 0 when clean, 3 when damage was found.
 */
final class ScrubCommand {
  static final long PROGRESS_EVERY = 10_000;

  private ScrubCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    ServeOptions o = ConfigSources.resolve(args, env).options();
    try (GridNode node = GridNode.openExisting(o.gridConfig(), o.masterKeyFile)) {
      Scrubber.Report r =
          new Scrubber(node.grid(), node.buckets())
              .run(
                  (done, total) -> {
                    if (!o.json) {
                      out.printf("  checked %d of %d blocks%n", done, total);
                      out.flush();
                    }
                  },
                  PROGRESS_EVERY);
      if (o.json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clean", r.clean());
        m.put("blocksChecked", r.blocksChecked());
        m.put("objectsChecked", r.objectsChecked());
        m.put("corruptBlocks", r.corruptBlocks());
        m.put("problems", r.problems());
        out.println(new ObjectMapper().writeValueAsString(m));
      } else {
        out.printf(
            "scrub: %d blocks checked, %d corrupt; %d versions and parts walked, %d problems%n",
            r.blocksChecked(), r.corruptBlocks().size(), r.objectsChecked(), r.problems().size());
        for (String a : r.corruptBlocks()) {
          out.println("  CORRUPT block " + a);
        }
        for (Scrubber.Problem p : r.problems()) {
          out.printf(
              "  %s %s block %s of bucket %s key %s version %s%n",
              p.kind(), p.detail(), p.address(), p.bucket(), p.key(), p.versionId());
        }
        out.println(r.clean() ? "scrub: no damage found" : "scrub: DAMAGE FOUND");
      }
      return r.clean() ? 0 : 3;
    }
  }
}
