package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rule 12 on the orphan path (rule 9): an orphan's journal is pinned to the backend that saw the domain; an agent on
 * another backend, which finds the journal but cannot see the domain, neither destroys nor forgets it and warns.
 */
class Rule12OrphanPinTest {
    static final StartedBy XL = new StartedBy("xl", "0.1.0");
    static final DomainDecider ON_XL = new DomainDecider(KNOBS, XL);
    static final DomainDecider ON_QEMU = new DomainDecider(KNOBS, new StartedBy("qemu", "0.1.0"));

    @Test
    void anOrphanIsPinnedToTheBackendThatFirstSawIt() {
        Decision first = ON_XL.decideOrphan(Optional.of(running(7)), Journal.empty(), T0);

        assertThat(first.journal().startedBy()).isEqualTo(XL);
        assertThat(first.journal().orphanSince()).isEqualTo(T0);
    }

    @Test
    void anotherBackendLeavesAnOrphanJournalItDidNotWriteAloneAndWarns() {
        Journal halting = halting();

        Decision d = ON_QEMU.decideOrphan(Optional.empty(), halting, at(200));

        assertThat(d.operation()).as("no destroy through the wrong backend, no forget").isInstanceOf(Operation.None.class);
        assertThat(d.journal()).as("the journal is kept as it is").isEqualTo(halting);
        assertThat(d.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DomainEvent.Type.Warning);
            assertThat(e.reason()).isEqualTo(Reasons.STARTED_BY_OTHER_BACKEND);
            assertThat(e.message()).contains("orphan domain " + NAME).contains("the xl backend (agent 0.1.0)")
                .contains("this agent runs the qemu backend").contains("Halt it with an agent on the xl backend");
        });
    }

    @Test
    void theBackendThatWroteItFinishesTheCleanup() {
        Decision d = ON_XL.decideOrphan(Optional.empty(), halting(), at(200));

        assertThat(d.operation()).isEqualTo(new Operation.Destroy(NAME, DestroyReason.STOPPED));
        assertThat(d.events()).isEmpty();
    }

    @Test
    void anOrphanJournalWithoutARecordIsActedOnAsBefore() {
        Journal unpinned = setUp(ON_XL.decideOrphan(Optional.of(running(7)), Journal.empty(), T0).journal())
            .startedBy(null).journal();

        assertThat(ON_QEMU.decideOrphan(Optional.empty(), withName(unpinned), at(200)).operation())
            .isEqualTo(new Operation.Destroy(NAME, DestroyReason.STOPPED));
    }

    /** An xl agent saw the orphan, waited its grace and asked it to shut down; then the node moved to QEMU. */
    private static Journal halting() {
        Decision first = ON_XL.decideOrphan(Optional.of(running(7)), Journal.empty(), T0);
        Decision halt = ON_XL.decideOrphan(Optional.of(running(7)), first.journal(), at(60));
        assertThat(halt.operation()).isEqualTo(new Operation.Shutdown(NAME));
        return withName(halt.journal().withIntent(halt.operation(), at(60)).withSuccess(halt.operation(), at(60), null));
    }

    /** The domain's name as a create journals it (an orphan journal that saw the domain carries it). */
    private static Journal withName(Journal j) {
        JournalEdit e = j.edit();
        e.domainName = NAME;
        return e.build();
    }
}
