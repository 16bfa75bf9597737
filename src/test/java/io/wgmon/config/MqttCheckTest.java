package io.wgmon.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttCheckTest {

    private static List<String> problems(String... keyValues) {
        Map<String, String> properties = new HashMap<>(Map.of("wgmon.mqtt.host", "broker.example"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ConfigCheck.problems(TestWgmonConfig.of(properties));
    }

    @Test
    void defaultsPass() {
        assertEquals(List.of(), problems());
        WgmonConfig.Mqtt mqtt = TestWgmonConfig.of(Map.of()).mqtt();
        assertTrue(mqtt.host().isEmpty(), "off by default");
        assertEquals("wgmon", mqtt.topicPrefix());
        assertEquals(300, mqtt.keepalive().toSeconds());
        assertEquals("homeassistant", mqtt.discoveryPrefix());
        assertEquals("5", mqtt.protocol());
    }

    @Test
    void theProtocolIs5Or311() {
        assertEquals(List.of(), problems("wgmon.mqtt.protocol", "3.1.1"));
        assertEquals(List.of(), problems("wgmon.mqtt.protocol", "5"));
        assertEquals(List.of("wgmon.mqtt.protocol='3.1' is not allowed: use 5 or 3.1.1"),
                problems("wgmon.mqtt.protocol", "3.1"));
    }

    @Test
    void aPrefixWithAWildcardIsRefusedInOneLine() {
        assertEquals(List.of("wgmon.mqtt.topic-prefix='vpn/+' is not allowed: '+' and '#' are MQTT wildcards, not "
                + "allowed in a topic"), problems("wgmon.mqtt.topic-prefix", "vpn/+"));
        assertEquals(1, problems("wgmon.mqtt.topic-prefix", "#").size());
        assertEquals(1, problems("wgmon.mqtt.discovery-prefix", "ha/#").size());
    }

    @Test
    void aPrefixIsOneLineWithoutEmptyLevels() {
        List<String> twoLines = problems("wgmon.mqtt.topic-prefix", "a\nb");
        assertEquals(1, twoLines.size());
        assertFalse(twoLines.get(0).contains("\n"), "one line: " + twoLines);
        assertEquals(1, problems("wgmon.mqtt.topic-prefix", "a//b").size());
        assertEquals(1, problems("wgmon.mqtt.topic-prefix", "/a").size());
        assertEquals(1, problems("wgmon.mqtt.topic-prefix", "$SYS").size());
        assertEquals(List.of(), problems("wgmon.mqtt.topic-prefix", "site-1/vpn"));
    }

    @Test
    void thePasswordIsNeverQuoted() {
        List<String> found = problems("wgmon.mqtt.password", "hunter2-secret");
        assertEquals(List.of("wgmon.mqtt.password needs wgmon.mqtt.username"), found);
    }

    @Test
    void certificateAndKeyGoTogetherAndNeedTls() {
        assertTrue(problems("wgmon.mqtt.client-cert", "/etc/hostname").contains(
                "wgmon.mqtt.client-cert and wgmon.mqtt.client-key go together: set both or neither"));
        assertTrue(problems("wgmon.mqtt.ca-file", "/etc/hostname").contains(
                "wgmon.mqtt.ca-file and wgmon.mqtt.client-cert need wgmon.mqtt.tls=true"));
        assertEquals(List.of("wgmon.mqtt.ca-file=/nonexistent/ca.pem cannot be read"),
                problems("wgmon.mqtt.tls", "true", "wgmon.mqtt.ca-file", "/nonexistent/ca.pem"));
    }

    @Test
    void keepaliveIsWholeSecondsUpTo65535() {
        assertEquals(1, problems("wgmon.mqtt.keepalive", "70000s").size());
        assertEquals(1, problems("wgmon.mqtt.keepalive", "1500ms").size());
        assertEquals(List.of(), problems("wgmon.mqtt.keepalive", "0s"));
    }
}
