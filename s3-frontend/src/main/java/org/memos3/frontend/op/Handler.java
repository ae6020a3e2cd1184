package org.memos3.frontend.op;

/** The handler of one S3 action. Runs on a worker thread; may block on the grid. */
@FunctionalInterface
public interface Handler {
  void handle(Call call) throws Exception;
}
