package io.domainoperator.e2e.harness.image;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Provides the built project image, loaded into podman, to test classes and methods that take a
 * {@link ProjectImage}. A class is disabled (reported as skipped, with the reason) when the archive of
 * {@code .ci/setup.d/70-image.sh} or podman is absent; the image is loaded once per test run.
 */
public final class ProjectImageExtension implements ExecutionCondition, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ProjectImageExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (ImageArchive.locate().isEmpty()) {
            return ConditionEvaluationResult.disabled(ImageArchive.missingMessage());
        }
        if (podman().isEmpty()) {
            return ConditionEvaluationResult.disabled(Podman.MISSING);
        }
        return ConditionEvaluationResult.enabled("image archive and podman present");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ProjectImage.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ProjectImage.class, key -> {
            ImageArchive archive = ImageArchive.locate().orElseThrow(() -> new IllegalStateException(ImageArchive.missingMessage()));
            Podman podman = podman().orElseThrow(() -> new IllegalStateException(Podman.MISSING));
            String id = podman.load(archive);
            ProjectImage image = new ProjectImage(podman, archive, id, podman.imageSize(id));
            System.out.printf("project image %s (%s): %d MiB unpacked, archive %s%n",
                    archive.reference(), id.substring(0, 12), image.sizeBytes() / (1024 * 1024), archive.file());
            return image;
        }, ProjectImage.class);
    }

    private static java.util.Optional<Podman> podman() {
        return Podman.locate(ImageArchive.cacheDir().resolve("image").resolve("podman-storage"));
    }
}
