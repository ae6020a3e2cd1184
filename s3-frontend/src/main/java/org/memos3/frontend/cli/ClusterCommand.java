package org.memos3.frontend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.memos3.frontend.Gateway;

/**
 * {@code memo-s3 cluster status [--admin HOST:PORT] [--json] [serve options]}: asks a running
 * node's admin endpoint ({@code GET /cluster}) for the cluster state, the server and baseline nodes
 * and the lost partitions. The default address is the one {@code serve} would use with the same
 * options.
 */
final class ClusterCommand {
  private ClusterCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env)
      throws IOException, InterruptedException {
    if (args.length == 0 || !args[0].equals("status")) {
      err.println("memo-s3: usage: memo-s3 cluster status [--admin HOST:PORT] [--json]");
      return 2;
    }
    String admin = null;
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--admin") && i + 1 < args.length) {
        admin = args[++i];
      } else if (args[i].startsWith("--admin=")) {
        admin = args[i].substring("--admin=".length());
      } else {
        rest.add(args[i]);
      }
    }
    ServeOptions o = ConfigSources.resolve(rest.toArray(String[]::new), env).options();
    if (admin == null) {
      Gateway.AdminListen a = o.adminListen();
      if (a == null) {
        throw new ServeOptions.UsageException(
            "the admin endpoint is off (admin-listen = off); give --admin HOST:PORT");
      }
      admin = (a.host().equals("0.0.0.0") ? "127.0.0.1" : a.host()) + ":" + a.port();
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> resp;
    try {
      resp =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + admin + "/cluster"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(
          "no memo-s3 admin endpoint answers at " + admin + " (is the node running?): " + e);
    }
    if (resp.statusCode() != 200) {
      err.println("memo-s3: " + admin + "/cluster answered " + resp.statusCode());
      return 1;
    }
    if (o.json) {
      out.print(resp.body());
      return 0;
    }
    JsonNode j = new ObjectMapper().readTree(resp.body());
    out.printf(
        "cluster at %s%n  state:     %s%s%n  this node: %s%n  servers:   %d %s%n"
            + "  baseline:  %d %s%n  offline:   %s%n  lost partitions: %s%n",
        admin,
        j.path("state").asText(),
        j.path("ready").asBoolean() ? " (ready)" : " (NOT ready)",
        j.path("localNode").asText(),
        j.path("serverNodes").size(),
        j.path("serverNodes"),
        j.path("baselineNodes").size(),
        j.path("baselineNodes"),
        j.path("offlineBaselineNodes").isEmpty() ? "none" : j.path("offlineBaselineNodes"),
        j.path("lostPartitions").isEmpty() ? "none" : j.path("lostPartitions"));
    return j.path("ready").asBoolean() ? 0 : 1;
  }
}
