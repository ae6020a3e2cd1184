package org.memos3.auth.sigv4;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Signs requests with the real AWS SDK v2 signer, configured the way the S3 client does. */
final class SdkSigner {
  /** The signed request translated into what the frontend would hand us. */
  record Signed(RequestHead head, byte[] body) {}

  /** Options of one signing. */
  static final class Options {
    String method = "PUT";
    String bucket = "bucket";
    String key = "key";
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = new byte[0];
    boolean payloadSigning = true;
    boolean chunked;
    boolean crc32;
    boolean presign;
    String protocol = "https";
    Duration expiration = Duration.ofHours(1);
    String secret = TestSupport.SECRET;
    Instant time = Instant.parse("2025-01-02T03:04:05Z");
  }

  private SdkSigner() {}

  static Signed sign(Consumer<Options> config) throws IOException {
    Options o = new Options();
    config.accept(o);
    SdkHttpRequest.Builder rb =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(o.method))
            .protocol(o.protocol)
            .host("localhost")
            .port(9000)
            .encodedPath("/" + o.bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(o.key));
    o.query.forEach(rb::putRawQueryParameter);
    o.headers.forEach(rb::putHeader);
    if (!o.chunked && !o.presign) {
      rb.putHeader("Content-Length", String.valueOf(o.body.length));
    }
    if (o.chunked) {
      rb.putHeader("Content-Length", String.valueOf(o.body.length));
    }
    SdkHttpRequest request = rb.build();
    AwsCredentialsIdentity identity = AwsCredentialsIdentity.create(TestSupport.AKID, o.secret);
    SignRequest.Builder<AwsCredentialsIdentity> sr =
        SignRequest.builder(identity)
            .request(request)
            .payload(ContentStreamProvider.fromByteArray(o.body))
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
            .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, o.payloadSigning)
            .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, o.chunked)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(o.time, ZoneOffset.UTC));
    if (o.crc32) {
      sr.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
    }
    if (o.presign) {
      sr.putProperty(
              AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
          .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, o.expiration);
    }
    SignedRequest signed = AwsV4HttpSigner.create().sign(sr.build());
    SdkHttpRequest out = signed.request();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    out.forEachHeader((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    headers.putIfAbsent("host", List.of("localhost:9000"));
    String uri = out.getUri().getRawQuery();
    byte[] body;
    if (signed.payload().isPresent()) {
      try (InputStream in = signed.payload().get().newStream()) {
        body = in.readAllBytes();
      }
    } else {
      body = o.body;
    }
    return new Signed(new RequestHead(out.method().name(), out.encodedPath(), uri, headers), body);
  }
}
