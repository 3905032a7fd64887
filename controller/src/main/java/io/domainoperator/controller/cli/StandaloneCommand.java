package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.AgentConfig;
import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.domainoperator.controller.standalone.ManifestFolder;
import io.domainoperator.controller.standalone.StatusMirror;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code domain-operator standalone --manifests DIR}: the node agent's loop on one machine with no cluster.
 * The folder is the desired state (like /etc/xen/auto), watched for changes; status goes to the log and to
 * {@code <state-dir>/status/*.yaml}.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
    description = "Run the agent loop on this machine from a folder of DomainConfig/PhysicalIOAdapter manifests, without a cluster.")
public final class StandaloneCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneCommand.class);

    @Option(names = "--manifests", required = true, paramLabel = "DIR", description = "Folder of manifests (*.yaml, *.yml), watched for changes.")
    Path manifests;

    @Option(names = "--node", defaultValue = "standalone", description = "Node name the domains run on (default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--rescan", defaultValue = "2", description = "Seconds between scans of the manifest folder (default: ${DEFAULT-VALUE}).")
    int rescanSeconds;

    @Mixin
    AgentOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(manifests)) {
            throw new Main.InvalidInputException("--manifests " + manifests + " is not a directory");
        }
        // On one machine, state lives beside the manifests' user unless asked otherwise.
        if (!spec.commandLine().getParseResult().hasMatchedOption("--state-dir")) {
            options.stateDir = Path.of("state");
        }
        AgentConfig config = options.toConfig(node, null, null);
        EmbeddedApiServer server = new EmbeddedApiServer();
        // Standalone domains belong to this machine, whatever node a manifest names.
        ManifestFolder folder = new ManifestFolder(manifests, server.client(), node);
        List<String> problems = folder.sync();
        if (!problems.isEmpty()) {
            LOG.warn("{} manifest problem(s) in {}; fix them and the folder is re-read", problems.size(), manifests);
        }
        AgentCommand.createPrivately(config.stateDir());
        StatusMirror mirror = new StatusMirror(server.client(), config.stateDir().resolve("status"));
        ScheduledExecutorService rescan = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        rescan.scheduleWithFixedDelay(folder::sync, rescanSeconds, rescanSeconds, TimeUnit.SECONDS);
        // The mirror stays open until the halt on exit is done: the status files must show the domains Halted.
        return AgentCommand.runUntilSignalled(config, server.client(), () -> {
            rescan.shutdownNow();
            mirror.close();
            mirror.writeAll(server.client());
        });
    }
}
