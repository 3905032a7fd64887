/**
 * The node-local journal of intents: one JSON file per domain, written through {@code AtomicFiles} before every
 * side effect, so a process killed anywhere asks the engine again with the journaled intent. The journal's
 * content is the engine's {@code io.domainoperator.reconciler.Journal}, kept on disk in the flat shape of
 * {@link io.domainoperator.controller.journal.JournalFile} so that journals outlive agent versions.
 */
package io.domainoperator.controller.journal;
