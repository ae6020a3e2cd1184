package org.memos3.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one target, one per line: {@code key TAB label TAB unit TAB higher|lower TAB
 * value}. Written as they are measured (so a run that dies still leaves what it measured).
 */
final class Results {
  record Line(String key, String label, String unit, boolean higherIsBetter, double value) {}

  private final Path file;
  final List<Line> lines = new ArrayList<>();

  Results(Path file) {
    this.file = file;
  }

  void add(String key, String label, String unit, boolean higherIsBetter, double value) {
    Line l = new Line(key, label, unit, higherIsBetter, value);
    lines.add(l);
    System.out.printf(Locale.ROOT, "  %-44s %14.2f %s%n", label, value, unit);
    if (file != null) {
      String row =
          String.join(
                  "\t",
                  key,
                  label,
                  unit,
                  higherIsBetter ? "higher" : "lower",
                  String.format(Locale.ROOT, "%.4f", value))
              + "\n";
      try {
        Files.writeString(
            file,
            row,
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static List<Line> read(Path file) throws IOException {
    List<Line> out = new ArrayList<>();
    for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (s.isBlank()) {
        continue;
      }
      String[] f = s.split("\t");
      out.add(new Line(f[0], f[1], f[2], f[3].equals("higher"), Double.parseDouble(f[4])));
    }
    return out;
  }
}
