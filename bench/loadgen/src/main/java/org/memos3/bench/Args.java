package org.memos3.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options plus positional arguments. */
final class Args {
  final Map<String, String> options = new HashMap<>();
  final List<String> positional = new ArrayList<>();

  Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String k = args[i].substring(2);
        int eq = k.indexOf('=');
        if (eq >= 0) {
          options.put(k.substring(0, eq), k.substring(eq + 1));
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          options.put(k, args[++i]);
        } else {
          options.put(k, "true");
        }
      } else {
        positional.add(args[i]);
      }
    }
  }

  String get(String k, String def) {
    return options.getOrDefault(k, def);
  }

  String require(String k) {
    String v = options.get(k);
    if (v == null) {
      throw new IllegalArgumentException("--" + k + " is required");
    }
    return v;
  }

  int integer(String k, int def) {
    return Integer.parseInt(get(k, Integer.toString(def)));
  }

  long[] longs(String k, String def) {
    String[] f = get(k, def).split(",");
    long[] out = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Long.parseLong(f[i].trim());
    }
    return out;
  }
}
