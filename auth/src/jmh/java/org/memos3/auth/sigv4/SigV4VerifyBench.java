package org.memos3.auth.sigv4;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verifying the SigV4 header signature of a request, as every request pays it: canonical request,
 * string to sign, signing key derivation (cached or not) and the HMAC compare. Requests are signed
 * by the AWS SDK v2 signer ({@link SdkSigner}), as clients sign them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigV4VerifyBench {
  static final Instant TIME = Instant.parse("2025-01-02T03:04:05Z");

  SigV4Authenticator auth;
  RequestHead unsignedPut;
  RequestHead getWithQuery;

  @Setup
  public void setUp() throws Exception {
    auth = TestSupport.authenticator(TIME);
    unsignedPut =
        SdkSigner.sign(
                o -> {
                  o.method = "PUT";
                  o.key = "photos/2025/01/02/img-0001.jpg";
                  o.body = new byte[4096];
                  o.payloadSigning = false;
                  o.headers.put("Content-Type", "image/jpeg");
                  o.headers.put("x-amz-meta-owner", "alice");
                })
            .head();
    getWithQuery =
        SdkSigner.sign(
                o -> {
                  o.method = "GET";
                  o.key = "";
                  o.query.put("list-type", "2");
                  o.query.put("prefix", "photos/2025/");
                  o.query.put("delimiter", "/");
                  o.query.put("max-keys", "1000");
                })
            .head();
  }

  @Benchmark
  public Authenticated putUnsignedPayload() throws Exception {
    return auth.authenticate(unsignedPut);
  }

  @Benchmark
  public Authenticated listObjectsV2() throws Exception {
    return auth.authenticate(getWithQuery);
  }
}
