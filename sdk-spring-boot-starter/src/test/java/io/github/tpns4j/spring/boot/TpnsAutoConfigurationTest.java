package io.github.tpns4j.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tpns4j.Region;
import io.github.tpns4j.TpnsClient;
import io.github.tpns4j.TpnsException;
import io.github.tpns4j.account.Account;
import io.github.tpns4j.account.BatchOperateRequest;
import io.github.tpns4j.account.TokenAccounts;
import io.github.tpns4j.micrometer.TpnsMicrometerListener;
import io.github.tpns4j.testing.FakeTpnsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class TpnsAutoConfigurationTest {
  private FakeTpnsServer tpns;
  private ApplicationContextRunner runner;

  @BeforeEach
  void start() {
    tpns = FakeTpnsServer.start();
    runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
            .withPropertyValues(
                "tpns.access-id=" + tpns.accessId(),
                "tpns.secret-key=" + tpns.secretKey(),
                "tpns.base-url=" + tpns.baseUrl());
  }

  @AfterEach
  void stop() {
    tpns.close();
  }

  private static void bind(TpnsClient client) {
    client.batchOperate(BatchOperateRequest.overwrite(TokenAccounts.of("t1", Account.of("alice"))));
  }

  @Test
  void bindsEveryPropertyAndMakesAWorkingClient() {
    runner
        .withPropertyValues(
            "tpns.region=SINGAPORE",
            "tpns.auth-mode=BASIC",
            "tpns.connect-timeout=2s",
            "tpns.read-timeout=3s",
            "tpns.call-timeout=4s",
            "tpns.max-retries=5",
            "tpns.retry-backoff-initial=0ms",
            "tpns.retry-backoff-max=1s")
        .run(
            context -> {
              TpnsProperties p = context.getBean(TpnsProperties.class);
              assertThat(p.getRegion()).isEqualTo(Region.SINGAPORE);
              assertThat(p.getCallTimeout()).hasSeconds(4);
              assertThat(p.getMaxRetries()).isEqualTo(5);
              bind(context.getBean(TpnsClient.class));
              assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("alice", 0));
            });
  }

  @Test
  void makesNoClientWithoutAnAccessId() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(TpnsClient.class));
  }

  @Test
  void aBlankAccessIdBacksOffAsTheUsualEnvironmentPlaceholderGivesIt() {
    // tpns.access-id=${TPNS_ACCESS_ID:} with the variable unset
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .withPropertyValues("tpns.access-id=", "tpns.secret-key=")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(TpnsClient.class);
            });
  }

  @Test
  void aBlankAccessIdFailsNamingThePropertyWhenAClientIsRequired() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .withPropertyValues("tpns.enabled=true", "tpns.access-id=  ")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("tpns.access-id is blank")
                    .hasMessageContaining("TPNS_ACCESS_ID"));
    runner
        .withPropertyValues("tpns.secret-key=")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("tpns.secret-key is blank")
                    .hasMessageNotContaining(tpns.secretKey()));
  }

  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    static final java.util.List<String> CALLED =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Bean
    @org.springframework.core.annotation.Order(2)
    TpnsClientBuilderCustomizer second(FakeTpnsServer fake) {
      return b -> {
        CALLED.add("second");
        b.baseUrl(fake.baseUrl()); // applied last: the client reaches the fake
      };
    }

    @Bean
    @org.springframework.core.annotation.Order(1)
    TpnsClientBuilderCustomizer first() {
      return b -> {
        CALLED.add("first");
        b.baseUrl("http://127.0.0.1:9/").maxRetries(0);
      };
    }
  }

  @Test
  void appliesEveryCustomizerInOrderAfterTheProperties() {
    Customizers.CALLED.clear();
    runner
        .withBean(FakeTpnsServer.class, () -> tpns, d -> d.setDestroyMethodName(""))
        .withUserConfiguration(Customizers.class)
        .withPropertyValues("tpns.base-url=http://127.0.0.1:9/")
        .run(
            context -> {
              assertThat(Customizers.CALLED).containsExactly("first", "second");
              bind(context.getBean(TpnsClient.class));
              assertThat(tpns.accountsOf("t1")).containsExactly(Account.of("alice", 0));
            });
  }

  @Test
  void aBackoffMaxAloneBelowTheDefaultInitialIsAccepted() {
    runner
        .withPropertyValues("tpns.retry-backoff-max=100ms")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TpnsClient.class));
    runner
        .withPropertyValues("tpns.retry-backoff-initial=8s")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TpnsClient.class));
  }

  @Test
  void theMetadataShowsCoresDefaults() throws Exception {
    com.fasterxml.jackson.databind.JsonNode metadata;
    try (java.io.InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    }
    java.util.Map<String, String> defaults = new java.util.HashMap<>();
    metadata
        .get("properties")
        .forEach(
            p -> {
              if (p.has("defaultValue")) {
                defaults.put(p.get("name").asText(), p.get("defaultValue").asText());
              }
            });
    java.util.function.Function<String, java.time.Duration> d =
        k -> org.springframework.boot.convert.DurationStyle.detectAndParse(defaults.get(k));
    assertThat(d.apply("tpns.connect-timeout"))
        .isEqualTo(TpnsClient.Builder.DEFAULT_CONNECT_TIMEOUT);
    assertThat(d.apply("tpns.read-timeout")).isEqualTo(TpnsClient.Builder.DEFAULT_READ_TIMEOUT);
    assertThat(d.apply("tpns.call-timeout")).isZero();
    assertThat(d.apply("tpns.call-deadline")).isEqualTo(TpnsClient.Builder.DEFAULT_CALL_DEADLINE);
    assertThat(d.apply("tpns.retry-backoff-initial"))
        .isEqualTo(TpnsClient.Builder.DEFAULT_RETRY_BACKOFF_INITIAL);
    assertThat(d.apply("tpns.retry-backoff-max"))
        .isEqualTo(TpnsClient.Builder.DEFAULT_RETRY_BACKOFF_MAX);
    assertThat(Integer.parseInt(defaults.get("tpns.max-retries")))
        .isEqualTo(TpnsClient.Builder.DEFAULT_MAX_RETRIES);
    assertThat(defaults.get("tpns.region"))
        .isEqualToIgnoringCase(TpnsClient.Builder.DEFAULT_REGION.name());
    assertThat(defaults.get("tpns.auth-mode"))
        .isEqualToIgnoringCase(TpnsClient.Builder.DEFAULT_AUTH_MODE.name());
    // and the conditions, so that Boot filters the auto-configuration without loading it
    java.util.Properties conditions = new java.util.Properties();
    try (java.io.InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-autoconfigure-metadata.properties")) {
      assertThat(in).isNotNull();
      conditions.load(in);
    }
    assertThat(
            conditions.getProperty(TpnsAutoConfiguration.class.getName() + ".ConditionalOnClass"))
        .isEqualTo(TpnsClient.class.getName());
  }

  @Test
  void severalListenerBeansAreEachToldEveryKindOfEvent() throws Exception {
    // A kind of event the composite does not forward would be lost for every listener bean (the
    // Micrometer gauge follows bulk runs from their start to their end).
    for (java.lang.reflect.Method m : io.github.tpns4j.TpnsEventListener.class.getMethods()) {
      if (m.isDefault()) {
        assertThat(
                TpnsAutoConfiguration.CompositeListener.class
                    .getDeclaredMethod(m.getName(), m.getParameterTypes())
                    .getDeclaringClass())
            .as(m.getName())
            .isEqualTo(TpnsAutoConfiguration.CompositeListener.class);
      }
    }
  }

  @Test
  void observesEachCallWhenTheAppHasAnObservationRegistry() {
    io.micrometer.observation.tck.TestObservationRegistry observations =
        io.micrometer.observation.tck.TestObservationRegistry.create();
    runner
        .withBean(
            io.micrometer.observation.ObservationRegistry.class,
            () -> observations,
            d -> d.setDestroyMethodName(""))
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(io.github.tpns4j.micrometer.TpnsObservationListener.class);
              bind(context.getBean(TpnsClient.class));
            });
    io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasNameEqualTo(io.github.tpns4j.micrometer.TpnsObservationConvention.NAME)
        .hasLowCardinalityKeyValue("client", tpns.accessId())
        .hasLowCardinalityKeyValue("result", "SUCCESS")
        .hasBeenStopped();
  }

  @Test
  void badPropertiesFailTheStartWithTheBuildersMessage() {
    runner
        .withPropertyValues("tpns.read-timeout=500us")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasRootCauseInstanceOf(TpnsException.class)
                    .rootCause()
                    .hasMessageContaining("readTimeout"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnClient {
    @Bean
    TpnsClient myClient() {
      return TpnsClient.builder().accessId("1").secretKey("mine").build();
    }
  }

  @Test
  void backsOffWhenTheAppDefinesItsOwnClient() {
    runner
        .withUserConfiguration(OwnClient.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(TpnsClient.class);
              assertThat(context.getBean(TpnsClient.class)).isSameAs(context.getBean("myClient"));
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void recordsMetricsWhenTheAppHasAMeterRegistry() {
    runner
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(TpnsMicrometerListener.class);
              bind(context.getBean(TpnsClient.class));
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get(TpnsMicrometerListener.REQUESTS)
                          .tags("endpoint", "batchoperate", "outcome", "SUCCESS")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void bindsNoMetricsWithoutARegistryOrWithoutMicrometer() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(TpnsMicrometerListener.class);
          // and no observations without an ObservationRegistry
          assertThat(context)
              .doesNotHaveBean(io.github.tpns4j.micrometer.TpnsObservationListener.class);
        });
    runner
        .withUserConfiguration(Registry.class)
        .withClassLoader(new FilteredClassLoader(TpnsMicrometerListener.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(TpnsMicrometerListener.class);
              bind(context.getBean(TpnsClient.class)); // the client works without metrics
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class SharedHttp {
    static final AtomicInteger seen = new AtomicInteger();

    @Bean
    OkHttpClient sharedHttp() {
      return new OkHttpClient.Builder()
          .addInterceptor(
              chain -> {
                seen.incrementAndGet();
                return chain.proceed(chain.request());
              })
          .build();
    }
  }

  @Test
  void usesTheOkHttpClientBeanTheAppNames() {
    SharedHttp.seen.set(0);
    runner
        .withUserConfiguration(SharedHttp.class)
        .withPropertyValues("tpns.ok-http-client-bean=sharedHttp")
        .run(
            context -> {
              bind(context.getBean(TpnsClient.class));
              assertThat(SharedHttp.seen.get()).isEqualTo(1);
            });
  }

  @Test
  void closesTheClientWithTheContextAndMasksTheSecret() {
    TpnsClient[] client = new TpnsClient[1];
    runner.run(
        context -> {
          client[0] = context.getBean(TpnsClient.class);
          assertThat(context.getBean(TpnsProperties.class).toString())
              .doesNotContain(tpns.secretKey())
              .contains("******");
          assertThat(client[0].toString()).doesNotContain(tpns.secretKey());
        });
    assertThatThrownBy(() -> bind(client[0]))
        .isInstanceOf(TpnsException.class)
        .hasMessageContaining("closed");
  }

  // ---- docs/spring-boot.md: its properties and YAML blocks start an app as pasted

  /** The names of the properties in the jar's configuration metadata, and the metadata. */
  private static com.fasterxml.jackson.databind.JsonNode metadata() throws java.io.IOException {
    try (java.io.InputStream in =
        TpnsAutoConfigurationTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    }
  }

  /**
   * The {@code properties} and {@code yaml} blocks of docs/spring-boot.md, loaded by Boot's own
   * loaders, as Boot loads application.properties and application.yaml.
   */
  static java.util.List<org.springframework.core.env.EnumerablePropertySource<?>> guideBlocks()
      throws java.io.IOException {
    String guide = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/spring-boot.md"));
    java.util.regex.Matcher block =
        java.util.regex.Pattern.compile("(?ms)^```(properties|yaml|yml)[ \\t]*\\n(.*?)^```")
            .matcher(guide);
    java.util.List<org.springframework.core.env.EnumerablePropertySource<?>> blocks =
        new java.util.ArrayList<>();
    for (int n = 1; block.find(); n++) {
      org.springframework.boot.env.PropertySourceLoader loader =
          block.group(1).equals("properties")
              ? new org.springframework.boot.env.PropertiesPropertySourceLoader()
              : new org.springframework.boot.env.YamlPropertySourceLoader();
      for (org.springframework.core.env.PropertySource<?> source :
          loader.load(
              "docs/spring-boot.md block " + n + " (" + block.group(1) + ")",
              new org.springframework.core.io.ByteArrayResource(
                  block.group(2).getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
        blocks.add((org.springframework.core.env.EnumerablePropertySource<?>) source);
      }
    }
    return blocks;
  }

  @Test
  void theGuidesPropertiesAndYamlBlocksStartTheAppAsPasted() throws Exception {
    java.util.List<org.springframework.core.env.EnumerablePropertySource<?>> blocks = guideBlocks();
    assertThat(blocks)
        .extracting(org.springframework.core.env.PropertySource::getName)
        .anyMatch(n -> n.contains("(properties)"))
        .anyMatch(n -> n.contains("(yaml)"));
    java.util.Set<String> known = new java.util.HashSet<>();
    metadata().get("properties").forEach(p -> known.add(p.get("name").asText()));
    for (org.springframework.core.env.EnumerablePropertySource<?> block : blocks) {
      // a misspelt key would be ignored without a word: every key is one the starter knows
      assertThat(block.getPropertyNames()).as(block.getName()).isNotEmpty();
      assertThat(known).as(block.getName()).contains(block.getPropertyNames());
      ApplicationContextRunner pasted =
          new ApplicationContextRunner()
              .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
              .withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(block));
      // TPNS_ACCESS_ID unset: the app starts, without a client, as the guide says
      pasted.run(
          context -> {
            assertThat(context).as(block.getName()).hasNotFailed();
            assertThat(context).doesNotHaveBean(TpnsClient.class);
            for (String key : block.getPropertyNames()) {
              // no comment taken into a value (".properties" has no inline comments)
              assertThat(context.getEnvironment().getProperty(key))
                  .as(block.getName() + ": " + key)
                  .doesNotContain("#");
            }
          });
      // with the variables set, the same lines build the client
      pasted
          .withInitializer(
              c ->
                  c.getEnvironment()
                      .getPropertySources()
                      .addLast(
                          new org.springframework.core.env.MapPropertySource(
                              "environment",
                              java.util.Map.of(
                                  "TPNS_ACCESS_ID",
                                  tpns.accessId(),
                                  "TPNS_SECRET_KEY",
                                  tpns.secretKey()))))
          .run(
              context -> {
                assertThat(context).as(block.getName()).hasNotFailed();
                assertThat(context).hasSingleBean(TpnsClient.class);
              });
    }
  }

  // ---- the starter with Actuator: meters and observations, nothing else to add

  /** As {@code @SpringBootApplication} has it: every auto-configuration on the class path. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class EveryAutoConfiguration {}

  @Test
  void theStarterWithActuatorRecordsMetersAndObservations() {
    new ApplicationContextRunner()
        .withUserConfiguration(EveryAutoConfiguration.class)
        .withPropertyValues(
            "tpns.access-id=" + tpns.accessId(),
            "tpns.secret-key=" + tpns.secretKey(),
            "tpns.base-url=" + tpns.baseUrl())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(TpnsMicrometerListener.class);
              assertThat(context)
                  .hasSingleBean(io.github.tpns4j.micrometer.TpnsObservationListener.class);
              bind(context.getBean(TpnsClient.class));
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get(TpnsMicrometerListener.REQUESTS)
                          .tags("client", tpns.accessId(), "outcome", "SUCCESS")
                          .timer()
                          .count())
                  .isEqualTo(1);
              // and Actuator's observation handler makes a timer of each call's observation
              assertThat(
                      registry
                          .get(io.github.tpns4j.micrometer.TpnsObservationConvention.NAME)
                          .tags("client", tpns.accessId(), "result", "SUCCESS")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void withoutMicrometerCoreTheClientWorksWithoutMetrics() {
    // Actuator brings micrometer-core; without it, no MeterRegistry: the starter still starts.
    runner
        .withUserConfiguration(EveryAutoConfiguration.class)
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(TpnsMicrometerListener.class);
              bind(context.getBean(TpnsClient.class));
            });
  }

  @Test
  void withoutMicrometerCoreOnTheClassPathAtAllTheStarterStillWorks() throws Exception {
    // A real class path without micrometer-core (the starter without Actuator: spring-context
    // brings micrometer-observation only), not a filter over classes already loaded.
    java.util.List<java.net.URL> urls = new java.util.ArrayList<>();
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null) {
      classPath = System.getProperty("java.class.path");
    }
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      if (!java.nio.file.Path.of(entry).getFileName().toString().startsWith("micrometer-core")) {
        urls.add(java.nio.file.Path.of(entry).toUri().toURL());
      }
    }
    try (java.net.URLClassLoader withoutCore =
        new java.net.URLClassLoader(
            urls.toArray(new java.net.URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThat(
              org.springframework.util.ClassUtils.isPresent(
                  "io.micrometer.core.instrument.MeterRegistry", withoutCore))
          .isFalse();
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(withoutCore);
      try {
        @SuppressWarnings("unchecked")
        java.util.function.Supplier<String> check =
            (java.util.function.Supplier<String>)
                withoutCore
                    .loadClass(WithoutMicrometerCore.class.getName())
                    .getDeclaredConstructor()
                    .newInstance();
        assertThat(check.get()).isEqualTo("observed without micrometer-core");
      } finally {
        thread.setContextClassLoader(before);
      }
    }
  }

  // ---- backing off says why; a required client that cannot be built says what to do

  private static long count(String output, String regex) {
    return java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.MULTILINE)
        .matcher(output)
        .results()
        .count();
  }

  @Test
  void aBlankAccessIdLogsOneInfoLineNamingThePropertyAndTheReportSaysWhy(CapturedOutput output) {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .withUserConfiguration(Registry.class) // the metrics configuration backs off too
        .withPropertyValues("tpns.access-id=", "tpns.secret-key=s3cr3t-value")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(TpnsClient.class);
              assertThat(
                      ConditionEvaluationReport.get(context.getBeanFactory())
                          .getConditionAndOutcomesBySource()
                          .get(TpnsAutoConfiguration.class.getName() + "#tpnsClient"))
                  .anySatisfy(
                      c ->
                          assertThat(c.getOutcome().getMessage())
                              .contains("tpns.access-id is blank")
                              .contains("set tpns.access-id"));
            });
    assertThat(count(output.getOut(), "^INFO .*tpns\\.access-id is blank.*Set tpns\\.access-id"))
        .as(output.getOut())
        .isEqualTo(1);
    assertThat(output.getAll()).doesNotContain("s3cr3t-value");
  }

  @Test
  void noAccessIdAtAllLogsTheLineTooAndAClientOrTheAppsOwnLogsNone(CapturedOutput output) {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TpnsClient.class));
    assertThat(count(output.getOut(), "^INFO .*tpns\\.access-id is not set.*Set tpns\\.access-id"))
        .isEqualTo(1);
    runner.run(context -> assertThat(context).hasSingleBean(TpnsClient.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TpnsAutoConfiguration.class))
        .withUserConfiguration(OwnClient.class)
        .run(context -> assertThat(context).hasSingleBean(TpnsClient.class));
    assertThat(count(output.getOut(), "tpns\\.access-id is")).isEqualTo(1);
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(TpnsAutoConfiguration.class)
  static class App {}

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(TpnsAutoConfiguration.class)
  static class AppThatNeedsAClient {
    @Bean
    String needsClient(TpnsClient client) {
      return client.toString();
    }
  }

  /**
   * Runs a SpringApplication as {@code main} does, failure analysis included, with the test's
   * logging left as it is (Boot's logging system would reconfigure Logback for every test).
   */
  private static Throwable startApp(Class<?> app, String... args) {
    String key = org.springframework.boot.logging.LoggingSystem.SYSTEM_PROPERTY;
    String before = System.getProperty(key);
    System.setProperty(key, org.springframework.boot.logging.LoggingSystem.NONE);
    try {
      org.springframework.boot.SpringApplication application =
          new org.springframework.boot.SpringApplication(app);
      application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
      application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
      application.setLogStartupInfo(false);
      return org.assertj.core.api.Assertions.catchThrowable(() -> application.run(args).close());
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void aRequiredClientWithBlankCredentialsFailsWithADescriptionAndAnAction(CapturedOutput output) {
    assertThat(startApp(App.class, "--tpns.enabled=true", "--tpns.access-id=")).isNotNull();
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Description:")
        .containsPattern("tpns\\.access-id is blank")
        .contains("Action:")
        .containsPattern("Set tpns\\.access-id to the app's access ID")
        .doesNotContain("\tat "); // no stack trace
    assertThat(count(output.getOut(), "Description:")).isEqualTo(1);
  }

  @Test
  void aBlankSecretKeyFailsWithADescriptionAndAnActionNamingItAndNotItsValue(
      CapturedOutput output) {
    assertThat(
            startApp(
                App.class,
                "--tpns.access-id=" + tpns.accessId(),
                "--tpns.secret-key= ",
                "--tpns.base-url=" + tpns.baseUrl()))
        .isNotNull();
    assertThat(output.getOut())
        .contains("Description:")
        .contains("tpns.secret-key is blank")
        .contains("Action:")
        .contains("Set tpns.secret-key to the app's secret key")
        .doesNotContain("\tat ");
  }

  @Test
  void aServiceThatNeedsTheClientIsToldWhyThereIsNone(CapturedOutput output) {
    assertThat(startApp(AppThatNeedsAClient.class, "--tpns.access-id=")).isNotNull();
    // not Spring's bare "Consider defining a bean of type": why there is none, and what to set
    assertThat(output.getOut())
        .contains("Description:")
        .containsPattern(
            "required a bean of type 'io.github.tpns4j.TpnsClient' that could not be found:"
                + " .* because tpns.access-id is blank")
        .contains("Action:")
        .contains("Set tpns.access-id and tpns.secret-key to the app's access ID")
        .doesNotContain("Consider defining a bean");
    assertThat(count(output.getOut(), "^INFO .*tpns\\.access-id is blank")).isEqualTo(1);
  }

  // ---- meters keep their series; closing removes the gauge

  @Test
  void aRegistrySharedBetweenContextsKeepsOneSeriesAndClosingRemovesTheGauge() {
    SimpleMeterRegistry shared = new SimpleMeterRegistry();
    ApplicationContextRunner withShared =
        runner.withBean(MeterRegistry.class, () -> shared, d -> d.setDestroyMethodName(""));
    java.util.function.Supplier<io.micrometer.core.instrument.Gauge> gauge =
        () ->
            shared
                .find(TpnsMicrometerListener.BULK_CALLS_ALLOWED)
                .tags("client", tpns.accessId())
                .gauge();
    withShared.run(
        first -> {
          bind(first.getBean(TpnsClient.class));
          assertThat(gauge.get()).isNotNull();
          // a second context on the same registry while the first runs: the same series
          withShared.run(second -> bind(second.getBean(TpnsClient.class)));
          assertThat(gauge.get()).as("still the first context's").isNotNull();
        });
    assertThat(gauge.get()).as("removed when the client's context closed").isNull();
    // the client built again (a refresh, the next test) finds the same series
    withShared.run(
        again -> {
          bind(again.getBean(TpnsClient.class));
          assertThat(gauge.get()).isNotNull();
        });
    assertThat(
            shared
                .get(TpnsMicrometerListener.REQUESTS)
                .tags("client", tpns.accessId(), "outcome", "SUCCESS")
                .timer()
                .count())
        .isEqualTo(3);
    assertThat(shared.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("client")).isEqualTo(tpns.accessId()));
  }

  @Test
  void theOkHttpClientBeanPropertyIsDeprecatedForTheCustomizer() throws Exception {
    com.fasterxml.jackson.databind.JsonNode property = null;
    for (com.fasterxml.jackson.databind.JsonNode p : metadata().get("properties")) {
      if (p.get("name").asText().equals("tpns.ok-http-client-bean")) {
        property = p;
      }
    }
    assertThat(property).isNotNull();
    assertThat(property.path("deprecated").asBoolean()).isTrue();
    assertThat(property.path("deprecation").path("reason").asText())
        .contains("TpnsClientBuilderCustomizer");
  }
}
