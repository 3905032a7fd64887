package io.domainoperator.device;

/** A sysfs write the kernel refused, or an attribute that could not be read. The message names the path. */
public class SysfsException extends RuntimeException {
    private final String path;

    public SysfsException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
