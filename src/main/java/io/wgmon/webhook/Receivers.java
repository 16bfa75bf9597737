package io.wgmon.webhook;

import java.net.URI;

/**
 * How a receiver is named in logs and metric tags: scheme, host and port only. Receiver URLs often
 * carry a token in the path, query or user-info (Discord, Slack), so the full URL is never shown.
 */
final class Receivers {
    private Receivers() {
    }

    static String label(URI receiver) {
        return receiver.getScheme() + "://" + hostAndPort(receiver);
    }

    static String hostAndPort(URI receiver) {
        return receiver.getPort() == -1 ? receiver.getHost() : receiver.getHost() + ":" + receiver.getPort();
    }
}
