package dev.llmstack.kuberig;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.Lock;

/**
 * The store's watches, in place of the mock's own {@code WatchEventsListener}s, with the same rules (a watch opens
 * with every matching object as ADDED, then gets each change as ADDED, MODIFIED or DELETED; resourceVersion is not
 * read) but safe to close while writes go on. The mock's listener stops its sending thread before it leaves the list
 * of watches, and a write reaching it in between failed with a RejectedExecutionException: a client's create was
 * stored but answered 500, a garbage-collector sweep stopped halfway, later watches missed the change. Seen once in
 * four test classes since the garbage collector, the namespace controller and the simulator write in the background
 * while tests close their informers. Here a watch leaves the list before anything of it is closed, is listed only
 * once its WebSocket is open, and sends on the writer's thread (vert.x queues the frame).
 */
final class Watches {

  private final Set<Watch> open = new CopyOnWriteArraySet<>();
  private final Lock writes;
  private final Map<AttributeSet, String> objects;

  /**
   * @param writes held by every write of the store: a watch lists the objects and joins under it, so that no change
   *     falls between its first objects and its events
   * @param objects the store's objects by key
   */
  Watches(Lock writes, Map<AttributeSet, String> objects) {
    this.writes = writes;
    this.objects = objects;
  }

  /** The upgrade answer of a watch of the objects whose keys match {@code query}. */
  MockResponse watch(AttributeSet query) {
    return new MockResponse().withWebSocketUpgrade(new Watch(query));
  }

  /** A stored object changed (either side null: created, deleted); called by the writer, with the store's lock. */
  void changed(AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    for (Watch w : open) {
      final boolean before = oldKey != null && oldKey.matches(w.query);
      final boolean after = newKey != null && newKey.matches(w.query);
      if (before && after) {
        w.send("MODIFIED", newState);
      } else if (before) {
        w.send("DELETED", oldState);
      } else if (after) {
        w.send("ADDED", newState);
      }
    }
  }

  private final class Watch extends WebSocketListener {
    private final AttributeSet query;
    private volatile WebSocket socket;

    Watch(AttributeSet query) {
      this.query = query;
    }

    void send(String type, String object) {
      socket.send("{\"type\":\"" + type + "\",\"object\":" + object + "}");
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      writes.lock();
      try {
        socket = webSocket;
        final ArrayList<Map.Entry<AttributeSet, String>> now;
        synchronized (objects) {
          now = new ArrayList<>(objects.entrySet());
        }
        for (Map.Entry<AttributeSet, String> e : now) {
          if (e.getKey().matches(query)) {
            send("ADDED", e.getValue());
          }
        }
        open.add(this);
      } finally {
        writes.unlock();
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      open.remove(this);
      webSocket.close(code, reason); // answer the client's close
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      open.remove(this);
      webSocket.close(code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      open.remove(this);
      webSocket.close(1000, String.valueOf(error.getMessage()));
    }
  }
}
