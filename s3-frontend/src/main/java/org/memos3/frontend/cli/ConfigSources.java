package org.memos3.frontend.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.Gateway;
import org.memos3.frontend.cli.ServeOptions.UsageException;

/**
 * Where the options of {@code serve} (and of the commands that share them) come from: the command
 * line, then {@code MEMO_S3_<KEY>} environment variables, then a {@code key = value} config file
 * ({@code --config FILE} or {@code MEMO_S3_CONFIG}), then the defaults. A key set by a source
 * replaces it entirely in the sources below it (also for the repeatable {@code domain}). Every
 * value is checked by the same parser as the command line, and a bad one fails with one line naming
 * the key and its source.
 */
final class ConfigSources {
  static final String CONFIG_ENV = "MEMO_S3_CONFIG";

  /** Keys in the order they are shown; keys added to ServeOptions later are appended. */
  private static final List<String> ORDER =
      List.of(
          "listen",
          "admin-listen",
          "data",
          "region",
          "domain",
          "tls-cert",
          "tls-key",
          "master-key-file",
          "grid-host",
          "discovery-port",
          "communication-port",
          "peers",
          "grid-tls-cert",
          "grid-tls-key",
          "grid-tls-ca",
          "backups",
          "wal-mode",
          "data-region-mib",
          "wal-segment-mib",
          "wal-segments",
          "wal-archive-mib",
          "checkpoint-frequency-ms",
          "page-size",
          "partitions",
          "baseline-auto-adjust-ms",
          "direct-io");

  /** Options that make no sense in a file or the environment. */
  private static final Set<String> NOT_CONFIG = Set.of("new-master-key-file");

  /** The value of a key and where it came from. */
  record Entry(String key, List<String> values, String source) {}

  /** The effective options, and the source of every key that is not a default. */
  record Resolved(ServeOptions options, Map<String, Entry> given, Path configFile) {}

  private ConfigSources() {}

  /** Every config key (long option names without the dashes). */
  static List<String> keys() {
    Set<String> all = new LinkedHashSet<>();
    for (String k : ORDER) {
      if (ServeOptions.KNOWN.contains("--" + k)) {
        all.add(k);
      }
    }
    ServeOptions.KNOWN.stream()
        .map(o -> o.substring(2))
        .filter(k -> !NOT_CONFIG.contains(k))
        .sorted()
        .forEach(all::add);
    return List.copyOf(all);
  }

  static String envName(String key) {
    return "MEMO_S3_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * Resolves the options of a command line (its {@code --config} included) with the environment.
   *
   * @throws UsageException with one line for the user
   */
  static Resolved resolve(String[] args, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    String configArg = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config")) {
        if (i + 1 >= args.length) {
          throw new UsageException("--config needs a value");
        }
        configArg = args[++i];
      } else if (a.startsWith("--config=")) {
        configArg = a.substring("--config=".length());
      } else {
        cmd.add(a);
      }
    }
    // The command line alone must parse (its own messages name the option).
    ServeOptions.parse(cmd.toArray(String[]::new));
    Map<String, Entry> given = new LinkedHashMap<>();
    Set<String> onCommandLine = commandLineKeys(cmd);
    for (String k : onCommandLine) {
      given.put(k, new Entry(k, List.of(), "command line"));
    }
    Map<String, Entry> fromEnv = new LinkedHashMap<>();
    for (String k : keys()) {
      String v = env.get(envName(k));
      if (v != null && !v.isBlank()) {
        String source = "environment " + envName(k);
        List<String> values = k.equals("domain") ? splitList(v) : List.of(v.trim());
        for (String one : values) {
          check(k, one, source);
        }
        fromEnv.put(k, new Entry(k, values, source));
      }
    }
    Path configFile = null;
    Map<String, Entry> fromFile = Map.of();
    String configPath = configArg != null ? configArg : env.get(CONFIG_ENV);
    if (configPath != null && !configPath.isBlank()) {
      configFile = Path.of(configPath.trim());
      fromFile = readFile(configFile);
    }
    List<String> merged = new ArrayList<>();
    for (Map<String, Entry> source : List.of(fromFile, fromEnv)) {
      for (Entry e : source.values()) {
        if (onCommandLine.contains(e.key())
            || (source == fromFile && fromEnv.containsKey(e.key()))) {
          continue;
        }
        for (String v : e.values()) {
          merged.add("--" + e.key() + "=" + v);
        }
        given.put(e.key(), e);
      }
    }
    merged.addAll(cmd);
    ServeOptions options = ServeOptions.parse(merged.toArray(String[]::new));
    Map<String, String> sources = new LinkedHashMap<>();
    given.forEach((k, e) -> sources.put(k, e.source()));
    options.checkTogether(sources);
    return new Resolved(options, given, configFile);
  }

  private static Set<String> commandLineKeys(List<String> cmd) {
    Set<String> keys = new LinkedHashSet<>();
    for (String a : cmd) {
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String opt = eq > 0 ? a.substring(0, eq) : a;
        if (ServeOptions.KNOWN.contains(opt)) {
          keys.add(opt.substring(2));
        }
      }
    }
    return keys;
  }

  /** Reads a {@code key = value} file: {@code #} comments, blank lines; domain may repeat. */
  static Map<String, Entry> readFile(Path file) {
    String source = "config file " + file;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(source + ": cannot read it (" + e + ")");
    }
    Set<String> known = Set.copyOf(keys());
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(source + ": line " + (n + 1) + " is not key = value: " + line);
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (!known.contains(key)) {
        throw new UsageException(
            source + ": unknown key " + key + " (line " + (n + 1) + "; see memo-s3 serve --help)");
      }
      List<String> vs = key.equals("domain") ? splitList(value) : List.of(value);
      for (String v : vs) {
        check(key, v, source);
      }
      if (key.equals("domain")) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).addAll(vs);
      } else {
        values.put(key, vs);
      }
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, new Entry(k, List.copyOf(v), source)));
    return out;
  }

  private static List<String> splitList(String v) {
    List<String> out = new ArrayList<>();
    for (String p : v.split(",")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return out;
  }

  /** Checks one value with the command-line parser; its message, prefixed with the source. */
  private static void check(String key, String value, String source) {
    if (value.isEmpty()) {
      throw new UsageException(source + ": " + key + " needs a value");
    }
    try {
      ServeOptions.parse(new String[] {"--" + key + "=" + value});
    } catch (UsageException e) {
      String m = e.getMessage();
      throw new UsageException(source + ": " + (m.startsWith("--") ? m.substring(2) : m));
    }
  }

  /** The effective value of a key, as a config file would spell it ("" for none). */
  static String value(ServeOptions o, String key) {
    return switch (key) {
      case "listen" -> o.listenHost + ":" + o.listenPort;
      case "admin-listen" -> {
        Gateway.AdminListen a = o.adminListen();
        yield a == null ? "off" : a.host() + ":" + a.port();
      }
      case "data" -> o.data.toString();
      case "region" -> o.region;
      case "domain" -> String.join(",", o.domains);
      case "tls-cert" -> o.tlsCert == null ? "" : o.tlsCert.toString();
      case "tls-key" -> o.tlsKey == null ? "" : o.tlsKey.toString();
      case "master-key-file" ->
          o.masterKeyFile != null
              ? o.masterKeyFile.toString()
              : o.data.resolve("keys").resolve("master.key").toString();
      case "grid-host" -> o.gridConfig().host();
      case "discovery-port" -> Integer.toString(o.discoveryPort);
      case "communication-port" -> Integer.toString(o.communicationPort);
      case "peers" -> String.join(",", o.peers);
      case "grid-tls-cert" -> o.gridTlsCert == null ? "" : o.gridTlsCert.toString();
      case "grid-tls-key" -> o.gridTlsKey == null ? "" : o.gridTlsKey.toString();
      case "grid-tls-ca" -> o.gridTlsCa == null ? "" : o.gridTlsCa.toString();
      case "backups" -> Integer.toString(o.backups);
      case "wal-mode" -> o.walMode.name().toLowerCase(Locale.ROOT).replace('_', '-');
      case "data-region-mib" -> Long.toString(o.dataRegionMib);
      case "wal-segment-mib" -> Integer.toString(o.walSegmentMib);
      case "wal-segments" -> Integer.toString(o.walSegments);
      case "wal-archive-mib" -> Integer.toString(o.walArchiveMib);
      case "checkpoint-frequency-ms" -> Long.toString(o.checkpointMillis);
      case "page-size" -> Integer.toString(o.pageSize);
      case "partitions" -> Integer.toString(o.partitions);
      case "baseline-auto-adjust-ms" -> Long.toString(o.baselineAdjustMillis);
      case "direct-io" -> o.directIo ? "on" : "off";
      default -> "?";
    };
  }
}
