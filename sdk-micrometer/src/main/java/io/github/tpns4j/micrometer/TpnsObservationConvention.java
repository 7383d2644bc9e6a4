package io.github.tpns4j.micrometer;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a TPNS call. The default, {@link #DEFAULT}, names it {@value
 * #NAME} with the low-cardinality keys {@code endpoint}, {@code client}, {@code bulk}, {@code
 * result} ({@code SUCCESS}, {@code ITEM_FAILURES}, {@code FAILED}, {@code REQUEUED}) and {@code
 * error} (the exception's simple class name, or {@code none}), the same closed sets as the meters
 * of {@link TpnsMicrometerListener}. Implement it (or extend the default's keys) and give it to
 * {@link TpnsObservationListener} to change them.
 */
public interface TpnsObservationConvention extends ObservationConvention<TpnsObservationContext> {
  /** The default observation name. */
  String NAME = "tpns.client.call";

  /** The default convention. */
  TpnsObservationConvention DEFAULT = new TpnsObservationConvention() {};

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof TpnsObservationContext;
  }

  @Override
  default String getName() {
    return NAME;
  }

  @Override
  default String getContextualName(TpnsObservationContext context) {
    return "tpns " + context.endpoint().tag();
  }

  @Override
  default KeyValues getLowCardinalityKeyValues(TpnsObservationContext context) {
    return KeyValues.of(
        KeyValue.of("endpoint", context.endpoint().tag()),
        KeyValue.of("client", context.client()),
        KeyValue.of("bulk", Boolean.toString(context.bulk())),
        KeyValue.of("result", result(context)),
        KeyValue.of("error", TpnsMicrometerListener.error(context.failure())));
  }

  /** TPNS's own result of the call. */
  static String result(TpnsObservationContext context) {
    if (context.requeued()) {
      return "REQUEUED";
    }
    return TpnsMicrometerListener.result(context.retCode(), context.failure());
  }
}
