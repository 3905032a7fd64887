package io.domainoperator.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingHypervisorTest {

    /** A call added to the port and not forwarded would reach the port's default through every wrapper. */
    @Test
    void overridesEveryCallOfThePort() throws Exception {
        List<String> missing = Arrays.stream(Hypervisor.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> !declaredByForwarding(m))
            .map(Method::getName).toList();
        assertEquals(List.of(), missing, "ForwardingHypervisor must forward every call of the Hypervisor port");
    }

    private static boolean declaredByForwarding(Method m) {
        try {
            ForwardingHypervisor.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
