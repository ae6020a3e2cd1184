package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** HttpDate writes what the IMF-fixdate pattern of DateTimeFormatter writes. */
class HttpDateTest {
  private static final DateTimeFormatter PATTERN =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  @Test
  void matchesThePatternFormatterOverFourCenturies() {
    assertThat(HttpDate.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
    assertThat(HttpDate.format(1_795_773_626L)).isEqualTo("Fri, 27 Nov 2026 10:00:26 GMT");
    SplittableRandom r = new SplittableRandom(11);
    long max = Instant.parse("2400-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      long s = r.nextLong(max);
      assertThat(HttpDate.format(s)).isEqualTo(PATTERN.format(Instant.ofEpochSecond(s)));
    }
  }

  @Test
  void nowIsTheCurrentSecond() {
    long before = System.currentTimeMillis() / 1000;
    String now = HttpDate.now();
    long after = System.currentTimeMillis() / 1000;
    assertThat(now).isIn(HttpDate.format(before), HttpDate.format(after));
    assertThat(HttpDate.now()).isIn(HttpDate.format(after), HttpDate.format(after + 1));
  }
}
