/** The chart's harness: the real helm ({@link io.domainoperator.e2e.harness.chart.Helm}), rendered charts, chart files. */
package io.domainoperator.e2e.harness.chart;
