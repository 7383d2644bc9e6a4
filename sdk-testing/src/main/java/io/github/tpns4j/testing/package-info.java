/**
 * {@link io.github.tpns4j.testing.FakeTpnsServer}, a stateful TPNS stand-in on loopback for users'
 * tests, its scripted {@link io.github.tpns4j.testing.FakeFailure}s, and a JUnit Jupiter extension.
 * Thread-safe. Nullness: arguments are never null; results are never null.
 */
package io.github.tpns4j.testing;
