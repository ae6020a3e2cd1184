package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * An exchange that passes every call on to another one; subclasses change what they need (the
 * response headers of a cross-origin request, the fields of a form seen as headers).
 */
abstract class ForwardingExchange implements S3Exchange {
  protected final S3Exchange ex;

  ForwardingExchange(S3Exchange ex) {
    this.ex = ex;
  }

  @Override
  public String requestId() {
    return ex.requestId();
  }

  @Override
  public String method() {
    return ex.method();
  }

  @Override
  public boolean secure() {
    return ex.secure();
  }

  @Override
  public java.util.Optional<String> transportHeader(String lowerName) {
    return ex.transportHeader(lowerName);
  }

  @Override
  public String remoteAddress() {
    return ex.remoteAddress();
  }

  @Override
  public boolean onEventLoop() {
    return ex.onEventLoop();
  }

  @Override
  public void offload(Runnable task) {
    ex.offload(task);
  }

  @Override
  public String rawPath() {
    return ex.rawPath();
  }

  @Override
  public String rawQuery() {
    return ex.rawQuery();
  }

  @Override
  public Map<String, List<String>> headers() {
    return ex.headers();
  }

  @Override
  public InputStream body() {
    return ex.body();
  }

  @Override
  public boolean bodyComplete() {
    return ex.bodyComplete();
  }

  @Override
  public void sendContinue() {
    ex.sendContinue();
  }

  @Override
  public int status() {
    return ex.status();
  }

  @Override
  public void respond(int status, Map<String, String> headers, byte[] body) {
    ex.respond(status, headers, body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    ex.startStream(status, headers);
  }

  @Override
  public void write(byte[] b, int off, int len, Runnable release) throws IOException {
    ex.write(b, off, len, release);
  }

  @Override
  public void endStream() {
    ex.endStream();
  }

  @Override
  public void abort() {
    ex.abort();
  }
}
