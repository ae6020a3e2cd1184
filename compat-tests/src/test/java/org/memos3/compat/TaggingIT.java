package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Object tagging (s3-tests: test_put_obj_with_tags, test_get_obj_tagging, test_put_max_tags). */
class TaggingIT {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  @Test
  void tagsOnPutAndByTheTaggingApi() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("tags");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(
          b -> b.bucket(bucket).key("k").tagging("project=memo&team=s 3"),
          RequestBody.fromString("x"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("project", "memo"), tuple("team", "s 3"));
      assertThat(s3.getObject(b -> b.bucket(bucket).key("k")).response().tagCount()).isEqualTo(2);

      s3.putObjectTagging(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .tagging(t -> t.tagSet(Tag.builder().key("only").value("one").build())));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .extracting(Tag::key)
          .containsExactly("only");
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String()).isEqualTo("x");
      s3.deleteObjectTagging(b -> b.bucket(bucket).key("k"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()).isEmpty();

      // test_put_max_tags, test_get_obj_tagging, test_put_obj_with_tags: tags come back sorted by
      // key, as AWS returns them, whatever the order given (not in a hash's order).
      List<Tag> ten = new ArrayList<>();
      for (int i = 9; i >= 0; i--) {
        ten.add(Tag.builder().key("key" + i).value("v" + i).build());
      }
      List<Tag> sorted = new ArrayList<>(ten);
      java.util.Collections.reverse(sorted);
      s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(ten)));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet()).isEqualTo(sorted);
      String header = String.join("&", ten.stream().map(t -> t.key() + "=" + t.value()).toList());
      s3.putObject(b -> b.bucket(bucket).key("h").tagging(header), RequestBody.fromString("x"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("h")).tagSet()).isEqualTo(sorted);
      s3.putObject(
          b -> b.bucket(bucket).key("h").tagging("foo=bar&bar"), RequestBody.fromString("x"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("h")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("bar", ""), tuple("foo", "bar"));
      s3.deleteObjectTagging(b -> b.bucket(bucket).key("k"));

      List<Tag> eleven = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        eleven.add(Tag.builder().key("k" + i).value("v").build());
      }
      assertS3Error(
          () -> s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(eleven))),
          400,
          "BadRequest");
      assertS3Error(
          () ->
              s3.putObjectTagging(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .tagging(
                              t ->
                                  t.tagSet(Tag.builder().key("x".repeat(129)).value("v").build()))),
          400,
          "InvalidTag");
      assertS3Error(
          () ->
              s3.putObjectTagging(
                  b ->
                      b.bucket(bucket)
                          .key("missing")
                          .tagging(t -> t.tagSet(Tag.builder().key("a").value("b").build()))),
          404,
          "NoSuchKey");
    }
  }

  @Test
  void tagsBelongToVersions() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("vtags");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      String v1 =
          s3.putObject(b -> b.bucket(bucket).key("k").tagging("v=1"), RequestBody.fromString("1"))
              .versionId();
      s3.putObject(b -> b.bucket(bucket).key("k").tagging("v=2"), RequestBody.fromString("2"));
      s3.putObjectTagging(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .versionId(v1)
                  .tagging(t -> t.tagSet(Tag.builder().key("v").value("one").build())));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)).tagSet())
          .extracting(Tag::value)
          .containsExactly("one");
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .extracting(Tag::value)
          .containsExactly("2");
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).hasSize(2);
    }
  }

  /**
   * CopyObject copies the source's tags unless {@code x-amz-tagging-directive: REPLACE} gives new
   * ones in {@code x-amz-tagging}, validated as on PutObject.
   */
  @Test
  void copyKeepsTheSourceTagsOrReplacesThem() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("copytags");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(
          b -> b.bucket(bucket).key("src").tagging("a=1&b=2"), RequestBody.fromString("x"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("c"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("c")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("a", "1"), tuple("b", "2"));
      // COPY ignores x-amz-tagging.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("c")
                  .tagging("z=9"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("c")).tagSet())
          .extracting(Tag::key)
          .containsExactly("a", "b");
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("r")
                  .taggingDirective(TaggingDirective.REPLACE)
                  .tagging("c=3"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("r")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("c", "3"));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("r")
                  .taggingDirective(TaggingDirective.REPLACE));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("r")).tagSet()).isEmpty();
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("src")
                          .destinationBucket(bucket)
                          .destinationKey("r")
                          .taggingDirective(TaggingDirective.REPLACE)
                          .tagging("x".repeat(129) + "=v")),
          400,
          "InvalidTag");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("src")
                          .destinationBucket(bucket)
                          .destinationKey("r")
                          .taggingDirective("MERGE")),
          400,
          "InvalidArgument");
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("r")).tagSet()).isEmpty();
    }
  }

  /**
   * Tag keys starting with aws: are AWS's own: InvalidTag on PutObjectTagging, x-amz-tagging and
   * PutBucketTagging, and nothing changes.
   */
  @Test
  void awsPrefixedTagKeysAreRefused() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("awstags");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k").tagging("a=1"), RequestBody.fromString("x"));
      Tag reserved = Tag.builder().key("aws:createdBy").value("me").build();
      assertS3Error(
          () ->
              s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(reserved))),
          400,
          "InvalidTag");
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .extracting(Tag::key)
          .containsExactly("a");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("n").tagging("aws:x=1"), RequestBody.fromString("x")),
          400,
          "InvalidTag");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("n")), 404, null);
      assertS3Error(
          () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(reserved))),
          400,
          "InvalidTag");
      assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(bucket)), 404, "NoSuchTagSet");
      // Only the lower-case prefix is reserved, and only as a prefix.
      s3.putObjectTagging(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .tagging(
                      t ->
                          t.tagSet(
                              Tag.builder().key("AWS:x").value("1").build(),
                              Tag.builder().key("my-aws:x").value("2").build())));
    }
  }

  /**
   * CreateMultipartUpload keeps {@code x-amz-tagging} (URL query form, validated as on PutObject)
   * and the completed object carries them, counted by {@code x-amz-tagging-count} on GET and HEAD.
   */
  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void multipartUploadTagsGoToTheCompletedObject(boolean defaultChecksums) {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("mptags");
      s3.createBucket(b -> b.bucket(bucket));
      String uploadId =
          s3.createMultipartUpload(
                  b -> b.bucket(bucket).key("k").tagging("team=s%203&project=memo&a%26b=c%3Dd"))
              .uploadId();
      String etag1 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(1),
                  RequestBody.fromBytes(new byte[5 * 1024 * 1024]))
              .eTag();
      String etag2 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(2),
                  RequestBody.fromString("tail"))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .uploadId(uploadId)
                  .multipartUpload(
                      m ->
                          m.parts(
                              CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                              CompletedPart.builder().partNumber(2).eTag(etag2).build())));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("a&b", "c=d"), tuple("project", "memo"), tuple("team", "s 3"));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).tagCount()).isEqualTo(3);
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=0-0"))
                  .response()
                  .tagCount())
          .isEqualTo(3);

      // Without x-amz-tagging the object has no tags.
      String plain = s3.createMultipartUpload(b -> b.bucket(bucket).key("p")).uploadId();
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("p").uploadId(plain).partNumber(1),
                  RequestBody.fromString("x"))
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("p")
                  .uploadId(plain)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("p")).tagSet()).isEmpty();

      // The same rules as PutObject's x-amz-tagging, checked before any upload exists.
      assertS3Error(
          () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("n").tagging("aws:x=1")),
          400,
          "InvalidTag");
      assertS3Error(
          () ->
              s3.createMultipartUpload(
                  b -> b.bucket(bucket).key("n").tagging("x".repeat(129) + "=v")),
          400,
          "InvalidTag");
      assertS3Error(
          () ->
              s3.createMultipartUpload(
                  b -> b.bucket(bucket).key("n").tagging("a=" + "v".repeat(257))),
          400,
          "InvalidTag");
      String eleven =
          String.join(
              "&", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "k" + i + "=v").toList());
      assertS3Error(
          () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("n").tagging(eleven)),
          400,
          "BadRequest");
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
  }
}
