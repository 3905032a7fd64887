/**
 * Prometheus metrics ({@code domainoperator_*}, checked by {@code promtool check metrics} in the tests) and the
 * small HTTP server every process runs for {@code /metrics}, {@code /healthz} and {@code /readyz}.
 */
package io.domainoperator.controller.metrics;
