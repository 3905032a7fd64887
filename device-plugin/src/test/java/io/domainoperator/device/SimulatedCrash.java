package io.domainoperator.device;

/** The agent process dies here. An Error, so no catch block in the code under test can swallow it. */
final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
        super("simulated crash before write " + where);
    }
}
