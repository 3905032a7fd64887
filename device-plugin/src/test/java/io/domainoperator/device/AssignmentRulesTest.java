package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules as a table: type, usage, keepInHost, ifname, knob -> refusal and home. */
class AssignmentRulesTest {

    @ParameterizedTest(name = "{0} usage={1} keepInHost={2} ifname={3} usbDebug={4} -> {5}, {6}")
    @CsvSource(nullValues = "-", value = {
        // type,        usage,  keep,  ifname, usbDebug, refusal,          home
        "NetEth,        -,      false, eth1,   false,    -,                PASSTHROUGH",
        "NetEth,        -,      false, eth0,   false,    MANAGEMENT_PORT,  HOST",
        "NetEth,        Dom0,   false, eth1,   false,    USAGE_DOM0,       HOST",
        "NetEth,        Shared, false, eth1,   false,    -,                HOST",
        "NetEth,        App,    true,  eth1,   false,    KEEP_IN_HOST,     HOST",
        "NetWLAN,       -,      false, wlan0,  false,    WIRELESS,         HOST",
        "NetWWAN,       -,      false, wwan0,  false,    WIRELESS,         HOST",
        "USBController, -,      false, -,      false,    -,                PASSTHROUGH",
        "USBController, -,      false, -,      true,     -,                HOST",
        "USBController, -,      true,  -,      false,    KEEP_IN_HOST,     HOST",
        "HDMI,          -,      false, -,      false,    -,                HOST",
        "Audio,         App,    false, -,      false,    -,                HOST",
        "Com,           Dom0,   false, -,      false,    USAGE_DOM0,       HOST",
    })
    void refusalAndHome(AdapterType type, AdapterUsage usage, boolean keepInHost, String ifname, boolean usbDebug,
                        Refusal.Rule refusal, AssignmentRules.Home home) {
        PhysicalIOAdapterSpec spec = new PhysicalIOAdapterSpec();
        spec.setNodeName("node1");
        spec.setType(type);
        spec.setUsage(usage);
        spec.setKeepInHost(keepInHost);
        spec.setPciAddress("0000:03:00.0");
        spec.setIfname(ifname);
        PhysicalIOAdapter adapter = new PhysicalIOAdapter();
        adapter.setMetadata(new ObjectMetaBuilder().withName("node1-pci-0000-03-00.0").build());
        adapter.setSpec(spec);
        HostPolicy policy = new HostPolicy(Set.of("eth0"), usbDebug);

        assertThat(AssignmentRules.refusal(adapter, null, policy).map(Refusal::rule).orElse(null)).isEqualTo(refusal);
        assertThat(AssignmentRules.home(adapter, null, policy)).isEqualTo(home);
    }

    @ParameterizedTest(name = "live ifname {0} is a management port")
    @CsvSource({"eth0"})
    void theLiveInterfaceNameCountsEvenWhenTheSpecHasNone(String live) {
        PhysicalIOAdapterSpec spec = new PhysicalIOAdapterSpec();
        spec.setType(AdapterType.NetEth);
        PhysicalIOAdapter adapter = new PhysicalIOAdapter();
        adapter.setMetadata(new ObjectMetaBuilder().withName("n").build());
        adapter.setSpec(spec);

        assertThat(AssignmentRules.refusal(adapter, live, new HostPolicy(Set.of("eth0"), false)))
            .map(Refusal::rule).contains(Refusal.Rule.MANAGEMENT_PORT);
    }
}
