package dev.llmstack.maven;

import dev.llmstack.hub.StackHub;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.apache.maven.execution.ExecutionListener;

/**
 * Maven's execution listener with one addition: when the session ends, the build's hub closes (its
 * forwards stop). Maven fires each event to the listener its request holds at that moment. A proxy
 * rather than a class: every other event, of any Maven version, goes to the original listener.
 */
final class ClosingListener {

  private ClosingListener() {}

  static ExecutionListener around(ExecutionListener delegate, StackHub hub) {
    return (ExecutionListener) Proxy.newProxyInstance(ClosingListener.class.getClassLoader(), new Class<?>[] {ExecutionListener.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "ClosingListener(" + delegate + ")";
          }
          try {
            if (method.getName().equals("sessionEnded")) {
              hub.close();
            }
            return delegate == null ? null : method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
