package dev.llmstack.docker;

import com.github.dockerjava.transport.SSLConfig;
import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context, made on first use. Without a TLS configuration docker-java's
 * HttpClient 5 transport builds that context (providers, cipher suites, the trust store: about
 * 0.1 s of a no-change build) for every client, although a unix socket never uses it. Not for plain
 * TCP: given any TLS context, the transport speaks https to a TCP daemon.
 */
final class DeferredTls {

  private DeferredTls() {}

  /** For a daemon on a unix socket: the default context, should anything ever ask for it. */
  static SSLConfig systemDefault() {
    return () -> new SSLContext(new Spi(), null, "Default") {};
  }

  private static final class Spi extends SSLContextSpi {
    private final Supplier<SSLContext> real = Suppliers.memoize(() -> {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("No default TLS context in this JVM", e);
      }
    });

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw new UnsupportedOperationException("The default TLS context is initialized already");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real.get().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real.get().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real.get().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real.get().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real.get().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real.get().getClientSessionContext();
    }
  }
}
