package org.memos3.kv.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectData;
import org.memos3.kv.object.ObjectStore;

/**
 * ListObjectsV2 against a sorted-set model of S3's rules, for random key sets and every parameter
 * combination: prefix, delimiter, start-after, max-keys, and paging through continuation markers to
 * the end (every key or common prefix exactly once, in UTF-8 byte order).
 */
class ListingPropertiesTest {
  private static ExecutorService io;

  @BeforeContainer
  static void start() {
    io = Executors.newFixedThreadPool(2);
  }

  @AfterContainer
  static void stop() {
    io.shutdownNow();
  }

  /** Keys from an alphabet with a delimiter, multi-byte and supplementary characters. */
  @Provide
  Arbitrary<Set<String>> keys() {
    return Arbitraries.of("a", "b", "/", " ", "+", "%", "\u00e9", "\uffee", "\ud83d\ude00")
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(l -> String.join("", l))
        .set()
        .ofMaxSize(25);
  }

  @Provide
  Arbitrary<String> fragments() {
    return Arbitraries.of("a", "b", "/", "\u00e9", "\ud83d\ude00")
        .list()
        .ofMaxSize(3)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> delimiters() {
    return Arbitraries.of("", "/", "a", "\u00e9", "b/");
  }

  private static int cmp(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The model: one page of S3's ListObjectsV2 over a sorted key set. */
  static List<String> modelPage(
      TreeSet<String> all, String prefix, String delim, String after, int max, boolean[] trunc) {
    List<String> out = new ArrayList<>();
    String lastPrefix = null;
    trunc[0] = false;
    for (String k : all) {
      if (!k.startsWith(prefix) || (after != null && cmp(k, after) <= 0)) {
        continue;
      }
      String item = k;
      boolean rolled = false;
      if (!delim.isEmpty()) {
        int i = k.indexOf(delim, prefix.length());
        if (i >= 0) {
          item = k.substring(0, i + delim.length());
          if (item.equals(lastPrefix) || (after != null && cmp(item, after) <= 0)) {
            continue;
          }
          lastPrefix = item;
          rolled = true;
        }
      }
      if (out.size() >= max) {
        trunc[0] = true;
        break;
      }
      out.add(rolled ? "P:" + item : "K:" + k);
    }
    return out;
  }

  @Property(tries = 200)
  void pagesMatchTheModel(
      @ForAll("keys") Set<String> keys,
      @ForAll("fragments") String prefix,
      @ForAll("delimiters") String delimiter,
      @ForAll("fragments") String startAfter,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 4) int maxKeys)
      throws Exception {
    InMemoryGrid grid = new InMemoryGrid();
    Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
    ObjectStore store = new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());
    buckets.create("prop", "root");
    TreeSet<String> model = new TreeSet<>(ListingPropertiesTest::cmp);
    for (String k : keys) {
      store.put("prop", k, empty(), Conditions.NONE);
      model.add(k);
    }
    String after = startAfter.isEmpty() ? null : startAfter;
    List<String> seen = new ArrayList<>();
    List<String> expectedAll = new ArrayList<>();
    boolean[] trunc = new boolean[1];
    String marker = after;
    String modelMarker = after;
    for (int page = 0; page < 100; page++) {
      ListPage p = store.list("prop", prefix, delimiter, marker, maxKeys);
      List<String> got = new ArrayList<>();
      // Merge objects and prefixes in byte order, as S3 interleaves them.
      for (ListedObject o : p.objects()) {
        got.add("K:" + o.key());
      }
      for (String c : p.commonPrefixes()) {
        got.add("P:" + c);
      }
      got.sort((x, y) -> cmp(x.substring(2), y.substring(2)));
      List<String> want = modelPage(model, prefix, delimiter, modelMarker, maxKeys, trunc);
      assertThat(got).isEqualTo(want);
      assertThat(p.truncated()).isEqualTo(trunc[0]);
      seen.addAll(got);
      expectedAll.addAll(want);
      if (!p.truncated()) {
        break;
      }
      marker = p.nextMarker();
      modelMarker = want.get(want.size() - 1).substring(2);
      assertThat(marker).isEqualTo(modelMarker);
    }
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).isEqualTo(expectedAll);
  }

  private static ObjectData empty() {
    return new ObjectData() {
      @Override
      public InputStream body() {
        return new ByteArrayInputStream(new byte[0]);
      }

      @Override
      public String etag() {
        return "d41d8cd98f00b204e9800998ecf8427e";
      }

      @Override
      public Optional<Map.Entry<String, String>> checksum() {
        return Optional.empty();
      }

      @Override
      public Map<String, String> headers() {
        return Map.of();
      }

      @Override
      public Map<String, String> userMetadata() {
        return Map.of();
      }
    };
  }
}
