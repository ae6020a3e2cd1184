package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.error.S3ErrorException;

/** Path-style and virtual-hosted-style addressing. */
class RouterTest {
  private final Router router = new Router(List.of("memo.test", "S3.Memo.Test"));

  @Test
  void bucketInTheHostUnderTheLongestDomain() {
    Route r = router.route("GET", "/dir/key", "", "photos.s3.memo.test:9000");
    assertThat(r.operation()).isEqualTo(S3Operation.GET_OBJECT);
    assertThat(r.bucket()).isEqualTo("photos");
    assertThat(r.key()).isEqualTo("dir/key");
    assertThat(router.route("GET", "/k", "", "photos.memo.test").bucket()).isEqualTo("photos");
    assertThat(router.route("GET", "/k", "", "my.dotted.bucket.s3.memo.test").bucket())
        .isEqualTo("my.dotted.bucket");
  }

  @Test
  void hostNamesCompareWithoutCase() {
    Route r = router.route("PUT", "/", "", "Photos.S3.MEMO.test:9000");
    assertThat(r.operation()).isEqualTo(S3Operation.CREATE_BUCKET);
    assertThat(r.bucket()).isEqualTo("photos");
  }

  @Test
  void aDomainItselfAndUnknownHostsArePathStyle() {
    for (String host : List.of("s3.memo.test", "memo.test:80", "127.0.0.1:9000", "other.example")) {
      Route r = router.route("GET", "/b/k", "", host);
      assertThat(r.bucket()).as(host).isEqualTo("b");
      assertThat(r.key()).as(host).isEqualTo("k");
    }
    assertThat(router.route("GET", "/", "", "s3.memo.test").operation())
        .isEqualTo(S3Operation.LIST_BUCKETS);
    assertThat(router.route("GET", "/b/k", "", null).bucket()).isEqualTo("b");
    assertThat(new Router(List.of()).route("GET", "/b/k", "", "x.s3.memo.test").bucket())
        .isEqualTo("b");
  }

  @Test
  void virtualHostedKeysKeepLeadingSlashes() {
    Route r = router.route("GET", "//a//b", "", "bucket.s3.memo.test");
    assertThat(r.bucket()).isEqualTo("bucket");
    assertThat(r.key()).isEqualTo("/a//b");
    assertThat(router.route("GET", "/", "list-type=2", "bucket.s3.memo.test").operation())
        .isEqualTo(S3Operation.LIST_OBJECTS_V2);
  }

  @Test
  void invalidBucketNameInTheHost() {
    for (String label : List.of("ab", "bad_bucket", "a..b", "-a-", "xn--abc", "10.0.0.1", "")) {
      assertThatThrownBy(() -> router.route("GET", "/", "", label + ".s3.memo.test:9000"))
          .as(label)
          .isInstanceOfSatisfying(
              S3ErrorException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("InvalidBucketName");
                assertThat(e.extra()).containsEntry("BucketName", label);
              });
    }
  }

  @Test
  void aPathThatIsNotUtf8OnceDecodedIsInvalidUri() {
    for (String path : List.of("/b/%AE%8A-", "/b/%C3", "/b%FF/k", "/%ED%A0%80")) {
      assertThatThrownBy(() -> router.route("GET", path, "", "127.0.0.1"))
          .as(path)
          .isInstanceOfSatisfying(
              S3ErrorException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("InvalidURI");
              });
    }
    assertThat(router.route("GET", "/b/%C3%A9%F0%9F%98%80", "", "127.0.0.1").key())
        .isEqualTo("\u00e9\ud83d\ude00");
    assertThat(router.route("GET", "/b%2Dc/k", "", "127.0.0.1").bucket()).isEqualTo("b-c");
  }

  @Test
  void aPostToABucketIsDeleteObjectsOrPostObject() {
    assertThat(router.route("POST", "/b", "delete", "127.0.0.1").operation())
        .isEqualTo(S3Operation.DELETE_OBJECTS);
    assertThat(router.route("POST", "/b", "", "127.0.0.1").operation())
        .isEqualTo(S3Operation.POST_OBJECT);
    assertThat(router.route("POST", "/b/k", "", "127.0.0.1").operation())
        .isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
  }

  /** A DELETE of a bucket sub-resource memo-s3 has no DELETE for never deletes the bucket. */
  @Test
  void onlyABareDeleteDeletesTheBucket() {
    assertThat(router.route("DELETE", "/b", "", "h").operation())
        .isEqualTo(S3Operation.DELETE_BUCKET);
    assertThat(router.route("DELETE", "/b", "x-id=DeleteBucket", "h").operation())
        .isEqualTo(S3Operation.DELETE_BUCKET);
    for (String q : List.of("versioning", "uploads", "location", "accelerate", "policyStatus")) {
      assertThat(router.route("DELETE", "/b", q, "h").operation())
          .as(q)
          .isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
    }
    assertThat(router.route("DELETE", "/b", "website", "h").operation())
        .isEqualTo(S3Operation.DELETE_BUCKET_ABSENT_CONFIG);
    assertThat(router.route("PUT", "/b", "policyStatus", "h").operation())
        .isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
  }

  @Test
  void objectLockSubresources() {
    assertThat(router.route("GET", "/b", "object-lock", "h").operation())
        .isEqualTo(S3Operation.GET_OBJECT_LOCK_CONFIG);
    assertThat(router.route("PUT", "/b", "object-lock", "h").operation())
        .isEqualTo(S3Operation.PUT_OBJECT_LOCK_CONFIG);
    assertThat(router.route("DELETE", "/b", "object-lock", "h").operation())
        .isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
    assertThat(router.route("GET", "/b/k", "retention&versionId=v", "h").operation())
        .isEqualTo(S3Operation.GET_OBJECT_RETENTION);
    assertThat(router.route("PUT", "/b/k", "retention", "h").operation())
        .isEqualTo(S3Operation.PUT_OBJECT_RETENTION);
    assertThat(router.route("DELETE", "/b/k", "retention", "h").operation())
        .isEqualTo(S3Operation.METHOD_NOT_ALLOWED);
    assertThat(router.route("GET", "/b/k", "legal-hold", "h").operation())
        .isEqualTo(S3Operation.GET_OBJECT_LEGAL_HOLD);
    assertThat(router.route("PUT", "/b/k", "legal-hold", "h").operation())
        .isEqualTo(S3Operation.PUT_OBJECT_LEGAL_HOLD);
  }
}
