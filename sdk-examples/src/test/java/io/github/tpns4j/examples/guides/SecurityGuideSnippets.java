package io.github.tpns4j.examples.guides;

import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;

/** The snippet of docs/security.md, compiled on every build so that it stays true. Not run. */
final class SecurityGuideSnippets {
  private SecurityGuideSnippets() {}

  static OkHttpClient loggingWithoutCredentials() {
    HttpLoggingInterceptor logging = new HttpLoggingInterceptor();
    logging.redactHeader("Sign");
    logging.redactHeader("Authorization");
    return new OkHttpClient.Builder().addInterceptor(logging).build();
  }
}
