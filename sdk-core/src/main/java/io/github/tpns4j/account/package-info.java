/**
 * What a user builds and reads: requests ({@link io.github.tpns4j.account.BatchOperateRequest},
 * {@link io.github.tpns4j.account.AccountQueryRequest}, {@link
 * io.github.tpns4j.account.BulkRequest}), results and values ({@link
 * io.github.tpns4j.account.Account}, {@link io.github.tpns4j.account.TokenAccounts}, {@link
 * io.github.tpns4j.account.ItemResult}). All immutable and thread-safe; requests are validated when
 * made, before any I/O, and know nothing of the wire beyond {@code toJson()}.
 *
 * <p>Nullness: arguments are never null (refused with {@code TpnsValidationException}); results
 * return empty collections, never null. The few values that may be absent say so: {@link
 * io.github.tpns4j.account.Account#accountType()} is null when no type was set, {@link
 * io.github.tpns4j.account.ItemResult#code()} is null when the answer cannot be attributed to the
 * item.
 */
package io.github.tpns4j.account;
