package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis (dev-redis:6379): PING in RESP over a plain socket. */
class RedisIT {

  @Test
  void answersPing() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Stack.endpoint("redisHost"), Integer.parseInt(Stack.endpoint("redisPort"))), 10_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("+PONG", in.readLine());
    }
  }
}
