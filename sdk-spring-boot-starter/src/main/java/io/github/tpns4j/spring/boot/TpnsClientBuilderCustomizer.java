package io.github.tpns4j.spring.boot;

import io.github.tpns4j.TpnsClient;

/**
 * Customizes the {@link TpnsClient.Builder} of the auto-configured client, after the {@code tpns.*}
 * properties are applied: the Spring Boot idiom of {@code RestClientCustomizer}. Every bean of this
 * type is applied, in {@code @Order} (or {@code Ordered}) order. Use it for what properties cannot
 * say: a shared {@code OkHttpClient}, an event listener, a callback executor, any later builder
 * option.
 *
 * <pre>{@code
 * @Bean
 * TpnsClientBuilderCustomizer sharedHttp(OkHttpClient http, Executor appExecutor) {
 *   return builder -> builder.okHttpClient(http).callbackExecutor(appExecutor);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TpnsClientBuilderCustomizer {
  /** Changes {@code builder} before the client is built. */
  void customize(TpnsClient.Builder builder);
}
