package org.memos3.frontend.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code memo-s3 config show [serve options] [--config FILE]}: the effective configuration, every
 * key with its value and where it came from, as a config file would spell it. Secrets are never
 * printed (the root secret key shows as {@code ***}).
 */
final class ConfigCommand {
  private ConfigCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    if (args.length == 0 || !args[0].equals("show")) {
      err.println("memo-s3: usage: memo-s3 config show [serve options] [--config FILE]");
      return 2;
    }
    ConfigSources.Resolved r = ConfigSources.resolve(Arrays.copyOfRange(args, 1, args.length), env);
    ServeOptions o = r.options();
    out.println("# effective configuration of memo-s3 serve (value  # source)");
    if (r.configFile() != null) {
      out.println("# config file: " + r.configFile().toAbsolutePath());
    }
    for (String key : ConfigSources.keys()) {
      ConfigSources.Entry e = r.given().get(key);
      String value = ConfigSources.value(o, key);
      if (value.equals("?") && e != null) {
        value = String.join(",", e.values());
      }
      out.printf("%-24s = %-32s # %s%n", key, value, e == null ? "default" : e.source());
    }
    String ak = env.get("MEMO_S3_ACCESS_KEY_ID");
    String sk = env.get("MEMO_S3_SECRET_ACCESS_KEY");
    boolean fromEnv = ak != null && !ak.isBlank() && sk != null && !sk.isBlank();
    var credFile = o.data.resolve("credentials");
    String credSource =
        fromEnv
            ? "environment MEMO_S3_ACCESS_KEY_ID / MEMO_S3_SECRET_ACCESS_KEY"
            : Files.exists(credFile)
                ? credFile.toString()
                : "generated at first start into " + credFile;
    out.printf(
        "%-24s = %-32s # %s%n",
        "access-key-id", fromEnv ? ak.trim() : "(in " + credFile + ")", credSource);
    out.printf("%-24s = %-32s # %s%n", "secret-access-key", "***", credSource);
    return 0;
  }
}
