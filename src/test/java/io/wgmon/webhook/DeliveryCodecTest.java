package io.wgmon.webhook;

import io.wgmon.tracking.PeerEvent;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeliveryCodecTest {

    @Test
    void roundTripKeepsEverythingButTheSignature() {
        PeerEvent event = TestEvents.connected();
        Delivery delivery = new DeliveryRenderer(new CloudEventsPayloadFormat(), Optional.of(new WebhookSigner("k")))
                .render(event);

        Delivery decoded = DeliveryCodec.decode(DeliveryCodec.encode(delivery));

        assertEquals(event.key(), decoded.peer());
        assertEquals("peer.connected", decoded.eventType());
        assertEquals(event.id().toString(), decoded.id());
        assertEquals(TestEvents.TIME, decoded.time());
        assertEquals(CloudEventsPayloadFormat.CONTENT_TYPE, decoded.payload().contentType());
        assertArrayEquals(delivery.payload().body(), decoded.payload().body());
        assertNull(decoded.signature(), "the spool keeps no signature");
    }

    @Test
    void aRestoredDeliveryIsSignedWithTheCurrentSecret() throws Exception {
        Delivery old = new DeliveryRenderer(new JsonPayloadFormat(), Optional.of(new WebhookSigner("old")))
                .render(TestEvents.connected());
        Delivery restored = new DeliveryRenderer(new JsonPayloadFormat(), Optional.of(new WebhookSigner("new")))
                .sign(DeliveryCodec.decode(DeliveryCodec.encode(old)));
        assertEquals("sha256=" + WebhookSignerTest.hmac("new", old.payload().body()), restored.signature());
    }

    @Test
    void damagedDataIsRefused() {
        byte[] data = DeliveryCodec.encode(new DeliveryRenderer(new JsonPayloadFormat(), Optional.empty())
                .render(TestEvents.connected()));
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.decode(Arrays.copyOf(data, data.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.decode(Arrays.copyOf(data, 20)));
        byte[] longer = Arrays.copyOf(data, data.length + 1);
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.decode(longer));
        byte[] otherVersion = data.clone();
        otherVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> DeliveryCodec.decode(otherVersion));
    }
}
