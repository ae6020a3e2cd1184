package org.memos3.kv;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memos3.grid.GridException;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.gc.GcEntry;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.object.ObjectHead;

/**
 * The decoders of heads, manifests and GC entries, fed random plaintext that decrypts fine (as if
 * the key were known to an attacker or a bug wrote garbage): only CORRUPT_BLOCK, never another
 * exception or a huge allocation.
 */
class RecordDecodersHostileTest {
  private static final byte[] KEY = Aead.newKey();

  @Provide
  Arbitrary<byte[]> plain() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(
                b -> {
                  if (b.length > 0) {
                    b[0] = (byte) (b.length % 2 == 0 ? 1 : 2);
                  }
                  return b;
                }));
  }

  private static void onlyCorrupt(Runnable r) {
    try {
      r.run();
    } catch (GridException e) {
      assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK);
    }
  }

  @Property(tries = 1000)
  void headsManifestsAndGcEntries(@ForAll("plain") byte[] plain) {
    byte[] key = "k".getBytes();
    onlyCorrupt(
        () -> ObjectHead.open(Aead.seal(KEY, Aead.aad("head", key, 1), plain), KEY, 1, key));
    byte[] writeId = new byte[16];
    onlyCorrupt(
        () ->
            Manifest.open(
                Aead.seal(KEY, Aead.aad("manifest", writeId, 1), plain), KEY, 1, writeId));
    onlyCorrupt(() -> GcEntry.decode(new byte[24], plain));
  }
}
