package io.wgmon.wireguard.kernel;

import io.wgmon.netlink.AttributeWriter;
import io.wgmon.netlink.TestAttributes;
import io.wgmon.netlink.TestAttributes.TestAttribute;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static io.wgmon.wireguard.kernel.KernelFixtures.DEVICE_KEY;
import static io.wgmon.wireguard.kernel.KernelFixtures.PEER_KEY;
import static io.wgmon.wireguard.kernel.KernelFixtures.endpoint;
import static io.wgmon.wireguard.kernel.KernelFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WireGuardGenlParserTest {
    private static final KernelDeviceEncoder KERNEL = new KernelDeviceEncoder(32 * 1024, false, false);

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void theTestEncoderLaysOutOnePeerExactlyAsTheHeaderSays() {
        List<byte[]> messages = KERNEL.messages(KernelFixtures.onePeerDevice(), 9);

        assertEquals(1, messages.size());
        assertEquals(HexFormat.of().formatHex(KernelFixtures.onePeerMessage(9)), HexFormat.of().formatHex(messages.get(0)));
    }

    @Test
    void onePeerFromTheHandWrittenFixture() throws Exception {
        Device device = parse(List.of(KernelFixtures.onePeerMessage(1)));

        assertEquals(KernelFixtures.onePeerDevice(), device);
        Peer peer = device.peers().get(0);
        assertEquals("192.0.2.2:51820", peer.endpointText());
        assertEquals(Instant.parse("2023-11-14T22:13:20.000000123Z"), peer.lastHandshake());
        assertEquals(2000, peer.rxBytes());
        assertEquals(1000, peer.txBytes());
        assertEquals(25, peer.persistentKeepalive());
        assertEquals(1, peer.protocolVersion());
    }

    @Test
    void deviceWithoutKeyOrPeers() throws Exception {
        Device bare = new Device("wg0", null, 0, 0, List.of());

        Device device = parse(KERNEL.messages(bare, 1));

        assertEquals(bare, device);
        assertNull(device.publicKey());
    }

    @Test
    void manyPeersOverSeveralMessages() throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            peers.add(new Peer(peerKey(i), i % 3 == 0 ? null : endpoint("198.51.100." + (i % 250), 1024 + i),
                    List.of("10.1." + (i / 250) + "." + (i % 250) + "/32", "fd00::" + Integer.toHexString(i + 1) + "/128"),
                    i % 5 == 0 ? null : Instant.ofEpochSecond(1_700_000_000L + i, i), i * 1000L, i * 7L, i % 2 * 25, 1));
        }
        Device expected = new Device("wg0", DEVICE_KEY, 51820, 0x1234, peers);

        List<byte[]> messages = new KernelDeviceEncoder(4096, false, false).messages(expected, 1);

        assertTrue(messages.size() > 10, messages.size() + " messages");
        assertEquals(expected, parse(messages));
    }

    @Test
    void aPeerSplitAcrossTwoMessagesIsMergedByPublicKey() throws Exception {
        List<String> allowedIps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            allowedIps.add("10.20." + i + ".0/24");
        }
        Peer first = new Peer(key(0x01), endpoint("192.0.2.7", 3000), allowedIps, Instant.ofEpochSecond(1_700_000_500L),
                5, 6, 0, 1);
        Peer second = new Peer(key(0x02), null, List.of("10.30.0.1/32"), null, 0, 0, 0, 1);
        Device expected = new Device("wg0", DEVICE_KEY, 51820, 0, List.of(first, second));

        List<byte[]> messages = new KernelDeviceEncoder(600, false, false).messages(expected, 1);

        assertEquals(2, messages.size());
        List<TestAttribute> continued = peersIn(messages.get(1));
        TestAttributes continuation = continued.get(0).attributes();
        assertEquals(List.of(WireGuardGenl.PEER_A_PUBLIC_KEY, WireGuardGenl.PEER_A_ALLOWEDIPS),
                continuation.list().stream().map(TestAttribute::type).toList(),
                "the continued peer carries only its key and more allowed IPs");
        assertEquals(first.publicKey(),
                Base64.getEncoder().encodeToString(continuation.first(WireGuardGenl.PEER_A_PUBLIC_KEY).orElseThrow().bytes()));
        assertTrue(peersIn(messages.get(0)).get(0).attributes().first(WireGuardGenl.PEER_A_ALLOWEDIPS).orElseThrow()
                .attributes().size() < 20, "the first message holds only part of the allowed IPs");
        assertEquals(expected, parse(messages));
    }

    @Test
    void aKeyMetAgainAfterAnotherPeerIsStillMergedIntoItsFirstAppearance() throws Exception {
        Peer first = new Peer(key(0x01), endpoint("192.0.2.7", 3000), List.of("10.20.0.0/24"),
                Instant.ofEpochSecond(1_700_000_500L), 5, 6, 0, 1);
        Peer second = new Peer(key(0x02), null, List.of("10.30.0.1/32"), null, 0, 0, 0, 1);
        Peer firstAgain = new Peer(key(0x01), endpoint("192.0.2.7", 3000), List.of("10.20.1.0/24"),
                Instant.ofEpochSecond(1_700_000_500L), 5, 6, 0, 1);
        List<byte[]> messages = new ArrayList<>(KERNEL.messages(new Device("wg0", DEVICE_KEY, 51820, 0, List.of(first, second)), 1));
        messages.addAll(KERNEL.messages(new Device("wg0", DEVICE_KEY, 51820, 0, List.of(firstAgain)), 1));

        Device device = parse(messages);

        assertEquals(List.of(new Peer(key(0x01), endpoint("192.0.2.7", 3000), List.of("10.20.0.0/24", "10.20.1.0/24"),
                Instant.ofEpochSecond(1_700_000_500L), 5, 6, 0, 1), second), device.peers());
    }

    @Test
    void ipv6EndpointAndAllowedIpsInWgShowForm() throws Exception {
        Peer peer = new Peer(PEER_KEY, endpoint("2001:db8:0:0:0:0:0:2", 51820),
                List.of("fd00:0:0:0:0:0:0:0/64", "0:0:0:0:0:0:0:0/0", "2001:db8:0:1:0:0:0:0/64", "10.0.0.0/8", "fe80:0:0:0:0:0:0:1/128"),
                Instant.ofEpochSecond(1_700_000_000L), 1, 2, 0, 1);
        Device expected = new Device("wg0", DEVICE_KEY, 51820, 0, List.of(peer));
        // the texts the parser must produce, written out rather than computed
        List<String> asWgShowsThem = List.of("fd00::/64", "::/0", "2001:db8:0:1::/64", "10.0.0.0/8", "fe80::1/128");

        Peer parsed = parse(KERNEL.messages(expected, 1)).peers().get(0);

        assertEquals(asWgShowsThem, parsed.allowedIps());
        assertEquals("[2001:db8::2]:51820", parsed.endpointText());
    }

    @Test
    void aPeerThatNeverShookHandsHasNoHandshakeTime() throws Exception {
        Peer silent = new Peer(PEER_KEY, null, List.of(), null, 0, 0, 0, 1);

        Peer parsed = parse(KERNEL.messages(new Device("wg0", DEVICE_KEY, 1, 0, List.of(silent)), 1)).peers().get(0);

        assertNull(parsed.lastHandshake());
        assertNull(parsed.endpoint());
        assertEquals(List.of(), parsed.allowedIps());
    }

    @Test
    void padAttributesBeforeU64ValuesAreSkipped() throws Exception {
        Device expected = KernelFixtures.onePeerDevice();

        List<byte[]> messages = new KernelDeviceEncoder(32 * 1024, true, false).messages(expected, 1);

        long pads = peersIn(messages.get(0)).get(0).attributes().list().stream().filter(a -> a.type() == 0).count();
        assertTrue(pads > 0, "the encoder padded a u64");
        assertEquals(expected, parse(messages));
    }

    @Test
    void unknownAttributesAtEveryLevelAreIgnored() throws Exception {
        Device expected = KernelFixtures.onePeerDevice();

        List<byte[]> messages = new KernelDeviceEncoder(32 * 1024, true, true).messages(expected, 1);

        assertTrue(messages.get(0).length > KernelFixtures.onePeerMessage(1).length);
        assertEquals(expected, parse(messages));
    }

    @Test
    void keysAreZeroedInThePayloadAndAbsentFromTheDevice() throws Exception {
        List<ByteBuffer> payloads = KernelDeviceEncoder.payloads(List.of(KernelFixtures.onePeerMessage(1)));
        byte[] before = payloads.get(0).array().clone();
        assertTrue(contains(before, KernelDeviceEncoder.PRIVATE_KEY));
        assertTrue(contains(before, KernelDeviceEncoder.PRESHARED_KEY));

        Device device = WireGuardGenlParser.parse("wg0", payloads);

        byte[] after = payloads.get(0).array();
        assertFalse(contains(after, KernelDeviceEncoder.PRIVATE_KEY));
        assertFalse(contains(after, KernelDeviceEncoder.PRESHARED_KEY));
        assertEquals(before.length, after.length);
        KernelSecrets.assertAbsent(device.toString());
    }

    @Test
    void aTruncatedMessageIsAClearError() {
        byte[] whole = KernelFixtures.onePeerMessage(1);
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        ByteBuffer.wrap(cut).order(ByteOrder.nativeOrder()).putInt(0, cut.length);

        WireGuardException e = assertThrows(WireGuardException.class, () -> parse(List.of(cut)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): attribute type 8 claims 192 bytes,"
                + " 182 left in its container", e.getMessage());
    }

    @Test
    void anAttributeLongerThanItsNestIsAClearError() {
        byte[] message = KernelFixtures.onePeerMessage(1);
        int allowedIpNest = indexOf(message, KernelFixtures.hex("1c00 0080"));
        // the allowed IP nest claims more than its ALLOWEDIPS container holds
        message[allowedIpNest] = 0x30;

        WireGuardException e = assertThrows(WireGuardException.class, () -> parse(List.of(message)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): attribute type 0 claims 48 bytes,"
                + " 28 left in its container", e.getMessage());
    }

    @Test
    void anAttributeShorterThanItsHeaderIsAClearError() {
        byte[] message = KernelFixtures.onePeerMessage(1);
        message[20] = 2;

        WireGuardException e = assertThrows(WireGuardException.class, () -> parse(List.of(message)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): attribute type 6 has length 2, below 4",
                e.getMessage());
    }

    @Test
    void aThreeByteListenPortIsAClearError() {
        ByteBuffer payload = genl(new AttributeWriter().header(new byte[] {0, 1, 0, 0})
                .put(WireGuardGenl.DEVICE_A_LISTEN_PORT, new byte[] {1, 2, 3}));

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> WireGuardGenlParser.parse("wg0", List.of(payload)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): device LISTEN_PORT has 3 bytes, 2 expected",
                e.getMessage());
    }

    @Test
    void aTwentyByteEndpointIsAClearError() {
        byte[] sockaddr = Arrays.copyOf(KernelDeviceEncoder.sockaddr(endpoint("192.0.2.2", 1)), 20);
        ByteBuffer payload = genl(new AttributeWriter().header(new byte[] {0, 1, 0, 0})
                .beginNested(WireGuardGenl.DEVICE_A_PEERS).beginNested(0)
                .put(WireGuardGenl.PEER_A_PUBLIC_KEY, new byte[32])
                .put(WireGuardGenl.PEER_A_ENDPOINT, sockaddr)
                .endNested().endNested());

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> WireGuardGenlParser.parse("wg0", List.of(payload)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): peer ENDPOINT has 20 bytes and address"
                + " family 2, expected 16 bytes of AF_INET or 28 bytes of AF_INET6", e.getMessage());
    }

    @Test
    void aPeerWithoutPublicKeyIsAClearError() {
        ByteBuffer payload = genl(new AttributeWriter().header(new byte[] {0, 1, 0, 0})
                .beginNested(WireGuardGenl.DEVICE_A_PEERS).beginNested(0)
                .putU64(WireGuardGenl.PEER_A_RX_BYTES, 5)
                .endNested().endNested());

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> WireGuardGenlParser.parse("wg0", List.of(payload)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): peer 1 has no PUBLIC_KEY", e.getMessage());
    }

    @Test
    void anAllowedIpWithTheWrongAddressLengthIsAClearError() {
        ByteBuffer payload = genl(new AttributeWriter().header(new byte[] {0, 1, 0, 0})
                .beginNested(WireGuardGenl.DEVICE_A_PEERS).beginNested(0)
                .put(WireGuardGenl.PEER_A_PUBLIC_KEY, new byte[32])
                .beginNested(WireGuardGenl.PEER_A_ALLOWEDIPS).beginNested(0)
                .putU16(WireGuardGenl.ALLOWEDIP_A_FAMILY, WireGuardGenl.AF_INET6)
                .put(WireGuardGenl.ALLOWEDIP_A_IPADDR, new byte[4])
                .putU8(WireGuardGenl.ALLOWEDIP_A_CIDR_MASK, 64)
                .endNested().endNested().endNested().endNested());

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> WireGuardGenlParser.parse("wg0", List.of(payload)));

        assertTrue(e.getMessage().startsWith("wg0: malformed WireGuard netlink reply (message 1): allowed IP has"
                + " family 10, a 4-byte address and mask 64"), e.getMessage());
    }

    @Test
    void aHandshakeTimeWithTooManyNanosecondsIsAClearError() {
        byte[] timespec = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(5).putLong(1_000_000_000L).array();
        ByteBuffer payload = genl(new AttributeWriter().header(new byte[] {0, 1, 0, 0})
                .beginNested(WireGuardGenl.DEVICE_A_PEERS).beginNested(0)
                .put(WireGuardGenl.PEER_A_PUBLIC_KEY, new byte[32])
                .put(WireGuardGenl.PEER_A_LAST_HANDSHAKE_TIME, timespec)
                .endNested().endNested());

        WireGuardException e = assertThrows(WireGuardException.class,
                () -> WireGuardGenlParser.parse("wg0", List.of(payload)));

        assertEquals("wg0: malformed WireGuard netlink reply (message 1): peer LAST_HANDSHAKE_TIME is not a valid time",
                e.getMessage());
    }

    @Test
    void aReplyWithoutMessagesIsAClearError() {
        WireGuardException e = assertThrows(WireGuardException.class, () -> WireGuardGenlParser.parse("wg0", List.of()));

        assertEquals("wg0: malformed WireGuard netlink reply (message 0): the reply has no device message", e.getMessage());
    }

    @Test
    void everyTruncationFailsWithAWireGuardExceptionThatQuotesNoSecret() {
        byte[] whole = new KernelDeviceEncoder(32 * 1024, true, true).messages(KernelFixtures.onePeerDevice(), 1).get(0);
        for (int length = 16; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            ByteBuffer.wrap(cut).order(ByteOrder.nativeOrder()).putInt(0, length);
            try {
                parse(List.of(cut));
            } catch (WireGuardException e) {
                KernelSecrets.assertAbsent(e.getMessage());
            }
        }
    }

    static Device parse(List<byte[]> messages) throws WireGuardException {
        return WireGuardGenlParser.parse("wg0", KernelDeviceEncoder.payloads(messages));
    }

    static String peerKey(int i) {
        byte[] key = new byte[32];
        ByteBuffer.wrap(key).putInt(i + 1);
        return Base64.getEncoder().encodeToString(key);
    }

    private static ByteBuffer genl(AttributeWriter writer) {
        return ByteBuffer.wrap(writer.toByteArray());
    }

    /** The peer nests of a dump message. */
    private static List<TestAttribute> peersIn(byte[] message) {
        ByteBuffer payload = KernelDeviceEncoder.payloads(List.of(message)).get(0);
        return TestAttributes.parse(payload.position(WireGuardGenl.GENL_HEADER_LENGTH))
                .first(WireGuardGenl.DEVICE_A_PEERS).orElseThrow().attributes().list();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle) >= 0;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
