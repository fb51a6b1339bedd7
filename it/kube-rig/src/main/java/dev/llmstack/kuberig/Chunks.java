package dev.llmstack.kuberig;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;

/** Bytes a WebSocket listener queued for a socket or a process (exec stdin, port-forward data). */
final class Chunks {

  private Chunks() {}

  /** Writes the queued chunks to {@code out} in order, flushing each, until the {@code end} marker. */
  static void copy(BlockingQueue<byte[]> queue, byte[] end, OutputStream out) throws IOException, InterruptedException {
    while (true) {
      final byte[] chunk = queue.take();
      if (chunk == end) {
        return;
      }
      out.write(chunk);
      out.flush();
    }
  }
}
