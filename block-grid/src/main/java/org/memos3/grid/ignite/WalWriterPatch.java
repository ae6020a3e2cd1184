package org.memos3.grid.ignite;

import java.security.CodeSource;
import java.util.List;
import org.apache.ignite.internal.IgniteVersionUtils;
import org.apache.ignite.internal.processors.cache.persistence.wal.filehandle.FileHandleManagerImpl;
import org.slf4j.LoggerFactory;

/**
 * memo-s3 carries patched copies of three Ignite WAL classes (see the notes at the top of each):
 * its {@link FileHandleManagerImpl} (the writer of the {@code LOG_ONLY} WAL: a writer thread that
 * parks instead of spinning, and a memory-mapped commit that waits for every earlier record) and
 * {@code FsyncFileWriteHandle} and {@code FsyncFileHandleManagerImpl} (the {@code FSYNC} WAL, whose
 * commit could return before its record was written). The copies in this module replace Ignite's
 * only when this module's classes come before ignite-core on the class path, as in the runnable
 * jar's manifest.
 */
public final class WalWriterPatch {
  /** The Ignite release the patched files were copied from. */
  static final String IGNITE_VERSION = "2.17.0";

  private static final String PACKAGE =
      "org.apache.ignite.internal.processors.cache.persistence.wal.filehandle.";

  /** The patched {@code FSYNC} WAL classes (the handle is package-private in Ignite). */
  static final List<String> FSYNC_CLASSES =
      List.of(PACKAGE + "FsyncFileWriteHandle", PACKAGE + "FsyncFileHandleManagerImpl");

  private WalWriterPatch() {}

  /** True when the loaded WAL classes are the patched copies of this module. */
  public static boolean active() {
    CodeSource ours = WalWriterPatch.class.getProtectionDomain().getCodeSource();
    return ours != null
        && IGNITE_VERSION.equals(IgniteVersionUtils.VER_STR)
        && ours.getLocation().equals(location(FileHandleManagerImpl.class))
        && FSYNC_CLASSES.stream().allMatch(c -> ours.getLocation().equals(location(load(c))));
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, WalWriterPatch.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static java.net.URL location(Class<?> c) {
    CodeSource s = c == null ? null : c.getProtectionDomain().getCodeSource();
    return s == null ? null : s.getLocation();
  }

  /**
   * Logs a warning when Ignite's own WAL classes are in use (class path order, or another Ignite).
   */
  static void check() {
    if (!active()) {
      LoggerFactory.getLogger(WalWriterPatch.class)
          .warn(
              "Ignite's unpatched WAL classes are in use (Ignite {}, expected {} with memo-s3's"
                  + " block-grid jar before ignite-core on the class path): the log-only WAL is"
                  + " safe but its writer thread spins, costing CPU, and the fsync WAL can"
                  + " acknowledge an update before its record is written",
              IgniteVersionUtils.VER_STR,
              IGNITE_VERSION);
    }
  }
}
