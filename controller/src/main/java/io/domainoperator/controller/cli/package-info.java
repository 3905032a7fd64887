/**
 * The {@code domain-operator} executable: {@link io.domainoperator.controller.cli.Main} and one picocli command
 * per mode ({@code agent}, {@code controller}, {@code standalone}, {@code import-xl}, {@code export-xl}). Flags
 * are parsed and bound here once, then handed to the process as records; exit codes are 0 success, 1 runtime
 * failure, 2 invalid input with a message naming the file, line and field.
 */
package io.domainoperator.controller.cli;
