package io.domainoperator.e2e.harness.chart;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link Helm}, and disables the class with the reason and the way to get helm when it is absent
 * (disabled, not aborted in {@code @BeforeAll}: build tools then count the class as skipped).
 */
public final class HelmExtension implements ExecutionCondition, ParameterResolver {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Helm> helm = Helm.locate();
        return helm.isPresent()
                ? ConditionEvaluationResult.enabled("helm found")
                : ConditionEvaluationResult.disabled(Helm.MISSING);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Helm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return Helm.locate().orElseThrow(() -> new IllegalStateException(Helm.MISSING));
    }
}
