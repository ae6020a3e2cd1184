package org.memos3.frontend.op;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.memos3.auth.sigv4.Authenticated;
import org.memos3.auth.sigv4.RequestHead;
import org.memos3.auth.sigv4.SigV4Authenticator;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one exchange: routes it, authenticates it (before any body byte is read, so {@code Expect:
 * 100-continue} is answered only for good requests), calls the action's handler, and turns every
 * failure into S3's answer. Writes one access-log line per request. An exchange handed over on the
 * connection's I/O thread is answered there only when it touches records alone ({@link
 * #ON_EVENT_LOOP}, or a PUT whose body is whole and inline; a lone node), or, while that stays
 * fast, writes one small chunk besides (a whole PUT body of at most {@link #WRITE_HERE_MAX} bytes);
 * anything else goes on on a worker.
 */
public final class S3Dispatcher implements Consumer<S3Exchange> {
  private static final Logger ACCESS = LoggerFactory.getLogger("org.memos3.access");

  private final Router router;
  private final SigV4Authenticator authenticator;
  private final PostObjectHandler postObject;
  private final Map<S3Operation, Handler> handlers = new EnumMap<>(S3Operation.class);
  private volatile RequestObserver observer = RequestObserver.NONE;
  private volatile BooleanSupplier inlineReads = () -> false;
  private volatile BooleanSupplier inlineWrites = () -> false;
  private volatile long inlineLimit = -1;

  /**
   * Largest PutObject body stored in a chunk on the I/O thread, when it came whole (a lone node,
   * whose chunk files of this size are written through the page cache).
   */
  static final long WRITE_HERE_MAX = 64 * 1024;

  /** How the chunk writes on the I/O threads have gone: they pause while they are slow. */
  private final EventLoopPace writePace = new EventLoopPace(2_000_000);

  /**
   * What may be answered on the I/O thread (where nothing may wait): actions that read a bucket or
   * an object record and answer from it. A GET whose body lives in chunks goes on on a worker.
   */
  private static final Set<S3Operation> ON_EVENT_LOOP =
      EnumSet.of(S3Operation.HEAD_OBJECT, S3Operation.GET_OBJECT, S3Operation.HEAD_BUCKET);

  private final org.memos3.kv.bucket.Buckets buckets;

  public S3Dispatcher(Router router, SigV4Authenticator authenticator, S3Services s) {
    this.router = router;
    this.authenticator = authenticator;
    this.postObject = new PostObjectHandler(s, authenticator, java.time.Clock.systemUTC());
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
    handlers.put(S3Operation.GET_OBJECT_ATTRIBUTES, new GetObjectAttributesHandler(s));
    handlers.put(S3Operation.GET_OBJECT_TAGGING, new GetObjectTaggingHandler(s));
    handlers.put(S3Operation.PUT_OBJECT_TAGGING, new PutObjectTaggingHandler(s));
    handlers.put(S3Operation.DELETE_OBJECT_TAGGING, new DeleteObjectTaggingHandler(s));
    ObjectLockHandlers.register(handlers, s);
    MultipartHandlers.register(handlers, s);
    BucketConfigHandlers.register(handlers, s);
    this.buckets = s.buckets();
  }

  /** Sets who is told about every finished request (metrics). */
  public void observer(RequestObserver o) {
    this.observer = o;
  }

  /**
   * Says whether requests may be answered on the connection's I/O thread: true while this node is
   * the grid's only server, so that a record read is local (elsewhere it may wait on another node).
   */
  public void inlineReads(BooleanSupplier whenTrue) {
    this.inlineReads = whenTrue;
  }

  /**
   * Says whether a PutObject whose body has arrived whole and is stored inline in its head record
   * (at most {@code inlineLimit} bytes) may be committed on the connection's I/O thread: true when
   * a commit cannot wait for the disk (a lone node, no fsync per commit). Then a whole body of one
   * small chunk may be stored there too (at most {@link #WRITE_HERE_MAX} bytes, paced).
   */
  public void inlineWrites(long inlineLimit, BooleanSupplier whenTrue) {
    this.inlineLimit = inlineLimit;
    this.inlineWrites = whenTrue;
  }

  @Override
  public void accept(S3Exchange ex) {
    new Request(ex).run(Request::begin);
  }

  /** One step of a request; returns the step to run next on a worker, or null when it is done. */
  @FunctionalInterface
  private interface Step {
    Step run(Request r) throws Exception;
  }

  /** A request on its way through, across the I/O thread and a worker. */
  private final class Request {
    private final long start = System.nanoTime();
    private S3Exchange ex;
    private Route route;
    private String accessKey = "-";
    private boolean streaming;
    private int status = 500;

    Request(S3Exchange ex) {
      this.ex = ex;
    }

    /**
     * Runs {@code step}, then hands what it leaves to a worker; every failure gets S3's answer, and
     * the request is logged once, when it is done.
     */
    void run(Step step) {
      boolean handedOn = false;
      try {
        Step next = step.run(this);
        if (next != null) {
          try {
            ex.offload(() -> run(next));
          } catch (RejectedExecutionException e) {
            throw new S3ErrorException(S3ErrorCode.SLOW_DOWN);
          }
          handedOn = true;
          return;
        }
        // What the handler sent: 200, 204, 206, 304, ... (not every success is a 200).
        status = ex.status() > 0 ? ex.status() : 200;
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
        if (!handedOn) {
          finished();
        }
      }
    }

    /** Routes; on the I/O thread, goes on there only for an action that touches records alone. */
    Step begin() throws Exception {
      route =
          router.route(
              ex.method(),
              ex.rawPath(),
              ex.rawQuery(),
              ex.header("host").orElse(null),
              ex.header("x-amz-copy-source").isPresent());
      if (!ex.onEventLoop()) {
        return handle();
      }
      long putLength = wholePutLength();
      if (recordsOnly(putLength)) {
        return handle();
      }
      if (!smallChunkWrite(putLength)) {
        return Request::handle;
      }
      long t0 = System.nanoTime();
      try {
        return handle();
      } finally {
        long t1 = System.nanoTime();
        writePace.took(t1 - t0, t1);
      }
    }

    /**
     * True when this request reads or writes records and nothing else; {@code putLength} is that of
     * {@link #wholePutLength}.
     */
    private boolean recordsOnly(long putLength) {
      if (ON_EVENT_LOOP.contains(route.operation())) {
        return inlineReads.getAsBoolean();
      }
      return putLength >= 0 && putLength <= inlineLimit && inlineWrites.getAsBoolean();
    }

    /**
     * True for a PutObject whose body came whole and goes to one chunk of at most {@link
     * #WRITE_HERE_MAX} bytes ({@code putLength}), where records may be written here, while such
     * writes stay fast: the chunk file is written here too (DESIGN.md section 10, "Small PUTs
     * commit on the event loop").
     */
    private boolean smallChunkWrite(long putLength) {
      return putLength > inlineLimit
          && putLength <= WRITE_HERE_MAX
          && inlineWrites.getAsBoolean()
          && writePace.allowed(System.nanoTime());
    }

    /** The declared length of a PutObject whose body is whole, else -1. */
    private long wholePutLength() {
      if (route.operation() != S3Operation.PUT_OBJECT || !ex.bodyComplete()) {
        return -1;
      }
      return ex.declaredObjectLength().orElse(-1);
    }

    /** Authenticates and runs the handler, which may leave the rest of its work to a worker. */
    Step handle() throws Exception {
      if (route.operation() == S3Operation.CORS_PREFLIGHT) {
        // Browsers send preflights unsigned: answered from the bucket's CORS rules alone.
        new CorsPreflight(buckets).answer(ex, route);
        return null;
      }
      ex = CorsExchange.wrap(ex, buckets, route);
      // A client's key (SSE-C) only over TLS or from loopback, whatever the operation does with it.
      CustomerKeys.refuseInTheClear(ex);
      if (route.operation() == S3Operation.POST_OBJECT) {
        // A browser form carries its signature in its fields: the handler authenticates it.
        String signer = postObject.handle(ex, route);
        accessKey = signer == null ? accessKey : signer;
        return null;
      }
      Authenticated auth =
          authenticator.authenticate(
              new RequestHead(ex.method(), ex.rawPath(), ex.rawQuery(), ex.headers()));
      if (auth.isAnonymous()) {
        // Public buckets allow a few reads; the handler checks the bucket's flag.
        if (!BucketAccess.ANONYMOUS.contains(route.operation())) {
          // S3 says that a bucket is missing before who may use it (but creating one needs a
          // signature whatever the name).
          if (route.bucket() != null
              && route.operation() != S3Operation.CREATE_BUCKET
              && buckets.find(route.bucket()).isEmpty()) {
            throw new S3ErrorException(S3ErrorCode.NO_SUCH_BUCKET);
          }
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
      Call call = new Call(ex, route, auth);
      h.handle(call);
      Call.Rest rest = call.takeRest();
      return rest == null
          ? null
          : r -> {
            rest.run();
            return null;
          };
    }

    private void finished() {
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
