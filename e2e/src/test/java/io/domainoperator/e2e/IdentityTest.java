package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.Identity;

class IdentityTest {

    @Test
    void serviceAccountHasTheUserAndGroupsThePodWouldHave() {
        Identity agent = Identity.serviceAccount("domain-operator/agent");

        assertThat(agent.user()).isEqualTo("system:serviceaccount:domain-operator:agent");
        assertThat(agent.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:domain-operator");
        assertThat(agent.slug()).isEqualTo("system-serviceaccount-domain-operator-agent");
    }

    @Test
    void malformedServiceAccountNamesTheExpectedForm() {
        assertThatThrownBy(() -> Identity.serviceAccount("agent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace/name");
        assertThatThrownBy(() -> Identity.serviceAccount("ns/"))
                .hasMessageContaining("namespace/name");
    }

    @Test
    void userWithCommaIsRefusedAsItWouldBreakTheTokenFile() {
        assertThatThrownBy(() -> new Identity("a,b", List.of()))
                .hasMessageContaining("without commas");
    }
}
