package io.github.tpns4j.spring.boot;

import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;
import org.springframework.context.annotation.Bean;

/** The snippet of docs/spring-boot.md, compiled on every build so that it stays true. Not run. */
final class SpringBootGuideSnippets {
  @Bean
  TpnsClientBuilderCustomizer tpnsHttp(OkHttpClient http, Executor appExecutor) {
    return builder -> builder.okHttpClient(http).callbackExecutor(appExecutor);
  }
}
