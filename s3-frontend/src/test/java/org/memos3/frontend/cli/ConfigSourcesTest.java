package org.memos3.frontend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;

/** Config file, environment and command line: precedence, validation messages, config show. */
class ConfigSourcesTest {
  @TempDir Path tmp;

  private Path file(String text) throws IOException {
    Path f = tmp.resolve("x.conf");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void commandLineBeatsEnvironmentBeatsFileBeatsDefaults() throws IOException {
    Path f =
        file(
            "# comment\n\nlisten = 127.0.0.1:7000\nregion = eu-file-1\n"
                + "wal-mode = fsync\ndomain = a.example, b.example\ndata-region-mib = 128\n");
    ConfigSources.Resolved r =
        ConfigSources.resolve(
            new String[] {"--config", f.toString(), "--listen", "127.0.0.1:7002"},
            Map.of("MEMO_S3_LISTEN", "127.0.0.1:7001", "MEMO_S3_REGION", "eu-env-1"));
    ServeOptions o = r.options();
    assertThat(o.listenPort).isEqualTo(7002);
    assertThat(r.given().get("listen").source()).isEqualTo("command line");
    assertThat(o.region).isEqualTo("eu-env-1");
    assertThat(r.given().get("region").source()).isEqualTo("environment MEMO_S3_REGION");
    assertThat(o.walMode).isEqualTo(GridConfig.WalMode.FSYNC);
    assertThat(r.given().get("wal-mode").source()).isEqualTo("config file " + f);
    assertThat(o.domains).containsExactly("a.example", "b.example");
    assertThat(o.dataRegionMib).isEqualTo(128);
    assertThat(o.partitions).isEqualTo(256);
    assertThat(r.given()).doesNotContainKey("partitions");
    // the admin endpoint follows the effective S3 port
    assertThat(o.adminListen().port()).isEqualTo(7003);
  }

  @Test
  void configFileFromTheEnvironment() throws IOException {
    Path f = file("wal-mode = fsync\nadmin-listen = off\n");
    ServeOptions o =
        ConfigSources.resolve(new String[0], Map.of("MEMO_S3_CONFIG", f.toString())).options();
    assertThat(o.walMode).isEqualTo(GridConfig.WalMode.FSYNC);
    assertThat(o.adminListen()).isNull();
  }

  @Test
  void invalidValuesNameTheKeyAndTheSource() throws IOException {
    Path f = file("wal-mode = foo\n");
    assertThatThrownBy(
            () -> ConfigSources.resolve(new String[] {"--config", f.toString()}, Map.of()))
        .hasMessage("config file " + f + ": wal-mode must be log-only or fsync, got foo");
    assertThatThrownBy(
            () -> ConfigSources.resolve(new String[0], Map.of("MEMO_S3_WAL_SEGMENTS", "1")))
        .hasMessage(
            "environment MEMO_S3_WAL_SEGMENTS: wal-segments must be between 2 and 100, got 1");
    Path g = file("listen = 127.0.0.1:9000\nlisen = 127.0.0.1:9000\n");
    assertThatThrownBy(
            () -> ConfigSources.resolve(new String[] {"--config", g.toString()}, Map.of()))
        .hasMessageStartingWith("config file " + g + ": unknown key lisen")
        .hasMessageNotContaining("\n");
    Path h = file("page-size 4096\n");
    assertThatThrownBy(
            () -> ConfigSources.resolve(new String[] {"--config", h.toString()}, Map.of()))
        .hasMessageContaining("line 1 is not key = value");
    assertThatThrownBy(
            () ->
                ConfigSources.resolve(
                    new String[] {"--config", tmp.resolve("none.conf").toString()}, Map.of()))
        .hasMessageStartingWith("config file " + tmp.resolve("none.conf") + ": cannot read it");
    assertThatThrownBy(() -> ConfigSources.resolve(new String[] {"--page-size", "3000"}, Map.of()))
        .hasMessage("--page-size must be a power of two, got 3000");
  }

  @Test
  void gridTlsOptionsGoTogetherAndReachTheGridConfig() throws IOException {
    Path f = file("grid-tls-cert = /etc/memo-s3/node.pem\n");
    assertThatThrownBy(
            () ->
                ConfigSources.resolve(
                    new String[] {"--config", f.toString()},
                    Map.of("MEMO_S3_GRID_TLS_KEY", "/etc/memo-s3/node.key")))
        .hasMessage(
            "grid-tls-ca is not set, but grid-tls-cert (config file "
                + f
                + ") and grid-tls-key (environment MEMO_S3_GRID_TLS_KEY) are:"
                + " grid-tls-cert, grid-tls-key and grid-tls-ca go together");
    // The commands that parse the command line alone (gc, user, key, ...) refuse it too.
    ServeOptions half = ServeOptions.parse(new String[] {"--grid-tls-ca", "/ca.pem"});
    assertThatThrownBy(half::gridConfig)
        .hasMessage(
            "grid-tls-cert and grid-tls-key are not set, but grid-tls-ca is:"
                + " grid-tls-cert, grid-tls-key and grid-tls-ca go together");
    assertThatThrownBy(() -> ConfigSources.resolve(new String[] {"--tls-key", "/k.pem"}, Map.of()))
        .hasMessage(
            "tls-cert is not set, but tls-key (command line) is: tls-cert and tls-key go together");

    ConfigSources.Resolved r =
        ConfigSources.resolve(
            new String[] {"--config", f.toString(), "--grid-tls-ca", "/etc/memo-s3/ca.pem"},
            Map.of("MEMO_S3_GRID_TLS_KEY", "/etc/memo-s3/node.key"));
    GridConfig.Tls tls = r.options().gridConfig().tls();
    assertThat(tls)
        .isEqualTo(
            new GridConfig.Tls(
                Path.of("/etc/memo-s3/node.pem"),
                Path.of("/etc/memo-s3/node.key"),
                Path.of("/etc/memo-s3/ca.pem")));
    assertThat(ConfigSources.value(r.options(), "grid-tls-ca")).isEqualTo("/etc/memo-s3/ca.pem");
    assertThat(ConfigSources.resolve(new String[0], Map.of()).options().gridConfig().tls())
        .isNull();
  }

  @Test
  void everyKeyOfTheExampleFileIsKnownAndItsValuesAreTheDefaults() throws IOException {
    Path example = Path.of("../docs/memo-s3.conf.example");
    ConfigSources.Resolved fromFile =
        ConfigSources.resolve(new String[] {"--config", example.toString()}, Map.of());
    ServeOptions defaults = ConfigSources.resolve(new String[0], Map.of()).options();
    for (String key : ConfigSources.keys()) {
      assertThat(ConfigSources.value(fromFile.options(), key))
          .as(key)
          .isEqualTo(ConfigSources.value(defaults, key));
    }
    String text = Files.readString(example);
    for (String key : ConfigSources.keys()) {
      assertThat(text).as("example documents " + key).containsPattern("(?m)^#? ?" + key + " =");
    }
  }

  @Test
  void configShowPrintsEverySourceAndNoSecret() throws IOException {
    Path f = file("wal-mode = fsync\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        ConfigCommand.run(
            new String[] {"show", "--config", f.toString(), "--region", "x-1"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream()),
            Map.of(
                "MEMO_S3_PARTITIONS", "64",
                "MEMO_S3_ACCESS_KEY_ID", "AKIDSHOWN",
                "MEMO_S3_SECRET_ACCESS_KEY", "very-secret-value"));
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(rc).isZero();
    assertThat(s).containsPattern("wal-mode +=  ?fsync +# config file " + Pattern.quote(f));
    assertThat(s).containsPattern("partitions +=  ?64 +# environment MEMO_S3_PARTITIONS");
    assertThat(s).containsPattern("region +=  ?x-1 +# command line");
    assertThat(s).containsPattern("page-size +=  ?16384 +# default");
    assertThat(s).containsPattern("admin-listen +=  ?127.0.0.1:9001 +# default");
    assertThat(s).contains("AKIDSHOWN").contains("***").doesNotContain("very-secret-value");
    for (String key : ConfigSources.keys()) {
      assertThat(s).containsPattern("(?m)^" + key + " +=");
    }
  }

  @Test
  void doctorPassesOnAFreshDirectoryAndFailsOnAPortInUse() throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectory(data);
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String[] args = {
        "doctor",
        "--data",
        data.toString(),
        "--listen",
        "127.0.0.1:" + LocalPorts.free(),
        "--discovery-port",
        Integer.toString(LocalPorts.free()),
        "--communication-port",
        Integer.toString(LocalPorts.free())
      };
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int rc = Main.run(args, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
      String s = out.toString();
      assertThat(s).contains("config").contains("data directory").contains("add-opens");
      assertThat(s).contains("clock").contains("discovery port").contains("communication port");
      // data/ was created by createDirectory with default perms: maybe a WARN, never a FAIL
      assertThat(rc).as(s).isZero();

      String[] bad = args.clone();
      bad[6] = Integer.toString(busy.getLocalPort());
      ByteArrayOutputStream out2 = new ByteArrayOutputStream();
      String[] withJson = java.util.Arrays.copyOf(bad, bad.length + 1);
      withJson[bad.length] = "--json";
      int rc2 =
          Main.run(withJson, new PrintStream(out2), new PrintStream(new ByteArrayOutputStream()));
      assertThat(rc2).isEqualTo(1);
      assertThat(out2.toString())
          .startsWith("{\"ok\":false,")
          .contains("\"name\":\"discovery port\",\"status\":\"FAIL\"");
    }
    ByteArrayOutputStream out3 = new ByteArrayOutputStream();
    int rc3 =
        Main.run(
            new String[] {"doctor", "--wal-mode", "foo"},
            new PrintStream(out3),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(rc3).isEqualTo(1);
    assertThat(out3.toString()).contains("FAIL  config").contains("wal-mode must be");
  }

  @Test
  void doctorReadsTheGridTlsFilesAndWarnsAboutAPlainCluster() throws IOException {
    Path data = tmp.resolve("data");
    Files.createDirectory(data);
    String[] base = {
      "doctor",
      "--data",
      data.toString(),
      "--listen",
      "127.0.0.1:" + LocalPorts.free(),
      "--discovery-port",
      Integer.toString(LocalPorts.free()),
      "--communication-port",
      Integer.toString(LocalPorts.free())
    };
    String[] tls = java.util.Arrays.copyOf(base, base.length + 6);
    System.arraycopy(
        new String[] {
          "--grid-tls-cert",
          tmp.resolve("node.pem").toString(),
          "--grid-tls-key",
          tmp.resolve("node.key").toString(),
          "--grid-tls-ca",
          tmp.resolve("ca.pem").toString()
        },
        0,
        tls,
        base.length,
        6);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Main.run(tls, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
    assertThat(rc).isEqualTo(1);
    assertThat(out.toString())
        .containsPattern(
            "FAIL +grid tls +certificate chain " + Pattern.quote(tmp.resolve("node.pem")))
        .contains("cannot read it");

    String[] plainCluster = java.util.Arrays.copyOf(base, base.length + 2);
    plainCluster[base.length] = "--peers";
    plainCluster[base.length + 1] = "127.0.0.1:" + LocalPorts.free();
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    Main.run(plainCluster, new PrintStream(out2), new PrintStream(new ByteArrayOutputStream()));
    assertThat(out2.toString()).containsPattern("WARN +grid tls +off: plain TCP between nodes");
  }

  private static final class Pattern {
    static String quote(Path p) {
      return java.util.regex.Pattern.quote(p.toString());
    }
  }
}
