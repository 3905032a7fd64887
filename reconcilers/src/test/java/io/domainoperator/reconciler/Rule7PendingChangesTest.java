package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.api.v1alpha1.VirtualizationMode;
import io.domainoperator.api.v1alpha1.Vnc;
import io.domainoperator.hypervisor.ShutdownReason;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 7: spec changed while running. Live fields apply at once (the engine reads them fresh); restart-required
 * ones are listed in pendingChanges with ConfigApplied=False/RestartRequired; with restartOnConfigChange the
 * domain is rebooted gracefully to apply them.
 */
class Rule7PendingChangesTest {

    static Stream<Arguments> rule7_classification() {
        return Stream.of(
            change("vcpus, maxVcpus following it (a changed maximum needs a restart)", s -> s.setVcpus(4), "vcpus", "maxVcpus"),
            change("maxVcpus", s -> s.setMaxVcpus(8), "maxVcpus"),
            change("memoryMiB, maxMemoryMiB following it (a changed maximum needs a restart)", s -> s.setMemoryMiB(1024), "memoryMiB", "maxMemoryMiB"),
            change("memory up to an explicit maxMemoryMiB", s -> { s.setMemoryMiB(1024); s.setMaxMemoryMiB(2048); },
                "memoryMiB", "maxMemoryMiB"),
            change("disks", s -> s.getDisks().add(new Disk("/persist/img/data.raw", DiskFormat.raw, "xvdb")), "disks"),
            change("disk read-only flag", s -> s.getDisks().get(0).setReadOnly(true), "disks"),
            change("vifs", s -> s.getVifs().get(0).setBridge("bn2"), "vifs"),
            change("adapters", s -> s.setAdapters(new ArrayList<>(List.of("eth1"))), "adapters"),
            change("kernel and cmdline", s -> { s.setKernel("/boot/vmlinuz"); s.setCmdline("console=hvc0"); },
                "kernel", "cmdline"),
            change("virtualization mode", s -> s.setVirtualizationMode(VirtualizationMode.PVH), "virtualizationMode"),
            change("vnc", s -> s.setVnc(new Vnc(true, null)), "vnc"),
            change("displayName", s -> s.setDisplayName("vm1-renamed"), "displayName"),
            change("uuid set to another value", s -> s.setUuid("0b0c6c3e-3b8a-4b8e-9a7e-000000000001"), "uuid"),
            change("uuid set to the one in use: no change", s -> s.setUuid(UUID_TEXT)),
            change("explicit defaults are no change", s -> {
                s.setMaxVcpus(2);
                s.setMaxMemoryMiB(512);
                s.setVirtualizationMode(VirtualizationMode.HVM);
                s.setSerial("pty");
                s.getDisks().get(0).setFormat(DiskFormat.qcow2);
            }),
            change("live: activate true, startAfter, policies, timers, keepDisks", s -> {
                s.setActivate(true);
                s.setStartAfter(new ArrayList<>(List.of("db")));
                s.setOnCrash(LifecyclePolicy.Preserve);
                s.setOnPoweroff(LifecyclePolicy.Restart);
                s.setBootRetrySeconds(30);
                s.setShutdownTimeoutSeconds(5);
                s.setKeepDisksOnDelete(true);
            }));
    }

    private static Arguments change(String name, Consumer<DomainConfigSpec> edit, String... fields) {
        return Arguments.of(name, edit, List.of(fields));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule7_classification(String name, Consumer<DomainConfigSpec> edit, List<String> expected) {
        DomainConfigSpec changed = spec(edit);
        Decision d = decide(desired(changed, 2), running(7), booted(spec(), 7, T0), at(10));
        assertThat(d.status().getPendingChanges()).isEqualTo(expected);
        assertThat(d.operation()).isInstanceOf(Operation.None.class);
        assertThat(d.status().getPhase()).isEqualTo(DomainPhase.Running);
        var applied = d.status().condition(Conditions.CONFIG_APPLIED);
        if (expected.isEmpty()) {
            assertThat(applied.getStatus()).isEqualTo(Conditions.TRUE);
            assertThat(applied.getReason()).isEqualTo(Conditions.APPLIED);
        } else {
            assertThat(applied.getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(applied.getReason()).isEqualTo(Conditions.RESTART_REQUIRED);
            assertThat(applied.getMessage()).contains(expected.get(0));
        }
    }

    @Test
    void rule7_restartOnConfigChangeRebootsGracefullyWithTheNewSpec() {
        DomainConfigSpec changed = spec(s -> { s.setVcpus(4); s.setRestartOnConfigChange(true); });
        DesiredDomain want = desired(changed, 2);
        Journal j = booted(spec(), 7, T0);

        Decision ask = decide(want, running(7), j, at(10));
        assertThat(ask.operation()).isEqualTo(new Operation.Shutdown(NAME));
        assertThat(ask.status().condition(Conditions.CONFIG_APPLIED).getReason()).isEqualTo(Conditions.RESTARTING_TO_APPLY);
        j = ask.journal().withIntent(ask.operation(), at(10)).withSuccess(ask.operation(), at(10), null);

        Decision off = decide(want, stopped(7, ShutdownReason.POWEROFF), j, at(20));
        assertThat(off.operation()).as("our request, not the guest's poweroff: onPoweroff (Destroy) does not apply")
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.SHUTDOWN_COMPLETE));
        j = off.journal().withIntent(off.operation(), at(20)).withSuccess(off.operation(), at(20), null);

        Decision rebuild = decide(want, null, j, at(21));
        assertThat(rebuild.operation()).isEqualTo(create(changed).op());
    }

    @Test
    void rule7_aGuestThatIgnoresTheRebootIsForced() {
        DomainConfigSpec changed = spec(s -> { s.setVcpus(4); s.setRestartOnConfigChange(true); });
        Journal asked = setUp(booted(spec(), 7, T0)).shutdownAsked(at(10), 2).journal();
        assertThat(decide(desired(changed, 2), running(7), asked, at(69)).operation())
            .isInstanceOf(Operation.None.class);
        assertThat(decide(desired(changed, 2), running(7), asked, at(70)).operation())
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.FORCED));
    }

    @Test
    void rule7_revertingTheChangeCancelsThePendingReboot() {
        Journal asked = setUp(booted(spec(), 7, T0)).shutdownAsked(at(10), 2).journal();
        DesiredDomain reverted = desired(spec(s -> s.setRestartOnConfigChange(true)), 3);
        Decision d = decide(reverted, running(7), asked, at(20));
        assertThat(d.operation()).isInstanceOf(Operation.None.class);
        assertThat(d.status().getPhase()).isEqualTo(DomainPhase.Running);
        assertThat(d.status().getPendingChanges()).isEmpty();
        assertThat(d.journal().shutdownRequestedAt()).as("the guest may still honour it").isEqualTo(at(10));
        assertThat(decide(reverted, stopped(7, ShutdownReason.POWEROFF), d.journal(), at(25)).operation())
            .as("a late poweroff after our request is ours: rebuild, not onPoweroff")
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.SHUTDOWN_COMPLETE));
        Decision later = decide(reverted, running(7), d.journal(), at(500));
        assertThat(later.operation()).as("kept while the domain lives, never forced").isInstanceOf(Operation.None.class);
        DesiredDomain deactivated = desired(spec(s -> { s.setRestartOnConfigChange(true); s.setActivate(false); }), 4);
        assertThat(decide(deactivated, running(7), later.journal(), at(600)).operation())
            .as("a halt wished later asks again, with a fresh timeout").isEqualTo(new Operation.Shutdown(NAME));
    }

    @Test
    void rule7_aRenamedDomainIsStillFoundUnderItsOldNameUntilRebuilt() {
        DesiredDomain renamed = desired(spec(s -> s.setDisplayName("vm1-new")), 2);
        Journal j = booted(spec(), 7, T0);
        assertThat(DomainDecider.hypervisorName(renamed, j)).isEqualTo(NAME);
        Operation.Destroy d = new Operation.Destroy(NAME, DestroyReason.FORCED);
        Journal gone = j.withIntent(d, at(5)).withSuccess(d, at(5), null);
        assertThat(DomainDecider.hypervisorName(renamed, gone)).isEqualTo("vm1-new");
        assertThat(decide(renamed, null, gone, at(6)).operation())
            .isEqualTo(new Operation.CreatePaused("vm1-new", UUID_TEXT, renamed.spec(), List.of()));
    }
}
