package io.wgmon.delivery.mqtt;

import io.wgmon.tracking.PeerKey;

/**
 * wgmon's topics (docs/architecture.md#mqtt): {@code <prefix>/<host>/status} (will and birth),
 * {@code <prefix>/<host>/<interface>/<peer-id>/state|attributes|event}. Host and interface are made
 * topic-safe; a peer id is its public key in URL-safe base64 without padding (43 characters of
 * {@code [A-Za-z0-9_-]}), so {@code <prefix>/+/+/+/state} is every peer of a fleet.
 *
 * @param prefix checked at start: no wildcard, no empty level
 */
public record MqttTopics(String prefix, String host) {

    public MqttTopics {
        host = level(host);
    }

    public String status() {
        return prefix + "/" + host + "/status";
    }

    public String state(PeerKey peer) {
        return peerTopic(peer) + "/state";
    }

    public String attributes(PeerKey peer) {
        return peerTopic(peer) + "/attributes";
    }

    public String event(PeerKey peer) {
        return peerTopic(peer) + "/event";
    }

    private String peerTopic(PeerKey peer) {
        return prefix + "/" + host + "/" + level(peer.interfaceName()) + "/" + peerId(peer.publicKey());
    }

    /** The public key (standard base64) as {@code [A-Za-z0-9_-]}: URL-safe base64 without padding. */
    public static String peerId(String publicKey) {
        StringBuilder id = new StringBuilder(publicKey.length());
        for (char c : publicKey.toCharArray()) {
            switch (c) {
                case '+' -> id.append('-');
                case '/' -> id.append('_');
                case '=' -> { }
                default -> id.append(c);
            }
        }
        return id.toString();
    }

    /** One topic level: wildcards, separators, controls and spaces become '_'; never empty. */
    static String level(String text) {
        if (text == null || text.isEmpty()) {
            return "_";
        }
        StringBuilder level = new StringBuilder(text.length());
        text.codePoints().forEach(c -> level.appendCodePoint(
                c == '+' || c == '#' || c == '/' || c <= ' ' || c == 0x7f || (level.isEmpty() && c == '$') ? '_' : c));
        return level.toString();
    }
}
