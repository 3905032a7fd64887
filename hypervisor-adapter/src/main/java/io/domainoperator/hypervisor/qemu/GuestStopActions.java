package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.LifecyclePolicy;
import io.domainoperator.hypervisor.Lifecycle;
import io.domainoperator.hypervisor.Lifecycle.Action;
import java.util.Locale;

/**
 * What QEMU itself does when the guest reboots, shuts down or panics ({@code -action}), chosen from the domain's
 * lifecycle policies so that nothing depends on the agent seeing the SHUTDOWN event that says "reboot" (it is
 * missed whenever the guest reboots while no agent runs, and QEMU's run state keeps no reason).
 *
 * <ul>
 * <li>onReboot Restart (the default): {@code reboot=reset}, as libvirt runs its on_reboot=restart guests: QEMU
 *     resets the guest in the same process, so a reboot is never taken for a poweroff. Restart-required spec
 *     changes still pending then wait for the next full stop (or restartOnConfigChange), since the domain is not
 *     rebuilt at the guest's reboot.</li>
 * <li>otherwise {@code reboot=shutdown}: the guest stops and the reconciler applies onReboot. When onReboot and
 *     onPoweroff differ, the reason must outlive the agent: QEMU then also writes its events to a file
 *     ({@link QemuEventLog}), where the next agent reads why the guest stopped.</li>
 * </ul>
 * Poweroff and panic always pause (the process stays, with the run state {@code shutdown} or
 * {@code guest-panicked}), so onPoweroff and onCrash are the reconciler's to apply.
 */
final class GuestStopActions {
    /** The CRD's own defaults for unset policies, so there is one default per policy. */
    private static final DomainConfigSpec DEFAULTS = new DomainConfigSpec();

    private GuestStopActions() {
    }

    /** The value of {@code -action}. */
    static String actions(Lifecycle lifecycle) {
        return (resetsInPlace(lifecycle) ? "reboot=reset" : "reboot=shutdown") + ",shutdown=pause,panic=pause";
    }

    /** Whether QEMU resets the rebooting guest itself (onReboot is Restart). */
    static boolean resetsInPlace(Lifecycle lifecycle) {
        return onReboot(lifecycle) == Action.RESTART;
    }

    /** Whether a stopped guest's reason must survive an agent restart: a reboot and a poweroff lead to different policies. */
    static boolean needsEventLog(Lifecycle lifecycle) {
        return !resetsInPlace(lifecycle) && onReboot(lifecycle) != onPoweroff(lifecycle);
    }

    static Action onReboot(Lifecycle lifecycle) {
        return lifecycle.onReboot() != null ? lifecycle.onReboot() : action(DEFAULTS.onRebootOrDefault());
    }

    static Action onPoweroff(Lifecycle lifecycle) {
        return lifecycle.onPoweroff() != null ? lifecycle.onPoweroff() : action(DEFAULTS.onPoweroffOrDefault());
    }

    private static Action action(LifecyclePolicy policy) {
        return Action.valueOf(policy.name().toUpperCase(Locale.ROOT));
    }
}
