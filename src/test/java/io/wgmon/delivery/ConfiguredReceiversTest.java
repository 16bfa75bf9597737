package io.wgmon.delivery;

import io.wgmon.config.TestWgmonConfig;
import io.wgmon.delivery.format.CloudEventsPayloadFormat;
import io.wgmon.delivery.format.FormPayloadFormat;
import io.wgmon.delivery.format.WebhookSignerTest;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.tracking.PeerEventType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From {@code wgmon.webhook.*} to receivers: the simple form gives the defaults, named receivers override them. */
class ConfiguredReceiversTest {
    private static final byte[] BODY = {1, 2, 3};

    @Test
    void eventTypesDefaultToTodaysTwoAndAreChosenPerReceiver() {
        List<WebhookReceiver> receivers = ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                "wgmon.webhook.url", "https://hooks.example.org/a",
                "wgmon.webhook.receivers.chat.url", "https://hooks.example.org/chat",
                "wgmon.webhook.receivers.chat.preset", "slack",
                "wgmon.webhook.receivers.ops.url", "https://ops.example.org/hook",
                "wgmon.webhook.receivers.ops.events", "peer.roamed, peer.endpoint-conflict,handshake.failed")).webhook());
        assertEquals(Set.of(PeerEventType.CONNECTED, PeerEventType.DISCONNECTED), receivers.get(0).events());
        assertEquals(Set.of(PeerEventType.CONNECTED, PeerEventType.DISCONNECTED), receivers.get(1).events());
        assertEquals(Set.of(PeerEventType.ROAMED, PeerEventType.ENDPOINT_CONFLICT, PeerEventType.HANDSHAKE_FAILED),
                receivers.get(2).events());

        List<WebhookReceiver> changedDefault = ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                "wgmon.webhook.url", "https://hooks.example.org/a",
                "wgmon.webhook.events", "peer.down,peer.up",
                "wgmon.webhook.receivers.ha.url", "https://ha.example.org/api/webhook/x",
                "wgmon.webhook.receivers.ha.preset", "home-assistant")).webhook());
        assertEquals(Set.of(PeerEventType.DOWN, PeerEventType.UP), changedDefault.get(0).events());
        assertEquals(Set.of(PeerEventType.DOWN, PeerEventType.UP), changedDefault.get(1).events());

        List<WebhookReceiver> aliased = ConfiguredReceivers.withRoamed(receivers);
        assertEquals(Set.of(PeerEventType.CONNECTED, PeerEventType.DISCONNECTED, PeerEventType.ROAMED),
                aliased.get(0).events());
        assertEquals(Set.of(PeerEventType.ROAMED, PeerEventType.ENDPOINT_CONFLICT, PeerEventType.HANDSHAKE_FAILED),
                aliased.get(2).events());
    }

    @Test
    void urlsTakeTheDefaultsAndNamedReceiversOverrideThem() throws Exception {
        List<WebhookReceiver> receivers = ConfiguredReceivers.of(TestWgmonConfig.of(Map.of(
                "wgmon.webhook.url", "https://hooks.example.org/a/t0ken,https://hooks.example.org/b",
                "wgmon.webhook.format", "cloudevents",
                "wgmon.webhook.secret", "default-secret",
                "wgmon.webhook.headers.Authorization", "Bearer default",
                "wgmon.webhook.receivers.zeta.url", "https://discord.com/api/webhooks/1/t",
                "wgmon.webhook.receivers.zeta.format", "form",
                "wgmon.webhook.receivers.alpha.url", "http://127.0.0.1:9000/hook",
                "wgmon.webhook.receivers.alpha.secret", "alpha-secret",
                "wgmon.webhook.receivers.alpha.headers.authorization", "Bearer alpha",
                "wgmon.webhook.receivers.alpha.headers.X-Tenant", "blue")).webhook());

        assertEquals(List.of("hooks.example.org", "hooks.example.org#2", "alpha", "zeta"),
                receivers.stream().map(WebhookReceiver::tag).toList());

        WebhookReceiver first = receivers.get(0);
        assertEquals(URI.create("https://hooks.example.org/a/t0ken"), first.address().url());
        assertInstanceOf(CloudEventsPayloadFormat.class, first.format());
        assertEquals("sha256=" + WebhookSignerTest.hmac("default-secret", BODY), first.signer().orElseThrow().sign(BODY));
        assertEquals(Map.of("Authorization", "Bearer default"), first.address().headers());
        assertEquals("https://hooks.example.org", first.label());
        assertTrue(first.spoolName().matches("url-[0-9a-f]{16}"), first.spoolName());
        assertTrue(!first.spoolName().equals(receivers.get(1).spoolName()));

        WebhookReceiver alpha = receivers.get(2);
        assertEquals("alpha (http://127.0.0.1:9000)", alpha.label());
        assertEquals("receiver-alpha", alpha.spoolName());
        assertInstanceOf(CloudEventsPayloadFormat.class, alpha.format(), "the default format");
        assertEquals("sha256=" + WebhookSignerTest.hmac("alpha-secret", BODY), alpha.signer().orElseThrow().sign(BODY));
        assertEquals(2, alpha.address().headers().size(), "authorization replaced Authorization");
        assertTrue(alpha.address().headers().containsValue("Bearer alpha"));
        assertEquals("blue", alpha.address().headers().get("X-Tenant"));

        WebhookReceiver zeta = receivers.get(3);
        assertInstanceOf(FormPayloadFormat.class, zeta.format());
        assertEquals("sha256=" + WebhookSignerTest.hmac("default-secret", BODY), zeta.signer().orElseThrow().sign(BODY),
                "the default secret");
        assertEquals(Map.of("Authorization", "Bearer default"), zeta.address().headers());
    }

    @Test
    void aUrlKeepsItsSpoolWhereverItStandsInTheList() {
        String a = "https://a.example.org/x";
        String b = "https://b.example.org/y";
        List<WebhookReceiver> ab = ConfiguredReceivers.of(TestWgmonConfig.of(Map.of("wgmon.webhook.url", a + "," + b))
                .webhook());
        List<WebhookReceiver> ba = ConfiguredReceivers.of(TestWgmonConfig.of(Map.of("wgmon.webhook.url", b + "," + a))
                .webhook());
        assertEquals(ab.get(0).spoolName(), ba.get(1).spoolName());
        assertEquals(ab.get(1).spoolName(), ba.get(0).spoolName());
    }

    @Test
    void theAddressDoesNotShowTokens() {
        ReceiverAddress address = new ReceiverAddress(URI.create("https://u:p@discord.com/api/webhooks/1/t0ken?x=y"),
                Map.of("Authorization", "Bearer s3cret"));
        assertEquals("https://discord.com with headers [Authorization]", address.toString());
    }
}
