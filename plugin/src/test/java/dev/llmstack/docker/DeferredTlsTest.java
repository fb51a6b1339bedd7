package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class DeferredTlsTest {

  @Test
  void whenUsedItIsTheJvmsDefaultContext() throws Exception {
    SSLContext deferred = DeferredTls.systemDefault().getSSLContext();
    SSLContext real = SSLContext.getDefault();

    assertThat(deferred.getClientSessionContext()).isSameAs(real.getClientSessionContext()); // the same context, not a copy
    assertThat(deferred.getSocketFactory()).isInstanceOf(real.getSocketFactory().getClass());
    SSLEngine engine = deferred.createSSLEngine("daemon.example", 2376);
    assertThat(engine.getPeerHost()).isEqualTo("daemon.example");
    assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder(real.createSSLEngine().getEnabledProtocols());
  }
}
