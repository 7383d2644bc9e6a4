/**
 * The TPNS account-binding client: {@link io.github.tpns4j.TpnsClient} (thread-safe; build once
 * with {@link io.github.tpns4j.TpnsClient#builder()}, share, close at shutdown), its configuration
 * ({@link io.github.tpns4j.Region}, {@link io.github.tpns4j.AuthMode}) and the exceptions it
 * throws, all unchecked and rooted at {@link io.github.tpns4j.TpnsException}.
 *
 * <p>Nullness: no method accepts or returns null unless its documentation says so; absent values
 * are {@link java.util.Optional} or empty collections. Null arguments are refused with a {@link
 * io.github.tpns4j.TpnsValidationException}.
 *
 * <p>The engine behind the client (attempts, the retry policy, the retry timer, bulk runs) is
 * package-private and not API.
 */
package io.github.tpns4j;
