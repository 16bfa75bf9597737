package io.wgmon.wireguard.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wgmon.netlink.AttributeDecoder;
import io.wgmon.netlink.NetlinkException;
import io.wgmon.netlink.NetlinkMessage;
import io.wgmon.netlink.NetlinkMessageCodec;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Any datagram of {@code WG_CMD_GET_DEVICE} dump messages (framed by the netlink codec, then the
 * payloads fed in order): a device or {@link WireGuardException} MALFORMED_REPLY, nothing else;
 * after a successful parse every private and preshared key value in the bytes is zeros
 * (docs/architecture.md#packages, docs/architecture.md#wireguard).
 */
class WireGuardGenlParserFuzzIT {

    @FuzzTest(maxDuration = "3s")
    void fuzz(byte[] input) {
        byte[] datagram = input.clone();
        List<NetlinkMessage> messages;
        try {
            messages = NetlinkMessageCodec.decode(datagram, datagram.length);
        } catch (NetlinkException framing) {
            return; // the codec's own contract, fuzzed by NetlinkMessageCodecFuzzIT
        }
        List<ByteBuffer> payloads = new ArrayList<>();
        for (NetlinkMessage message : messages) {
            payloads.add(message.payload());
        }
        Device device;
        try {
            device = WireGuardGenlParser.parse("wg0", payloads);
        } catch (WireGuardException e) {
            assertEquals(WireGuardException.Reason.MALFORMED_REPLY, e.reason());
            return;
        }
        for (Peer peer : device.peers()) {
            assertNotNull(peer.publicKey());
            assertEquals(44, peer.publicKey().length());
        }
        for (ByteBuffer payload : payloads) {
            assertSecretsZeroed(payload);
        }
    }

    private static void assertSecretsZeroed(ByteBuffer payload) {
        AttributeDecoder device = new AttributeDecoder().reset(payload, WireGuardGenl.GENL_HEADER_LENGTH, payload.limit());
        while (device.next()) {
            if (device.type() == WireGuardGenl.DEVICE_A_PRIVATE_KEY) {
                assertZeros(device, "device PRIVATE_KEY");
            } else if (device.type() == WireGuardGenl.DEVICE_A_PEERS) {
                AttributeDecoder peers = device.nested();
                while (peers.next()) {
                    AttributeDecoder peer = peers.nested();
                    while (peer.next()) {
                        if (peer.type() == WireGuardGenl.PEER_A_PRESHARED_KEY) {
                            assertZeros(peer, "peer PRESHARED_KEY");
                        }
                    }
                }
            }
        }
    }

    private static void assertZeros(AttributeDecoder attribute, String what) {
        for (byte b : attribute.bytes()) {
            assertEquals(0, b, what + " left in the receive buffer");
        }
    }
}
