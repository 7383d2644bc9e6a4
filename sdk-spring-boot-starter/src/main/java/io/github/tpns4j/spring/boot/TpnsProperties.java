package io.github.tpns4j.spring.boot;

import io.github.tpns4j.AuthMode;
import io.github.tpns4j.Region;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * The {@code tpns.*} properties: every setting of {@code TpnsClient.Builder}. A {@code TpnsClient}
 * bean is made when {@code tpns.access-id} has text (or {@code tpns.enabled=true}). Unset values
 * keep the builder's defaults, the constants of {@code TpnsClient.Builder} (shown to IDEs by this
 * jar's configuration metadata); timeouts left unset keep those of a shared {@code OkHttpClient}.
 */
@ConfigurationProperties("tpns")
public class TpnsProperties {
  /**
   * Whether a TpnsClient is required: true fails start-up when tpns.access-id is blank; unset, a
   * blank access ID starts the app without a client.
   */
  private Boolean enabled;

  /** The app's access ID from the TPNS console, e.g. 1500001048. */
  private String accessId;

  /** The app's secret key from the TPNS console. Never logged; masked by the actuator. */
  private String secretKey;

  /** The app's service access point: GUANGZHOU (default), SHANGHAI, HONG_KONG, SINGAPORE. */
  private Region region;

  /** A base URL to use instead of the region's (a proxy, a gateway, a fake server). */
  private String baseUrl;

  /** SIGNATURE (default, recommended) or BASIC. */
  private AuthMode authMode;

  /** Time allowed to connect, per attempt; default 10s; 0 for none. */
  private Duration connectTimeout;

  /** Time allowed between bytes of the answer, per attempt; default 10s; 0 for none. */
  private Duration readTimeout;

  /** Time allowed for one whole attempt; default none. */
  private Duration callTimeout;

  /** The longest one call may take, every attempt and wait included; default 30s; 0 for none. */
  private Duration callDeadline;

  /** How many times a retryable failure is retried; default 2; 0 for one attempt only. */
  private Integer maxRetries;

  /** First backoff between retries, doubling per retry; default 200ms; 0 retries at once. */
  private Duration retryBackoffInitial;

  /** Largest backoff between retries; default 5s. */
  private Duration retryBackoffMax;

  /**
   * The name of an {@code okhttp3.OkHttpClient} bean whose connection pool and dispatcher the
   * client should share. Default none: the client makes its own. Deprecated: declare a {@code
   * TpnsClientBuilderCustomizer} bean, which takes the OkHttpClient itself.
   */
  private String okHttpClientBean;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getCallDeadline() {
    return callDeadline;
  }

  public void setCallDeadline(Duration callDeadline) {
    this.callDeadline = callDeadline;
  }

  public String getAccessId() {
    return accessId;
  }

  public void setAccessId(String accessId) {
    this.accessId = accessId;
  }

  public String getSecretKey() {
    return secretKey;
  }

  public void setSecretKey(String secretKey) {
    this.secretKey = secretKey;
  }

  public Region getRegion() {
    return region;
  }

  public void setRegion(Region region) {
    this.region = region;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public AuthMode getAuthMode() {
    return authMode;
  }

  public void setAuthMode(AuthMode authMode) {
    this.authMode = authMode;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getReadTimeout() {
    return readTimeout;
  }

  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  public Duration getCallTimeout() {
    return callTimeout;
  }

  public void setCallTimeout(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  public Integer getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  public Duration getRetryBackoffInitial() {
    return retryBackoffInitial;
  }

  public void setRetryBackoffInitial(Duration retryBackoffInitial) {
    this.retryBackoffInitial = retryBackoffInitial;
  }

  public Duration getRetryBackoffMax() {
    return retryBackoffMax;
  }

  public void setRetryBackoffMax(Duration retryBackoffMax) {
    this.retryBackoffMax = retryBackoffMax;
  }

  /**
   * Still honoured; the customizer is the way forward.
   *
   * @return the bean name, or null
   */
  @DeprecatedConfigurationProperty(
      reason =
          "Declare a TpnsClientBuilderCustomizer bean instead, e.g. TpnsClientBuilderCustomizer"
              + " tpnsHttp(OkHttpClient http) { return builder -> builder.okHttpClient(http); }")
  public String getOkHttpClientBean() {
    return okHttpClientBean;
  }

  public void setOkHttpClientBean(String okHttpClientBean) {
    this.okHttpClientBean = okHttpClientBean;
  }

  @Override
  public String toString() {
    return "TpnsProperties{accessId="
        + accessId
        + ", secretKey="
        + (secretKey == null ? "null" : "******")
        + ", region="
        + region
        + ", baseUrl="
        + baseUrl
        + ", authMode="
        + authMode
        + "}";
  }
}
