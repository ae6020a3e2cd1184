package org.memos3.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the per-target result files of one run into one table: every line with memo-s3, s3proxy,
 * their ratio, and memo-s3 against the ceilings (memo-s3 over an in-memory grid, the raw disk).
 * Prints it as Markdown and writes PREFIX.md, PREFIX.csv and PREFIX.json.
 *
 * <p>Options: {@code --dir DIR} (holding memo-s3.tsv, s3proxy.tsv, memo-s3-mem.tsv, disk.tsv; a
 * missing file is an empty column), {@code --prefix PATH}, {@code --meta FILE} (key=value lines:
 * date, machine, WAL mode, versions, dataset; copied into the JSON and above the table).
 */
final class Report {
  private static final String[] TARGETS = {"memo-s3", "s3proxy", "memo-s3-mem", "disk"};

  private Report() {}

  private record Row(String key, String label, String unit, boolean higher) {}

  static void main(Args a) throws IOException {
    Path dir = Path.of(a.require("dir"));
    Path prefix = Path.of(a.require("prefix"));
    Map<String, String> meta = new LinkedHashMap<>();
    if (a.options.containsKey("meta")) {
      for (String l : Files.readAllLines(Path.of(a.get("meta", "")), StandardCharsets.UTF_8)) {
        int eq = l.indexOf('=');
        if (eq > 0) {
          meta.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    Map<String, Map<String, Double>> values = new LinkedHashMap<>();
    for (String t : TARGETS) {
      Path f = dir.resolve(t + ".tsv");
      Map<String, Double> v = new LinkedHashMap<>();
      values.put(t, v);
      if (!Files.exists(f)) {
        continue;
      }
      for (Results.Line l : Results.read(f)) {
        v.put(l.key(), l.value());
        if (rows.stream().noneMatch(r -> r.key().equals(l.key()))) {
          Row r = new Row(l.key(), l.label(), l.unit(), l.higherIsBetter());
          rows.add(insertAt(rows, l.key()), r);
        }
      }
    }

    String[] head = {
      "line",
      "unit",
      "better",
      "memo-s3",
      "s3proxy",
      "memo-s3 / s3proxy",
      "memo-s3 in-memory",
      "memo-s3 / in-memory",
      "raw disk",
      "memo-s3 / disk"
    };
    List<String[]> table = new ArrayList<>();
    for (Row r : rows) {
      Double m = values.get("memo-s3").get(r.key());
      Double p = values.get("s3proxy").get(r.key());
      Double mem = values.get("memo-s3-mem").get(r.key());
      Double d = values.get("disk").get(r.key());
      table.add(
          new String[] {
            r.label(),
            r.unit(),
            r.higher() ? "higher" : "lower",
            num(m),
            num(p),
            ratio(m, p),
            num(mem),
            ratio(m, mem),
            num(d),
            ratio(m, d)
          });
    }

    StringBuilder md = new StringBuilder();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    md.append('\n');
    md.append("| ").append(String.join(" | ", head)).append(" |\n");
    md.append("|---|---|---|").append("---:|".repeat(head.length - 3)).append('\n');
    for (String[] r : table) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.print(md);
    Files.writeString(Path.of(prefix + ".md"), md, StandardCharsets.UTF_8);

    StringBuilder csv = new StringBuilder();
    csv.append(
        "key,line,unit,better,memo_s3,s3proxy,memo_s3_over_s3proxy,memo_s3_in_memory,"
            + "memo_s3_over_in_memory,raw_disk,memo_s3_over_disk\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String[] t = table.get(i);
      csv.append(r.key()).append(',').append(csvCell(t[0]));
      for (int c = 1; c < t.length; c++) {
        csv.append(',').append(t[c].equals("-") ? "" : t[c].replace("x", ""));
      }
      csv.append('\n');
    }
    Files.writeString(Path.of(prefix + ".csv"), csv, StandardCharsets.UTF_8);

    StringBuilder js = new StringBuilder("{\n  \"meta\": {");
    boolean first = true;
    for (Map.Entry<String, String> e : meta.entrySet()) {
      js.append(first ? "\n" : ",\n")
          .append("    ")
          .append(q(e.getKey()))
          .append(": ")
          .append(q(e.getValue()));
      first = false;
    }
    js.append("\n  },\n  \"rows\": [");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      js.append(i == 0 ? "\n" : ",\n")
          .append("    {\"key\": ")
          .append(q(r.key()))
          .append(", \"line\": ")
          .append(q(r.label()))
          .append(", \"unit\": ")
          .append(q(r.unit()))
          .append(", \"higherIsBetter\": ")
          .append(r.higher())
          .append(", \"values\": {");
      boolean f2 = true;
      for (String t : TARGETS) {
        Double v = values.get(t).get(r.key());
        if (v != null && !v.isNaN()) {
          js.append(f2 ? "" : ", ").append(q(t)).append(": ").append(fmt(v, 4));
          f2 = false;
        }
      }
      js.append("}, \"ratios\": {");
      f2 = true;
      Double m = values.get("memo-s3").get(r.key());
      for (String t : new String[] {"s3proxy", "memo-s3-mem", "disk"}) {
        Double v = values.get(t).get(r.key());
        if (m != null && v != null && v > 0 && !m.isNaN() && !v.isNaN()) {
          js.append(f2 ? "" : ", ").append(q("memo-s3/" + t)).append(": ").append(fmt(m / v, 4));
          f2 = false;
        }
      }
      js.append("}}");
    }
    js.append("\n  ]\n}\n");
    Files.writeString(Path.of(prefix + ".json"), js, StandardCharsets.UTF_8);
  }

  /**
   * Where a line first seen in a later target goes: a disk-only page-cache read right after the GET
   * of the same size, anything else at the end.
   */
  private static int insertAt(List<Row> rows, String key) {
    String sibling = key.replace("-cached", "");
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).key().equals(sibling)) {
        return i + 1;
      }
    }
    return rows.size();
  }

  private static String num(Double v) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    double a = Math.abs(v);
    return fmt(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
  }

  private static String ratio(Double a, Double b) {
    if (a == null || b == null || a.isNaN() || b.isNaN() || b == 0) {
      return "-";
    }
    return fmt(a / b, 2) + "x";
  }

  private static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String csvCell(String s) {
    return s.contains(",") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
