package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One asynchronous QMP event, e.g. {@code {"event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}}.
 *
 * @param name      the event name, e.g. SHUTDOWN, POWERDOWN, RESET, STOP, RESUME, GUEST_PANICKED
 * @param data      the event's data object, or a missing node when it has none
 * @param timestamp when QEMU emitted it
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
    public QmpEvent {
        Objects.requireNonNull(name, "name");
        data = data == null ? MissingNode.getInstance() : data;
        Objects.requireNonNull(timestamp, "timestamp");
    }

    static QmpEvent fromMessage(JsonNode message) {
        JsonNode ts = message.path("timestamp");
        Instant when = ts.isObject()
            ? Instant.ofEpochSecond(ts.path("seconds").asLong(), ts.path("microseconds").asLong() * 1000)
            : Instant.EPOCH;
        return new QmpEvent(message.path("event").asText(), message.get("data"), when);
    }
}
