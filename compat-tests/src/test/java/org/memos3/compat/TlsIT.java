package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.memos3.auth.sigv4.Credential;
import org.memos3.frontend.Gateway;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.grid.GridConfig;
import org.memos3.kv.KvConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** HTTPS on the S3 endpoint with the AWS SDK (a certificate made with openssl for the test). */
class TlsIT {
  @Test
  void sdkOverTls() throws Exception {
    Path dir = Files.createTempDirectory("memo-s3-tls");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    Path data = dir.resolve("data");
    GridConfig grid = GridConfig.forTests(data, TestServer.freePort(), TestServer.freePort());
    try (Gateway g =
        Gateway.start(
            new Gateway.Settings(
                grid,
                "127.0.0.1",
                0,
                "us-east-1",
                List.of(),
                null,
                new Credential(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, "root"),
                HttpLimits.defaults(),
                KvConfig.defaults(),
                4,
                0,
                new Gateway.TlsFiles(cert, key)))) {
      assertThat(g.endpoint()).startsWith("https://");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(cert)) {
        trust.setCertificateEntry(
            "memo-s3",
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      try (S3Client s3 =
          S3Client.builder()
              .endpointOverride(URI.create(g.endpoint()))
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(TestServer.ACCESS_KEY, TestServer.SECRET_KEY)))
              .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
              .httpClientBuilder(
                  ApacheHttpClient.builder().tlsTrustManagersProvider(tmf::getTrustManagers))
              .build()) {
        String bucket = bucketName("tls");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data3 = ObjectRoundTripIT.random(3 * 1024 * 1024, 3);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data3));
        assertThat(
                ObjectRoundTripIT.md5(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray()))
            .isEqualTo(ObjectRoundTripIT.md5(data3));
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
