package io.wgmon.delivery;

import io.wgmon.tracking.PeerEventType;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The event types one receiver gets ({@code receivers.X.events}); parsed after ConfigCheck refused unknown names. */
final class EventSelection {
    private EventSelection() {
    }

    /** @throws IllegalArgumentException one line naming {@code key} and the unknown name */
    static Set<PeerEventType> of(String key, List<String> names) {
        Set<PeerEventType> types = EnumSet.noneOf(PeerEventType.class);
        for (String name : names) {
            types.add(PeerEventType.ofWireName(name.strip()).orElseThrow(() ->
                    new IllegalArgumentException(key + " contains an unknown event type '" + name + "'")));
        }
        return Set.copyOf(types);
    }
}
