package io.github.tpns4j;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/** What one logical call sends and how an accepted answer becomes its result. Immutable. */
final class CallSpec<T> {
  private static final MediaType JSON = MediaType.get("application/json");

  final HttpUrl url;
  final String name;
  final TpnsEventListener.Endpoint endpoint;
  final byte[] bytes;
  final RequestBody body;

  /** A query's keys in request order, which its answer names in that order; null for a write. */
  final List<String> answerKeys;

  final Function<Answer, T> toResult;
  final ToIntFunction<T> retCodeOf;

  CallSpec(
      HttpUrl url,
      String name,
      TpnsEventListener.Endpoint endpoint,
      String json,
      List<String> answerKeys,
      Function<Answer, T> toResult,
      ToIntFunction<T> retCodeOf) {
    this.url = url;
    this.name = name;
    this.endpoint = endpoint;
    this.bytes = json.getBytes(StandardCharsets.UTF_8);
    this.body = RequestBody.create(bytes, JSON);
    this.answerKeys = answerKeys;
    this.toResult = toResult;
    this.retCodeOf = retCodeOf;
  }
}
