package org.memos3.frontend.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.memos3.frontend.GridNode;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Permission;
import org.memos3.kv.user.AccessKey;
import org.memos3.kv.user.User;
import org.memos3.kv.user.UserKey;
import org.memos3.kv.user.Users;

/**
 * {@code memo-s3 user|key|bucket ...}: users, access keys and bucket permissions. On the data
 * directory of a stopped node the command opens the grid itself (as {@code gc} does); while a node
 * runs on it, the command joins that node's grid as an Ignite client and changes the same records
 * through it (see {@link GridNode#openOrJoin}). Takes {@code --data}, the grid options, {@code
 * --master-key-file}, {@code --config} and {@code --json} like {@code serve} (and its environment
 * variables); positional arguments may come before or after the options.
 */
final class AccessCommand {
  static final String USAGE =
      """
      usage: memo-s3 user create|delete NAME [options]
             memo-s3 user list [options]
             memo-s3 key create|list USER [options]
             memo-s3 key revoke ACCESS_KEY_ID [options]
             memo-s3 bucket allow BUCKET USER read|write|owner [options]
             memo-s3 bucket deny BUCKET USER [options]
             memo-s3 bucket public BUCKET on|off [options]
             memo-s3 bucket sse-c BUCKET on|off [options]
      options: --data DIR, --master-key-file FILE, --config FILE, --discovery-port PORT,
               --communication-port PORT, --grid-host HOST, --peers HOST:PORT,...,
               --json (see memo-s3 serve --help)
      On a stopped node's data directory the command starts its own grid node on it; while a
      node runs on the directory, it joins that node as a client (at the discovery address the
      node recorded in DIR/grid-address) and the change applies to the running cluster.
      """;

  /** Words each subcommand takes after its name, as {command, subcommand, count}. */
  private static final Map<String, Integer> ARITY =
      Map.of(
          "user create", 1,
          "user list", 0,
          "user delete", 1,
          "key create", 1,
          "key list", 1,
          "key revoke", 1,
          "bucket allow", 3,
          "bucket deny", 2,
          "bucket public", 2,
          "bucket sse-c", 2);

  private AccessCommand() {}

  static int run(
      String command, String[] args, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException {
    List<String> words = new ArrayList<>();
    List<String> options = new ArrayList<>();
    split(args, words, options);
    ServeOptions o = ConfigSources.resolve(options.toArray(String[]::new), env).options();
    String action = words.isEmpty() ? "" : command + " " + words.get(0);
    Integer arity = ARITY.get(action);
    if (o.help || arity == null || words.size() != arity + 1) {
      (o.help ? out : err).print(USAGE);
      return o.help ? 0 : 2;
    }
    List<String> a = words.subList(1, words.size());
    Permission permission = null;
    boolean on = false;
    if (action.equals("bucket allow")) {
      try {
        permission = Permission.parse(a.get(2));
      } catch (IllegalArgumentException e) {
        err.println("memo-s3: " + e.getMessage());
        return 2;
      }
    } else if (action.equals("bucket public") || action.equals("bucket sse-c")) {
      if (!a.get(1).equals("on") && !a.get(1).equals("off")) {
        err.println("memo-s3: " + action + " takes on or off, got " + a.get(1));
        return 2;
      }
      on = a.get(1).equals("on");
    }
    try (GridNode node = GridNode.openOrJoin(o.gridConfig(), o.masterKeyFile)) {
      Users users = node.users();
      switch (action) {
        case "user create" -> printUser(users.create(a.get(0)), o.json, out, "created user ");
        case "user list" -> listUsers(users.list(), o.json, out);
        case "user delete" -> {
          users.delete(a.get(0));
          out.println(
              o.json
                  ? "{\"deleted\":" + json(a.get(0)) + "}"
                  : "deleted user " + a.get(0) + " with its access keys and grants");
        }
        case "key create" -> printNewKey(users.createKey(a.get(0)), o.json, out);
        case "key list" -> listKeys(users.keys(a.get(0)), o.json, out);
        case "key revoke" -> {
          AccessKey k = users.revoke(a.get(0));
          out.println(
              o.json
                  ? keyJson(k)
                  : "revoked access key " + k.accessKeyId() + " of user " + k.user());
        }
        case "bucket allow" ->
            printBucket(users.allow(a.get(0), a.get(1), permission), o.json, out);
        case "bucket deny" -> printBucket(users.deny(a.get(0), a.get(1)), o.json, out);
        case "bucket public" ->
            printBucket(node.buckets().setPublicRead(a.get(0), on), o.json, out);
        case "bucket sse-c" ->
            printBucket(node.buckets().setSseCustomerAllowed(a.get(0), on), o.json, out);
        default -> throw new IllegalStateException(action);
      }
      return 0;
    } catch (KvException e) {
      err.println("memo-s3: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Positional words versus options: an option starting with {@code --} takes the next argument as
   * its value unless it is a flag or written {@code --name=value}.
   */
  static void split(String[] args, List<String> words, List<String> options) {
    for (int i = 0; i < args.length; i++) {
      String s = args[i];
      if (!s.startsWith("-")) {
        words.add(s);
        continue;
      }
      options.add(s);
      boolean flag = s.equals("--json") || s.equals("--help") || s.equals("-h") || s.contains("=");
      if (!flag && i + 1 < args.length) {
        options.add(args[++i]);
      }
    }
  }

  private static void printUser(User u, boolean asJson, PrintStream out, String what) {
    out.println(asJson ? userJson(u) : what + u.name());
  }

  private static void listUsers(List<User> list, boolean asJson, PrintStream out) {
    if (asJson) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      list.forEach(u -> j.add(userJson(u)));
      out.println(j);
      return;
    }
    if (list.isEmpty()) {
      out.println("no users (the root user comes from DIR/credentials or the environment)");
    }
    for (User u : list) {
      out.printf("%-32s created %s%n", u.name(), Instant.ofEpochMilli(u.createdMillis()));
    }
  }

  private static void printNewKey(UserKey k, boolean asJson, PrintStream out) {
    if (asJson) {
      out.println(
          "{\"accessKeyId\":"
              + json(k.accessKeyId())
              + ",\"secretAccessKey\":"
              + json(k.secretAccessKey())
              + "}");
      return;
    }
    out.printf(
        "new access key for user %s (the secret is shown only now)%n"
            + "  access key id:     %s%n"
            + "  secret access key: %s%n",
        k.user(), k.accessKeyId(), k.secretAccessKey());
  }

  private static void listKeys(List<AccessKey> keys, boolean asJson, PrintStream out) {
    if (asJson) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      keys.forEach(k -> j.add(keyJson(k)));
      out.println(j);
      return;
    }
    for (AccessKey k : keys) {
      out.printf(
          "%s  %-7s  created %s%n",
          k.accessKeyId(), k.status().label(), Instant.ofEpochMilli(k.createdMillis()));
    }
  }

  private static void printBucket(Bucket b, boolean asJson, PrintStream out) {
    if (asJson) {
      StringJoiner g = new StringJoiner(",", "{", "}");
      b.grants().forEach((user, p) -> g.add(json(user) + ":" + json(p.label())));
      out.println(
          "{\"bucket\":"
              + json(b.name())
              + ",\"owner\":"
              + json(b.owner())
              + ",\"public\":"
              + b.publicRead()
              + ",\"sseC\":"
              + b.sseCustomerAllowed()
              + ",\"grants\":"
              + g
              + "}");
      return;
    }
    StringJoiner g = new StringJoiner(", ");
    b.grants().forEach((user, p) -> g.add(user + " " + p.label()));
    out.printf(
        "bucket %s: owner %s, %s, SSE-C %s, grants: %s%n",
        b.name(),
        b.owner(),
        b.publicRead() ? "public (anonymous GET, HEAD, list)" : "private",
        b.sseCustomerAllowed() ? "allowed" : "blocked",
        b.grants().isEmpty() ? "none" : g.toString());
  }

  private static String userJson(User u) {
    return "{\"user\":"
        + json(u.name())
        + ",\"created\":"
        + json(Instant.ofEpochMilli(u.createdMillis()).toString())
        + "}";
  }

  private static String keyJson(AccessKey k) {
    return "{\"accessKeyId\":"
        + json(k.accessKeyId())
        + ",\"user\":"
        + json(k.user())
        + ",\"status\":"
        + json(k.status().label())
        + ",\"created\":"
        + json(Instant.ofEpochMilli(k.createdMillis()).toString())
        + "}";
  }

  /** A JSON string literal (names are restricted, but quotes and controls are escaped anyway). */
  static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
