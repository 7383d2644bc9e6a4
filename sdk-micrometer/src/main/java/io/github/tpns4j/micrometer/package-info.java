/**
 * {@link io.github.tpns4j.micrometer.TpnsMicrometerListener}: a {@code TpnsEventListener} that
 * records what a {@code TpnsClient} does into a Micrometer {@code MeterRegistry}. Nullness:
 * arguments are never null.
 */
package io.github.tpns4j.micrometer;
