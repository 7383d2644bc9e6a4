package io.github.tpns4j.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}, {@code 2d}, or ISO-8601 ({@code PT1H}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)");

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
        case "min":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      if (!d.isNegative()) {
        return d;
      }
    } catch (RuntimeException e) {
      // below
    }
    throw new CommandLine.TypeConversionException(
        "\"" + value + "\" is not a duration: write 500ms, 2s, 10m, 1h, 2d or PT1H");
  }
}
