package org.memos3.kv.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;

class AddressFilterTest {
  private static List<BlockAddress> addresses(int n, int from) {
    List<BlockAddress> out = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      out.add(BlockAddress.of(BlockType.CHUNK, ByteBuffer.allocate(4).putInt(i).array()));
    }
    return out;
  }

  @Test
  void holdsEveryAddressAddedAndFewOthers() {
    List<BlockAddress> in = addresses(100_000, 0);
    AddressFilter f = new AddressFilter(in.size(), 42);
    in.forEach(f::add);
    for (BlockAddress a : in) {
      assertThat(f.mightContain(a)).isTrue();
    }
    long falsePositives = addresses(100_000, 100_000).stream().filter(f::mightContain).count();
    // 10 bits and 7 probes per address: about 0.8% expected.
    assertThat(falsePositives).isLessThan(2_000);
    assertThat(f.bytes()).isLessThan(130_000);
  }

  @Test
  void anotherSeedHasOtherFalsePositives() {
    List<BlockAddress> in = addresses(50_000, 0);
    AddressFilter a = new AddressFilter(in.size(), 1);
    AddressFilter b = new AddressFilter(in.size(), 2);
    in.forEach(
        x -> {
          a.add(x);
          b.add(x);
        });
    long both =
        addresses(100_000, 50_000).stream()
            .filter(x -> a.mightContain(x) && b.mightContain(x))
            .count();
    // Independent filters: a garbage block survives two sweeps with about 0.01% probability.
    assertThat(both).isLessThan(100);
  }

  @Test
  void anEmptyStoreStillGetsAFilter() {
    AddressFilter f = new AddressFilter(0, 7);
    assertThat(f.mightContain(addresses(1, 0).get(0))).isFalse();
  }
}
