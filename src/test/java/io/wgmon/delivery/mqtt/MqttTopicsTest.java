package io.wgmon.delivery.mqtt;

import io.wgmon.tracking.PeerKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttTopicsTest {
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String PLUS_SLASH = "+/+/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm=";

    @Test
    void aPeerIdIsTheKeyInUrlSafeBase64WithoutPadding() {
        assertEquals("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg", MqttTopics.peerId(KEY));
        String id = MqttTopics.peerId(PLUS_SLASH);
        assertEquals("-_-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm", id);
        assertTrue(id.matches("[A-Za-z0-9_-]{43}"), id);
    }

    @Test
    void topicsAreUnderPrefixHostInterfacePeer() {
        MqttTopics topics = new MqttTopics("wgmon", "vpn-1");
        PeerKey peer = new PeerKey("wg0", KEY);
        assertEquals("wgmon/vpn-1/status", topics.status());
        assertEquals("wgmon/vpn-1/wg0/xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg/state", topics.state(peer));
        assertEquals("wgmon/vpn-1/wg0/xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg/event", topics.event(peer));
    }

    @Test
    void aHostWithWildcardsSeparatorsOrSpacesBecomesOneSafeLevel() {
        assertEquals("wgmon/a_b_c_d_e/status", new MqttTopics("wgmon", "a+b#c/d e").status());
        assertEquals("wgmon/_SYS/status", new MqttTopics("wgmon", "$SYS").status());
        assertEquals("wgmon/_/status", new MqttTopics("wgmon", "").status());
    }
}
