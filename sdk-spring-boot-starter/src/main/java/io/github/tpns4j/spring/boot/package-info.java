/**
 * Spring Boot auto-configuration for tpns4j: {@link
 * io.github.tpns4j.spring.boot.TpnsAutoConfiguration} and its {@code tpns.*} {@link
 * io.github.tpns4j.spring.boot.TpnsProperties}. Nullness: unset properties are null.
 */
package io.github.tpns4j.spring.boot;
