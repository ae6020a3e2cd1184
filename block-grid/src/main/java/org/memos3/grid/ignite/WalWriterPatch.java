package org.memos3.grid.ignite;

import java.security.CodeSource;
import org.apache.ignite.internal.IgniteVersionUtils;
import org.apache.ignite.internal.processors.cache.persistence.wal.filehandle.FileHandleManagerImpl;
import org.slf4j.LoggerFactory;

/**
 * memo-s3 carries a patched copy of Ignite's {@link FileHandleManagerImpl}, whose WAL writer thread
 * spun instead of parking while the committers it had released were waiting for a core (see the
 * note at the top of that file). The copy in this module replaces Ignite's only when this module's
 * classes come before ignite-core on the class path, as in the runnable jar's manifest.
 */
public final class WalWriterPatch {
  /** The Ignite release the patched file was copied from. */
  static final String IGNITE_VERSION = "2.17.0";

  private WalWriterPatch() {}

  /** True when the loaded {@link FileHandleManagerImpl} is the patched copy of this module. */
  public static boolean active() {
    CodeSource ours = WalWriterPatch.class.getProtectionDomain().getCodeSource();
    CodeSource loaded = FileHandleManagerImpl.class.getProtectionDomain().getCodeSource();
    return ours != null
        && loaded != null
        && ours.getLocation().equals(loaded.getLocation())
        && IGNITE_VERSION.equals(IgniteVersionUtils.VER_STR);
  }

  /** Logs a warning when Ignite's own writer is in use (class path order, or another Ignite). */
  static void check() {
    if (!active()) {
      LoggerFactory.getLogger(WalWriterPatch.class)
          .warn(
              "Ignite's unpatched WAL writer is in use (Ignite {}, expected {} with memo-s3's"
                  + " block-grid jar before ignite-core on the class path): writes are safe but"
                  + " its writer thread spins, costing CPU",
              IgniteVersionUtils.VER_STR,
              IGNITE_VERSION);
    }
  }
}
