package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.DevicePublicKeys;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.wgmon.wireguard.uapi.UapiFixtures.ascii;
import static io.wgmon.wireguard.uapi.UapiFixtures.secretIn;
import static io.wgmon.wireguard.uapi.UapiFixtures.wireguardGoReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UapiReplyParserTest {
    private static final String PEER = "public_key=" + "ab".repeat(32) + "\n";
    private static final String END = "errno=0\n\n";

    @Test
    void parsesAReplyCapturedFromWireguardGo() throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii(wireguardGoReply()));

        assertEquals("wg0", device.name());
        assertEquals(UapiFixtures.DEVICE_PUBLIC_KEY, device.publicKey());
        assertEquals(3000, device.listenPort());
        assertEquals(66, device.fwmark());
        assertEquals(List.of(
                new Peer("gsnLGJKtxubOAqomc/VR7CpyMPrLAO5oNG+ibfBYo0E=",
                        new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40001),
                        List.of("10.10.10.2/32", "10.20.0.0/16", "fd00::2/128"),
                        Instant.ofEpochSecond(1795656630, 752001496), 436, 348, 0, 1),
                new Peer("Gp/R+pX0kosD/HwXZp2uSQ8+DbIgYFra4eqMS9vmaQc=",
                        new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 40002),
                        List.of("10.10.10.3/32"),
                        Instant.ofEpochSecond(1795656631, 765548680), 404, 156, 25, 1),
                new Peer("+54aj7f26luMRP3ai2LMYE6qv1fjlt3bu7P4AzP93wA=",
                        new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 51820),
                        List.of("10.10.10.4/32", "fd00:0:0:4::/64"),
                        null, 0, 0, 0, 1)),
                device.peers());
        assertEquals("[2001:db8::2]:40002", device.peers().get(1).endpointText());
    }

    @Test
    void keepsNoPrivateOrPresharedKeyInTheDevice() throws Exception {
        String reply = wireguardGoReply();
        assertTrue(reply.contains(UapiFixtures.FAKE_PRIVATE_KEY_HEX) && reply.contains(UapiFixtures.FAKE_PRESHARED_KEY_HEX),
                "the fixture must carry the secrets this test looks for");

        Device device = UapiReplyParser.parse("wg0", ascii(reply));

        assertNull(secretIn(device.toString()), device::toString);
        for (Peer peer : device.peers()) {
            assertNull(secretIn(peer.toString()));
        }
    }

    @Test
    void acceptsTheReplyInChunksOfAnySize() throws Exception {
        byte[] reply = ascii(wireguardGoReply() + "trailing=bytes after the blank line are not part of the reply\n");
        Device whole = UapiReplyParser.parse("wg0", reply);
        for (int chunk = 1; chunk <= 97; chunk++) {
            UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"), new DevicePublicKeys(), new KnownPeers());
            boolean complete = false;
            for (int offset = 0; offset < reply.length && !complete; offset += chunk) {
                complete = parser.feed(reply, offset, Math.min(chunk, reply.length - offset));
            }
            assertTrue(complete, "chunk " + chunk);
            assertEquals(whole, parser.device(), "chunk " + chunk);
        }
    }

    @Test
    void aDeviceWithoutKeyOrPeersIsJustErrnoZero() throws Exception {
        Device device = UapiReplyParser.parse("wg9", ascii(END));

        assertEquals(new Device("wg9", null, 0, 0, List.of()), device);
    }

    @Test
    void ignoresKeysItDoesNotKnow() throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii("listen_port=51820\nfuture_device_key=1\n=\n" + PEER
                + "future_peer_key=x=y\nallowed_ip=10.0.0.1/32\n" + END));

        assertEquals(51820, device.listenPort());
        assertEquals(List.of("10.0.0.1/32"), device.peers().get(0).allowedIps());
    }

    @Test
    void aKeyThatAKnownKeyIsAPrefixOfIsAnotherKey() throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii("listen_ports=1\nlisten_port=2\n" + PEER
                + "public_keys=" + "cd".repeat(32) + "\nlast_handshake_time_secs=5\nlast_handshake_time_sec=6\n"
                + "last_handshake_time_se=7\ntx_bytes_total=8\nrx_bytes=9223372036854775807\n" + END));

        assertEquals(2, device.listenPort());
        assertEquals(1, device.peers().size());
        Peer peer = device.peers().get(0);
        assertEquals(Instant.ofEpochSecond(6), peer.lastHandshake());
        assertEquals(0, peer.txBytes());
        assertEquals(Long.MAX_VALUE, peer.rxBytes());
    }

    @Test
    void normalisesAddressesLikeWgShow() throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii(PEER
                + "endpoint=[FE80:0:0:0:0:0:0:1%eth0]:51820\n"
                + "allowed_ip=FD00:0000:0000:0004:0000:0000:0000:0000/64\n"
                + "allowed_ip=2001:db8:0:0:1:0:0:1/128\n"
                + "allowed_ip=::/0\n"
                + "allowed_ip=0.0.0.0/0\n"
                + "public_key=" + "CD".repeat(32) + "\n" + END));

        Peer peer = device.peers().get(0);
        assertEquals("[fe80::1]:51820", peer.endpointText());
        assertEquals(List.of("fd00:0:0:4::/64", "2001:db8::1:0:0:1/128", "::/0", "0.0.0.0/0"), peer.allowedIps());
        assertEquals("zc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc0=", device.peers().get(1).publicKey());
    }

    @Test
    void aHandshakeTimeOfZeroMeansNever() throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii(PEER + "last_handshake_time_sec=0\nlast_handshake_time_nsec=0\n"
                + PEER + "last_handshake_time_sec=0\nlast_handshake_time_nsec=1\n" + END));

        assertNull(device.peers().get(0).lastHandshake());
        assertEquals(Instant.ofEpochSecond(0, 1), device.peers().get(1).lastHandshake());
    }

    @Test
    void anErrnoOtherThanZeroIsAnErrorNamingIt() {
        WireGuardException e = assertThrows(WireGuardException.class,
                () -> UapiReplyParser.parse("wg0", ascii("errno=5\n\n")));

        assertEquals(Reason.REFUSED, e.reason());
        assertTrue(e.getMessage().contains("wg0") && e.getMessage().contains("errno=5")
                && e.getMessage().contains("EIO"), e.getMessage());
    }

    static Stream<Arguments> malformedReplies() {
        return Stream.of(
                arguments("missing errno", "listen_port=1\n\n", 2, null),
                arguments("truncated mid-line", "listen_port=1\nerrno=0", 2, null),
                arguments("no blank line", "listen_port=1\nerrno=0\n", 3, null),
                arguments("empty reply", "", 1, null),
                arguments("no equals sign", "listen_port 1\nerrno=0\n\n", 1, null),
                arguments("bad number", "listen_port=30x0\nerrno=0\n\n", 1, "listen_port"),
                arguments("port out of range", "listen_port=65536\nerrno=0\n\n", 1, "listen_port"),
                arguments("negative number", "fwmark=-1\nerrno=0\n\n", 1, "fwmark"),
                arguments("empty number", "errno=\n\n", 1, "errno"),
                arguments("huge number", PEER + "rx_bytes=99999999999999999999\nerrno=0\n\n", 2, "rx_bytes"),
                arguments("19 digits past 2^63", PEER + "rx_bytes=9223372036854775808\nerrno=0\n\n", 2, "rx_bytes"),
                arguments("19 nines", PEER + "tx_bytes=9999999999999999999\nerrno=0\n\n", 2, "tx_bytes"),
                arguments("non-digit in 8 digits", PEER + "tx_bytes=1234:678\nerrno=0\n\n", 2, "tx_bytes"),
                arguments("known key, no equals", PEER + "tx_bytes\nerrno=0\n\n", 2, null),
                arguments("nanoseconds >= 1e9", PEER + "last_handshake_time_nsec=1000000000\nerrno=0\n\n", 2, "last_handshake_time_nsec"),
                arguments("short public key", "public_key=abcd\nerrno=0\n\n", 1, "public_key"),
                arguments("non-hex public key", PEER + "public_key=zz\nerrno=0\n\n", 2, "public_key"),
                arguments("non-hex private key", "private_key=zz\nerrno=0\n\n", 1, "private_key"),
                arguments("peer key before peer", "endpoint=192.0.2.1:1\nerrno=0\n\n", 1, "endpoint"),
                arguments("psk before peer", "preshared_key=00\nerrno=0\n\n", 1, "preshared_key"),
                arguments("endpoint without port", PEER + "endpoint=192.0.2.1\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint port range", PEER + "endpoint=192.0.2.1:65536\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint host name", PEER + "endpoint=vpn.example.com:51820\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint v6 unbracket", PEER + "endpoint=2001:db8::1:51820\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint unclosed [", PEER + "endpoint=[2001:db8::1:51820\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint bad v4", PEER + "endpoint=192.0.2.256:1\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint leading zero", PEER + "endpoint=192.0.2.01:1\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint two ::", PEER + "endpoint=[1::2::3]:1\nerrno=0\n\n", 2, "endpoint"),
                arguments("endpoint v4 bracketed", PEER + "endpoint=[192.0.2.1]:1\nerrno=0\n\n", 2, "endpoint"),
                arguments("allowed ip no prefix", PEER + "allowed_ip=10.0.0.1\nerrno=0\n\n", 2, "allowed_ip"),
                arguments("allowed ip /33", PEER + "allowed_ip=10.0.0.0/33\nerrno=0\n\n", 2, "allowed_ip"),
                arguments("allowed ip /129", PEER + "allowed_ip=fd00::/129\nerrno=0\n\n", 2, "allowed_ip"),
                arguments("allowed ip 9 groups", PEER + "allowed_ip=1:2:3:4:5:6:7:8:9/128\nerrno=0\n\n", 2, "allowed_ip"),
                arguments("allowed ip name", PEER + "allowed_ip=localhost/32\nerrno=0\n\n", 2, "allowed_ip"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedReplies")
    void malformedRepliesNameTheLineAndKey(String description, String reply, int line, String key) {
        WireGuardException e = assertThrows(WireGuardException.class,
                () -> UapiReplyParser.parse("wg0", ascii(reply)), description);

        assertEquals(Reason.MALFORMED_REPLY, e.reason(), e.getMessage());
        String lineAndKey = "wg0: malformed UAPI reply at line " + line + (key == null ? ": " : " (" + key + "): ");
        assertTrue(e.getMessage().startsWith(lineAndKey), e.getMessage());
    }

    @Test
    void anOverlongLineIsRejectedAlsoWhenItArrivesInPieces() throws Exception {
        byte[] line = ascii("future_key=" + "x".repeat(UapiReplyParser.MAX_LINE_LENGTH));
        assertEquals(Reason.MALFORMED_REPLY, assertThrows(WireGuardException.class,
                () -> UapiReplyParser.parse("wg0", ascii(new String(line) + "\nerrno=0\n\n"))).reason());
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"), new DevicePublicKeys(), new KnownPeers());
        parser.feed(line, 0, 100);
        WireGuardException e = assertThrows(WireGuardException.class, () -> parser.feed(line, 100, line.length - 100));
        assertEquals(Reason.MALFORMED_REPLY, e.reason());
        assertTrue(e.getMessage().startsWith("wg0: malformed UAPI reply at line 1: "), e.getMessage());
    }

    @Test
    void errorMessagesNeverQuoteASecretValue() {
        String privateKey = "private_key=" + UapiFixtures.FAKE_PRIVATE_KEY_HEX;
        String presharedKey = "preshared_key=" + UapiFixtures.FAKE_PRESHARED_KEY_HEX;
        List<String> replies = List.of(
                privateKey + "0\nerrno=0\n\n",
                privateKey.substring(0, privateKey.length() - 1) + "\nerrno=0\n\n",
                privateKey.replace('c', 'x') + "\nerrno=0\n\n",
                privateKey,
                privateKey.replace('=', ' ') + "\nerrno=0\n\n",
                presharedKey + "\nerrno=0\n\n",
                PEER + presharedKey,
                PEER + presharedKey.replace('=', ':') + "\n\n",
                PEER + presharedKey + "\n" + privateKey + "\nerrno=1\n\n",
                "endpoint=" + UapiFixtures.FAKE_PRESHARED_KEY_HEX + "\n\n");
        for (String reply : replies) {
            WireGuardException e = assertThrows(WireGuardException.class, () -> UapiReplyParser.parse("wg0", ascii(reply)), reply);
            assertNull(secretIn(e.getMessage()), e.getMessage());
            assertNull(e.getCause());
        }
    }

    @Test
    void peersBeyondTheBudgetAreTooLarge() throws Exception {
        UapiReplyParser parser = new UapiReplyParser("wg0",
                new io.wgmon.wireguard.ReplyLimits(1 << 20, 2, 100).budget("wg0: UAPI reply on /x/wg0.sock"),
                new DevicePublicKeys(), new KnownPeers());
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            reply.append("public_key=").append(String.format("%064x", i + 1)).append('\n');
        }
        byte[] bytes = ascii(reply.toString());

        WireGuardException e = assertThrows(WireGuardException.class, () -> parser.feed(bytes, 0, bytes.length));

        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().startsWith("wg0: UAPI reply on /x/wg0.sock has more than 2 peers"), e.getMessage());
    }

    @Test
    void allowedIpsBeyondTheBudgetAreTooLarge() {
        String reply = PEER + "allowed_ip=10.0.0.1/32\n".repeat(5);
        UapiReplyParser parser = new UapiReplyParser("wg0", new io.wgmon.wireguard.ReplyLimits(1 << 20, 10, 4).budget("wg0"),
                new DevicePublicKeys(), new KnownPeers());

        WireGuardException e = assertThrows(WireGuardException.class, () -> parser.feed(ascii(reply), 0, reply.length()));

        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().startsWith("wg0 has more than 4 allowed IPs"), e.getMessage());
    }

    @Test
    void aPeerWhoseLinesDidNotChangeSinceTheLastReadIsTheSamePeerAndAChangedOneIsNew() throws Exception {
        String quiet = "public_key=" + "cd".repeat(32) + "\nendpoint=192.0.2.7:51820\nlast_handshake_time_sec=1764115000\n"
                + "last_handshake_time_nsec=5\nrx_bytes=100\ntx_bytes=200\nallowed_ip=10.0.0.7/32\nallowed_ip=fd00::7/128\n";
        String busy = PEER + "endpoint=192.0.2.8:51820\nlast_handshake_time_sec=1764115000\nrx_bytes=100\nallowed_ip=10.0.0.8/32\n";
        KnownPeers known = new KnownPeers();
        Device first = readWith(known, quiet + busy + END);
        Device second = readWith(known, quiet + busy.replace("rx_bytes=100", "rx_bytes=180") + END);

        assertSame(first.peers().get(0), second.peers().get(0), "unchanged: the same Peer, nothing decoded again");
        assertNotSame(first.peers().get(1), second.peers().get(1));
        assertEquals(180, second.peers().get(1).rxBytes());
        assertEquals(first.peers().get(1).endpoint(), second.peers().get(1).endpoint());
        assertEquals(UapiReplyParser.parse("wg0", ascii(quiet + busy.replace("rx_bytes=100", "rx_bytes=180") + END)), second);

        Device third = readWith(known, busy + END);
        assertEquals(1, known.size(), "a peer the read did not list is forgotten");
        assertEquals(UapiReplyParser.parse("wg0", ascii(busy + END)), third);
    }

    private static Device readWith(KnownPeers known, String reply) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                new DevicePublicKeys(), known);
        byte[] bytes = ascii(reply);
        parser.feed(bytes, 0, bytes.length);
        return parser.device();
    }
}
