package org.memos3.grid.ignite;

import java.io.File;
import java.io.IOException;
import java.nio.file.OpenOption;
import org.apache.ignite.internal.processors.cache.persistence.file.AsyncFileIOFactory;
import org.apache.ignite.internal.processors.cache.persistence.file.FileIO;
import org.apache.ignite.internal.processors.cache.persistence.file.FileIOFactory;
import org.apache.ignite.internal.processors.cache.persistence.file.RandomAccessFileIOFactory;

/**
 * Partition and index files ({@code *.bin}) through a plain {@code FileChannel}: a page read or a
 * checkpoint write runs in the thread that needs it, instead of being handed to Ignite's default
 * asynchronous channel and its thread pool. Measured with {@code bench/run} on the 1 GiB object
 * that does not fit the data region: GET 497-529 instead of 357-395 MiB/s and 2.8-3.0 instead of
 * 3.7-4.1 core-s per GiB; 256 MiB PUTs 15.4-15.8 instead of 18.2-20.7 core-s per GiB; small objects
 * unchanged. Ignite's page store reopens a channel that an interrupt closed and retries.
 *
 * <p>Everything else, the WAL above all, keeps the asynchronous channel: in FSYNC mode the
 * committing thread writes the WAL itself, and an interrupt closing a plain channel mid-write would
 * be a critical failure of the node.
 */
final class StoreFileIOFactory implements FileIOFactory {
  private static final long serialVersionUID = 1L;

  private final FileIOFactory pages = new RandomAccessFileIOFactory();
  private final FileIOFactory others = new AsyncFileIOFactory();

  @Override
  public FileIO create(File file, OpenOption... modes) throws IOException {
    return (file.getName().endsWith(".bin") ? pages : others).create(file, modes);
  }
}
