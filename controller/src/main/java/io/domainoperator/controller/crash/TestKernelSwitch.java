package io.domainoperator.controller.crash;

import io.domainoperator.device.HostKernel;
import io.domainoperator.hypervisor.CommandRunner;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * TEST ONLY. Puts a stand-in kernel under the device plugin of this process, so that the restart-safety tests can
 * kill an agent process in the middle of an adapter move and check what the next one makes of the kernel's state
 * (a fake sysfs in a test JVM cannot react to another process's writes). Armed by the environment variable
 * {@value #ENV} naming a class with a static {@code open(Path sysfsRoot)} returning a {@link HostKernel} (the device
 * plugin's test-jar has {@code io.domainoperator.device.ReplayedKernel}); inert unless it is set, and nothing in
 * the chart, the image or the launcher sets it.
 */
public final class TestKernelSwitch {
    public static final String ENV = "DOMAIN_OPERATOR_TEST_KERNEL";

    private TestKernelSwitch() {
    }

    /** The real kernel below {@code sysfsRoot}, or the stand-in the switch names. */
    public static HostKernel open(Path sysfsRoot, CommandRunner runner) {
        return open(System.getenv(ENV), sysfsRoot, runner);
    }

    static HostKernel open(String standIn, Path sysfsRoot, CommandRunner runner) {
        if (standIn == null || standIn.isBlank()) {
            return HostKernel.real(sysfsRoot, runner);
        }
        org.slf4j.LoggerFactory.getLogger(TestKernelSwitch.class).warn(
            "{} is set: passthrough acts on the stand-in kernel {} below {}; a test-only switch", ENV, standIn, sysfsRoot);
        try {
            return (HostKernel) Class.forName(standIn.strip()).getMethod("open", Path.class).invoke(null, sysfsRoot);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(ENV + "='" + standIn + "' failed to open " + sysfsRoot + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(ENV + "='" + standIn + "' names no class with a static open(Path) returning a"
                + " HostKernel on the classpath (a test-only switch; unset it)", e);
        }
    }
}
