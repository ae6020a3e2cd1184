package org.memos3.kv.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.memos3.grid.GridException;

/** Bucket records from random bytes: only CORRUPT_BLOCK. */
class BucketDecodeHostileTest {
  @Property(tries = 1000)
  void randomBytes(@ForAll @Size(max = 200) byte[] raw) {
    try {
      Bucket.decode(raw);
    } catch (GridException e) {
      assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK);
    }
  }
}
