package io.wgmon.delivery;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a receiver is named in logs and metric tags: host and port only. Receiver URLs often carry a
 * token in the path, query or user-info (Discord, Slack), so the full URL is never shown.
 */
public final class Receivers {
    private Receivers() {
    }

    /** "https://discord.com", for logs. */
    public static String label(URI receiver) {
        return receiver.getScheme() + "://" + hostAndPort(receiver);
    }

    /**
     * The {@code receiver} tag of each URL: host[:port], with "#2", "#3"... appended when several URLs
     * share a host and port, so every receiver keeps its own meters.
     */
    static List<String> tags(List<URI> receivers) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> tags = new ArrayList<>(receivers.size());
        for (URI receiver : receivers) {
            String tag = hostAndPort(receiver);
            int occurrence = seen.merge(tag, 1, Integer::sum);
            tags.add(occurrence == 1 ? tag : tag + "#" + occurrence);
        }
        return tags;
    }

    private static String hostAndPort(URI receiver) {
        return receiver.getPort() == -1 ? receiver.getHost() : receiver.getHost() + ":" + receiver.getPort();
    }
}
