package io.github.tpns4j.testing;

import io.github.tpns4j.TpnsClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that gives each test (or lifecycle method) that asks for a {@link
 * FakeTpnsServer} parameter a fresh one, and for a {@link TpnsClient} parameter a client wired to
 * that fake ({@link FakeTpnsServer#clientBuilder()}), both closed when the test ends:
 *
 * <pre>{@code
 * @ExtendWith(FakeTpnsServerExtension.class)
 * class LoginTest {
 *   @Test
 *   void bindsTheUser(TpnsClient client, FakeTpnsServer tpns) {
 *     new LoginService(client).onLogin("token-1", "alice@example.com");
 *     assertThat(tpns.accountsOf("token-1")).containsExactly(Account.of("alice@example.com", 0));
 *   }
 * }
 * }</pre>
 *
 * <p>JUnit Jupiter is an optional dependency of tpns4j-testing: add {@code junit-jupiter-api} to
 * use this class.
 */
public final class FakeTpnsServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeTpnsServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == FakeTpnsServer.class || type == TpnsClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    FakeTpnsServer server =
        (FakeTpnsServer)
            store.getOrComputeIfAbsent(
                    FakeTpnsServer.class,
                    k -> {
                      FakeTpnsServer s = FakeTpnsServer.start();
                      return new Closer(s, s::close);
                    },
                    Closer.class)
                .value;
    if (parameter.getParameter().getType() == FakeTpnsServer.class) {
      return server;
    }
    return store.getOrComputeIfAbsent(
            TpnsClient.class,
            k -> {
              TpnsClient c = server.clientBuilder().build();
              return new Closer(c, c::close);
            },
            Closer.class)
        .value;
  }

  /**
   * Closes a value (the fake, the client) when JUnit closes the test's store. An {@code
   * AutoCloseable}: what JUnit 5.13 and later close (without the warning they print for a bare
   * {@code CloseableResource}). Also a {@code CloseableResource}, which is what JUnit 5.10 to 5.12
   * close; {@code close()} is idempotent, so a JUnit that honours both closes the value once.
   */
  @SuppressWarnings("deprecation")
  private static final class Closer
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    final Object value;
    private final Runnable close;

    Closer(Object value, Runnable close) {
      this.value = value;
      this.close = close;
    }

    @Override
    public void close() {
      close.run();
    }
  }
}
