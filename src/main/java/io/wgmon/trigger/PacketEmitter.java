package io.wgmon.trigger;

import org.jboss.logging.Logger;

import java.util.function.Consumer;

/** Hands events to the subscribers; a subscriber that throws is logged and does not end the reader. */
final class PacketEmitter {
    private final Consumer<PacketEvent> subscribers;
    private final Logger log;
    private final String description;

    PacketEmitter(Consumer<PacketEvent> subscribers, Logger log, String description) {
        this.subscribers = subscribers;
        this.log = log;
        this.description = description;
    }

    void emit(PacketEvent event) {
        try {
            subscribers.accept(event);
        } catch (RuntimeException e) {
            log.errorf(e, "%s: a subscriber failed on %s", description, event);
        }
    }
}
