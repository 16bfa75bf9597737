package io.wgmon.webhook;

import io.wgmon.tracking.PeerKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A {@link Delivery} as spool record data: {@code u8 version 1}, then interface, public key, event type, id
 * (each a Java modified-UTF-8 string with a u16 length), {@code i64} event time in epoch milliseconds, the
 * content type (string), {@code i32} body length and the body. The rendered body is kept rather than the
 * event, so a restart sends exactly the bytes it would have sent; the signature is not kept but computed
 * again with the current secret.
 */
final class DeliveryCodec {
    private static final int VERSION = 1;

    private DeliveryCodec() {
    }

    static byte[] encode(Delivery delivery) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + delivery.payload().body().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(delivery.peer().interfaceName());
            out.writeUTF(delivery.peer().publicKey());
            out.writeUTF(delivery.eventType());
            out.writeUTF(delivery.id());
            out.writeLong(delivery.time().toEpochMilli());
            out.writeUTF(delivery.payload().contentType());
            out.writeInt(delivery.payload().body().length);
            out.write(delivery.payload().body());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the data is not a version-1 delivery */
    static Delivery decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown spool record version " + version);
            }
            PeerKey peer = new PeerKey(in.readUTF(), in.readUTF());
            String eventType = in.readUTF();
            String id = in.readUTF();
            Instant time = Instant.ofEpochMilli(in.readLong());
            String contentType = in.readUTF();
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException("body length " + length + " but " + in.available() + " bytes left");
            }
            byte[] body = in.readNBytes(length);
            return new Delivery(peer, eventType, id, time, new Payload(body, contentType), null);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated spool record: " + e, e);
        }
    }
}
