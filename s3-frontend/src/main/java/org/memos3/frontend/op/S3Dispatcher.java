package org.memos3.frontend.op;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.memos3.auth.sigv4.Authenticated;
import org.memos3.auth.sigv4.RequestHead;
import org.memos3.auth.sigv4.SigV4Authenticator;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one exchange on a worker thread: routes it, authenticates it (before any body byte is read,
 * so {@code Expect: 100-continue} is answered only for good requests), calls the action's handler,
 * and turns every failure into S3's answer. Writes one access-log line per request.
 */
public final class S3Dispatcher implements Consumer<S3Exchange> {
  private static final Logger ACCESS = LoggerFactory.getLogger("org.memos3.access");

  private final Router router;
  private final SigV4Authenticator authenticator;
  private final Map<S3Operation, Handler> handlers = new EnumMap<>(S3Operation.class);
  private volatile RequestObserver observer = RequestObserver.NONE;
  private final org.memos3.kv.bucket.Buckets buckets;

  public S3Dispatcher(Router router, SigV4Authenticator authenticator, S3Services s) {
    this.router = router;
    this.authenticator = authenticator;
    handlers.put(S3Operation.LIST_BUCKETS, new ListBucketsHandler(s));
    handlers.put(S3Operation.CREATE_BUCKET, new CreateBucketHandler(s));
    handlers.put(S3Operation.DELETE_BUCKET, new DeleteBucketHandler(s));
    handlers.put(S3Operation.HEAD_BUCKET, new HeadBucketHandler(s));
    handlers.put(S3Operation.GET_BUCKET_LOCATION, new GetBucketLocationHandler(s));
    handlers.put(S3Operation.GET_BUCKET_VERSIONING, new GetBucketVersioningHandler(s));
    handlers.put(S3Operation.PUT_BUCKET_VERSIONING, new PutBucketVersioningHandler(s));
    handlers.put(S3Operation.LIST_OBJECT_VERSIONS, new ListObjectVersionsHandler(s));
    handlers.put(S3Operation.LIST_OBJECTS, new ListObjectsHandler(s));
    handlers.put(S3Operation.LIST_OBJECTS_V2, new ListObjectsV2Handler(s));
    handlers.put(S3Operation.PUT_OBJECT, new PutObjectHandler(s));
    handlers.put(S3Operation.COPY_OBJECT, new CopyObjectHandler(s));
    handlers.put(S3Operation.GET_OBJECT, new GetObjectHandler(s, false));
    handlers.put(S3Operation.HEAD_OBJECT, new GetObjectHandler(s, true));
    handlers.put(S3Operation.DELETE_OBJECT, new DeleteObjectHandler(s));
    handlers.put(S3Operation.DELETE_OBJECTS, new DeleteObjectsHandler(s));
    handlers.put(S3Operation.GET_OBJECT_TAGGING, new GetObjectTaggingHandler(s));
    handlers.put(S3Operation.PUT_OBJECT_TAGGING, new PutObjectTaggingHandler(s));
    handlers.put(S3Operation.DELETE_OBJECT_TAGGING, new DeleteObjectTaggingHandler(s));
    MultipartHandlers.register(handlers, s);
    BucketConfigHandlers.register(handlers, s);
    this.buckets = s.buckets();
  }

  /** Sets who is told about every finished request (metrics). */
  public void observer(RequestObserver o) {
    this.observer = o;
  }

  @Override
  public void accept(S3Exchange ex) {
    long start = System.nanoTime();
    Route route = null;
    String accessKey = "-";
    boolean streaming = false;
    int status = 500;
    try {
      route =
          router.route(
              ex.method(),
              ex.rawPath(),
              ex.rawQuery(),
              ex.header("host").orElse(null),
              ex.header("x-amz-copy-source").isPresent());
      if (route.operation() == S3Operation.CORS_PREFLIGHT) {
        // Browsers send preflights unsigned: answered from the bucket's CORS rules alone.
        new CorsPreflight(buckets).answer(ex, route);
        status = 200;
        return;
      }
      ex = CorsExchange.wrap(ex, buckets, route);
      Authenticated auth =
          authenticator.authenticate(
              new RequestHead(ex.method(), ex.rawPath(), ex.rawQuery(), ex.headers()));
      if (auth.isAnonymous()) {
        // Public buckets allow a few reads; the handler checks the bucket's flag.
        if (!BucketAccess.ANONYMOUS.contains(route.operation())) {
          throw new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
        }
      } else {
        accessKey = auth.credential().accessKeyId();
      }
      Handler h = handlers.get(route.operation());
      if (h == null) {
        throw route.operation() == S3Operation.METHOD_NOT_ALLOWED
            ? new S3ErrorException(S3ErrorCode.METHOD_NOT_ALLOWED)
            : new S3ErrorException(S3ErrorCode.NOT_IMPLEMENTED);
      }
      h.handle(new Call(ex, route, auth));
      status = 200;
    } catch (GetObjectHandler.StreamingFailure f) {
      streaming = true;
      status = ErrorResponder.respond(ex, f.getCause(), route, true);
    } catch (Throwable t) {
      // Every failure gets an answer, Errors included (a client must never wait for a timeout);
      // a VirtualMachineError other than OutOfMemoryError is rethrown once answered.
      status = ErrorResponder.respond(ex, t, route, false);
      if (t instanceof VirtualMachineError e && !(t instanceof OutOfMemoryError)) {
        throw e;
      }
    } finally {
      observer.finished(
          route == null ? null : route.operation(), status, System.nanoTime() - start);
      if (ACCESS.isInfoEnabled()) {
        ACCESS.info(
            "{} {} {} bucket={} key={} status={}{} ms={} id={} ak={}",
            route == null ? "-" : route.operation(),
            ex.method(),
            ex.rawQuery().isEmpty()
                ? ex.rawPath()
                : ex.rawPath() + "?" + queryForLog(ex.rawQuery()),
            route == null ? "-" : route.bucket(),
            route == null ? "-" : route.key(),
            status,
            streaming ? " (cut)" : "",
            (System.nanoTime() - start) / 1_000_000,
            ex.requestId(),
            accessKey);
      }
    }
  }

  /** The query string for the access log, without presigned-URL signatures and credentials. */
  static String queryForLog(String rawQuery) {
    StringBuilder b = new StringBuilder();
    for (String part : rawQuery.split("&")) {
      String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
      if (name.equalsIgnoreCase("X-Amz-Signature")
          || name.equalsIgnoreCase("X-Amz-Credential")
          || name.equalsIgnoreCase("X-Amz-Security-Token")) {
        part = name + "=***";
      }
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(part);
    }
    return b.toString();
  }
}
