package io.wgmon.wireguard.uapi;

import io.wgmon.wireguard.DevicePublicKeys;
import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Endpoints;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.X25519PublicKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static io.wgmon.wireguard.uapi.UapiFixtures.ascii;
import static io.wgmon.wireguard.uapi.UapiFixtures.secretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiReplyParserPropertiesTest {
    private static final String INTERESTING_BYTES = "=\n\n:[]%./0123456789abcdefABCDEF_xz \u0000\u00ff";

    /** A device as the generator made it, and the UAPI text a daemon would send for it. */
    record GeneratedReply(Device expected, String text, List<String> secrets) {
    }

    record GeneratedPeer(Peer expected, String text, String presharedKeyHex) {
    }

    record Address(byte[] bytes, String canonical, String written) {
    }

    record Traffic(long handshakeSeconds, int handshakeNanos, long rxBytes, long txBytes) {
    }

    enum MutationKind { OVERWRITE, DELETE, INSERT, TRUNCATE, DUPLICATE }

    record Mutation(MutationKind kind, double position, int length, String bytes) {
        byte[] apply(byte[] reply) {
            int at = (int) (position * reply.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case OVERWRITE -> {
                    byte[] copy = reply.clone();
                    byte[] replacement = ascii(bytes);
                    for (int i = 0; i < replacement.length && at + i < copy.length; i++) {
                        copy[at + i] = replacement[i];
                    }
                    return copy;
                }
                case DELETE -> {
                    out.write(reply, 0, at);
                    int resume = Math.min(reply.length, at + length);
                    out.write(reply, resume, reply.length - resume);
                }
                case INSERT -> {
                    out.write(reply, 0, at);
                    out.writeBytes(ascii(bytes));
                    out.write(reply, at, reply.length - at);
                }
                case TRUNCATE -> out.write(reply, 0, at);
                case DUPLICATE -> {
                    int end = Math.min(reply.length, at + length);
                    out.write(reply, 0, end);
                    out.write(reply, at, reply.length - at);
                }
            }
            return out.toByteArray();
        }
    }

    @Property(tries = 500)
    void generatedRepliesParseToTheDeviceTheyDescribe(@ForAll("replies") GeneratedReply reply) throws Exception {
        Device device = UapiReplyParser.parse("wg0", ascii(reply.text()));

        assertEquals(reply.expected(), device);
        String expectedText = reply.expected().toString().toLowerCase(Locale.ROOT);
        String deviceText = device.toString().toLowerCase(Locale.ROOT);
        for (String secret : reply.secrets()) {
            // skips the generator's coincidences, e.g. a preshared key drawn equal to a public key
            if (!expectedText.contains(secret.toLowerCase(Locale.ROOT))) {
                assertFalse(deviceText.contains(secret.toLowerCase(Locale.ROOT)), secret);
            }
        }
    }

    @Property(tries = 3000)
    void mutatedRepliesFailOnlyWithWireGuardExceptionsThatQuoteNoSecret(
            @ForAll("mutations") List<Mutation> mutations, @ForAll @IntRange(min = 1, max = 300) int chunk) {
        byte[] reply = ascii(UapiFixtures.wireguardGoReply());
        for (Mutation mutation : mutations) {
            reply = mutation.apply(reply);
        }
        Object whole = outcome(reply, reply.length);

        assertEquals(whole, outcome(reply, chunk), "the result must not depend on how the reply is split");
        if (whole instanceof String message) {
            assertNull(secretIn(message), message);
        }
    }

    @Property(tries = 500)
    void aReplyReadAfterAnotherOfTheSameDeviceParsesAsIfReadAlone(@ForAll("replies") GeneratedReply first,
                                                                @ForAll("replies") GeneratedReply second) throws Exception {
        KnownPeers known = new KnownPeers();
        assertEquals(first.expected(), parse(first.text(), known));
        assertEquals(second.expected(), parse(second.text(), known));
        assertEquals(second.expected(), parse(second.text(), known), "read again, unchanged");
        assertEquals(first.expected(), parse(first.text(), known));
    }

    @Property(tries = 3000)
    void aMutatedReplyAfterTheOriginalGivesWhatItGivesAlone(@ForAll("mutations") List<Mutation> mutations) throws Exception {
        byte[] original = ascii(UapiFixtures.wireguardGoReply());
        byte[] reply = original;
        for (Mutation mutation : mutations) {
            reply = mutation.apply(reply);
        }
        KnownPeers known = new KnownPeers();
        outcome(original, original.length, known);
        assertEquals(outcome(reply, reply.length, new KnownPeers()), outcome(reply, reply.length, known),
                "a line compared in place with the last read's must give what decoding it gives");
    }

    @Property(tries = 500)
    void aWholeReadAfterAnotherOfTheSameDeviceParsesAsIfReadAlone(@ForAll("replies") GeneratedReply first,
                                                                  @ForAll("replies") GeneratedReply second) throws Exception {
        KnownPeers known = new KnownPeers();
        assertEquals(first.expected(), read(first.text(), known));
        assertEquals(second.expected(), read(second.text(), known));
        assertEquals(second.expected(), read(second.text(), known), "read again, unchanged");
        assertEquals(first.expected(), read(first.text(), known));
        assertEquals(first.expected(), parse(first.text(), known), "a read as it arrives after a whole one");
        assertEquals(second.expected(), read(second.text(), known), "a whole read after one as it arrived");
    }

    @Property(tries = 3000)
    void aMutatedWholeReadAfterTheOriginalGivesWhatItGivesAlone(@ForAll("mutations") List<Mutation> mutations,
                                                               @ForAll boolean shuffled) throws Exception {
        byte[] original = ascii(UapiFixtures.wireguardGoReply());
        byte[] reply = shuffled ? peersReversed(original) : original;
        for (Mutation mutation : mutations) {
            reply = mutation.apply(reply);
        }
        KnownPeers known = new KnownPeers();
        wholeOutcome(original, known);
        Object alone = outcome(reply, reply.length, new KnownPeers());
        assertEquals(alone, wholeOutcome(reply, known), "a block compared with the last whole read's must give what reading it gives");
        wholeOutcome(original, known);
        wholeOutcome(original, known);
        assertEquals(alone, wholeOutcome(reply, known), "after two whole reads of the original");
    }

    @Property(tries = 500)
    void aWholeReadKeepsNoSecretInTheBytesItKeeps(@ForAll("replies") GeneratedReply first,
                                                 @ForAll("replies") GeneratedReply second) throws Exception {
        KnownPeers known = new KnownPeers();
        for (GeneratedReply reply : List.of(first, second, second)) {
            byte[] bytes = ascii(reply.text());
            UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                    new DevicePublicKeys(), known);
            parser.read(bytes, bytes.length);
            String kept = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            for (String secret : reply.secrets()) {
                // a public key drawn equal to a secret is the generator's coincidence, not a leak
                if (!reply.expected().toString().toLowerCase(Locale.ROOT).contains(secret.toLowerCase(Locale.ROOT))
                        && !reply.text().toLowerCase(Locale.ROOT).contains("public_key=" + secret.toLowerCase(Locale.ROOT))) {
                    assertFalse(kept.contains(secret.toLowerCase(Locale.ROOT)), "a secret in the kept bytes");
                }
            }
        }
    }

    /** The reply with its peers' blocks in reverse order, as wireguard-go may list them from read to read. */
    private static byte[] peersReversed(byte[] reply) {
        String text = new String(reply, java.nio.charset.StandardCharsets.ISO_8859_1);
        int first = text.indexOf("public_key=");
        int errno = text.lastIndexOf("errno=");
        List<String> blocks = new ArrayList<>();
        for (int at = first; at < errno; ) {
            int next = text.indexOf("public_key=", at + 1);
            int end = next < 0 || next > errno ? errno : next;
            blocks.add(text.substring(at, end));
            at = end;
        }
        StringBuilder reversed = new StringBuilder(text.substring(0, first));
        for (int i = blocks.size() - 1; i >= 0; i--) {
            reversed.append(blocks.get(i));
        }
        return reversed.append(text.substring(errno)).toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static Device read(String text, KnownPeers known) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                new DevicePublicKeys(), known);
        byte[] bytes = ascii(text);
        return parser.read(bytes, bytes.length);
    }

    /** The device or the exception's message of a whole read of a copy of {@code reply} (the read rewrites it). */
    private static Object wholeOutcome(byte[] reply, KnownPeers known) {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                new DevicePublicKeys(), known);
        byte[] copy = java.util.Arrays.copyOf(reply, reply.length + 16);
        try {
            return parser.read(copy, reply.length);
        } catch (WireGuardException e) {
            assertTrue(e.getMessage().startsWith("wg0: "), e.getMessage());
            known.clear(); // as the client does after a failed read
            return e.getMessage();
        }
    }

    private static Device parse(String text, KnownPeers known) throws WireGuardException {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"),
                new DevicePublicKeys(), known);
        byte[] bytes = ascii(text);
        parser.feed(bytes, 0, bytes.length);
        return parser.device();
    }

    @Property(tries = 2000)
    void arbitraryBytesFailOnlyWithWireGuardExceptions(@ForAll byte[] reply, @ForAll @IntRange(min = 1, max = 64) int chunk) {
        assertEquals(outcome(reply, reply.length), outcome(reply, chunk));
    }

    /** The device, or the message of the WireGuardException; any other exception fails the property. */
    private static Object outcome(byte[] reply, int chunk) {
        return outcome(reply, chunk, new KnownPeers());
    }

    private static Object outcome(byte[] reply, int chunk, KnownPeers known) {
        UapiReplyParser parser = new UapiReplyParser("wg0", ReplyLimits.forThisHeap().budget("wg0: UAPI reply"), new DevicePublicKeys(), known);
        try {
            boolean complete = false;
            for (int offset = 0; offset < reply.length && !complete; offset += chunk) {
                complete = parser.feed(reply, offset, Math.min(chunk, reply.length - offset));
            }
            return parser.device();
        } catch (WireGuardException e) {
            assertTrue(e.getMessage().startsWith("wg0: "), e.getMessage());
            return e.getMessage();
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(MutationKind.class),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 200),
                Arbitraries.strings().withChars(INTERESTING_BYTES).ofMinLength(1).ofMaxLength(8)
        ).as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<GeneratedReply> replies() {
        Arbitrary<byte[]> privateKey = key().injectNull(0.3);
        return Combinators.combine(
                privateKey,
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                peer().list().ofMaxSize(5),
                Arbitraries.of("", "future_key=1\n", "=\n", "x=y=z\n")
        ).as(UapiReplyParserPropertiesTest::reply);
    }

    private static GeneratedReply reply(byte[] privateKey, int listenPort, long fwmark, List<GeneratedPeer> peers,
                                        String unknownLine) {
        StringBuilder text = new StringBuilder();
        List<String> secrets = new ArrayList<>();
        String publicKey = null;
        if (privateKey != null) {
            String hex = HexFormat.of().formatHex(privateKey);
            text.append("private_key=").append(hex).append('\n');
            secrets.add(hex);
            secrets.add(Base64.getEncoder().encodeToString(privateKey));
            publicKey = publicKeyOf(privateKey);
        }
        text.append(unknownLine);
        if (listenPort != 0) {
            text.append("listen_port=").append(listenPort).append('\n');
        }
        if (fwmark != 0) {
            text.append("fwmark=").append(fwmark).append('\n');
        }
        List<Peer> expected = new ArrayList<>();
        for (GeneratedPeer peer : peers) {
            text.append(peer.text()).append(unknownLine);
            expected.add(peer.expected());
            if (peer.presharedKeyHex() != null) {
                secrets.add(peer.presharedKeyHex());
                secrets.add(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(peer.presharedKeyHex())));
            }
        }
        text.append("errno=0\n\n");
        return new GeneratedReply(new Device("wg0", publicKey, listenPort, (int) fwmark, expected), text.toString(), secrets);
    }

    private Arbitrary<GeneratedPeer> peer() {
        Arbitrary<Traffic> traffic = Combinators.combine(
                Arbitraries.longs().between(0, 1L << 40).edgeCases(e -> e.includeOnly(0L)),
                Arbitraries.integers().between(0, 999_999_999).edgeCases(e -> e.includeOnly(0)),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, Long.MAX_VALUE)
        ).as(Traffic::new);
        return Combinators.combine(
                key(),
                key().injectNull(0.5),
                endpoint().injectNull(0.2),
                allowedIp().list().ofMaxSize(4),
                traffic,
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false)
        ).as(UapiReplyParserPropertiesTest::peer);
    }

    private static GeneratedPeer peer(byte[] publicKey, byte[] presharedKey, InetSocketAddress endpoint,
                                      List<Address> allowedIps, Traffic traffic, int keepalive, int version,
                                      boolean upperCaseKey) {
        String keyHex = HexFormat.of().formatHex(publicKey);
        StringBuilder text = new StringBuilder("public_key=")
                .append(upperCaseKey ? keyHex.toUpperCase(Locale.ROOT) : keyHex).append('\n');
        String presharedHex = presharedKey == null ? null : HexFormat.of().formatHex(presharedKey);
        text.append("preshared_key=").append(presharedHex == null ? "0".repeat(64) : presharedHex).append('\n');
        text.append("protocol_version=").append(version).append('\n');
        if (endpoint != null) {
            text.append("endpoint=").append(Endpoints.format(endpoint)).append('\n');
        }
        text.append("last_handshake_time_sec=").append(traffic.handshakeSeconds()).append('\n')
                .append("last_handshake_time_nsec=").append(traffic.handshakeNanos()).append('\n')
                .append("tx_bytes=").append(traffic.txBytes()).append('\n')
                .append("rx_bytes=").append(traffic.rxBytes()).append('\n')
                .append("persistent_keepalive_interval=").append(keepalive).append('\n');
        List<String> allowed = new ArrayList<>();
        for (Address address : allowedIps) {
            text.append("allowed_ip=").append(address.written()).append('\n');
            allowed.add(address.canonical());
        }
        Instant handshake = traffic.handshakeSeconds() == 0 && traffic.handshakeNanos() == 0
                ? null : Instant.ofEpochSecond(traffic.handshakeSeconds(), traffic.handshakeNanos());
        Peer expected = new Peer(Base64.getEncoder().encodeToString(publicKey), endpoint, allowed, handshake,
                traffic.rxBytes(), traffic.txBytes(), keepalive, version);
        return new GeneratedPeer(expected, text.toString(), presharedHex);
    }

    private static Arbitrary<byte[]> key() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    private static Arbitrary<InetSocketAddress> endpoint() {
        Arbitrary<InetAddress> host = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4).map(UapiReplyParserPropertiesTest::ipv4),
                Arbitraries.bytes().array(byte[].class).ofSize(16).map(UapiReplyParserPropertiesTest::ipv6));
        return Combinators.combine(host, Arbitraries.integers().between(0, 0xFFFF)).as(InetSocketAddress::new);
    }

    /** Written as wireguard-go would, or uncompressed and in capitals, as another daemon might. */
    private static Arbitrary<Address> allowedIp() {
        Arbitrary<Address> v4 = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(4), Arbitraries.integers().between(0, 32)
        ).as((bytes, prefix) -> {
            String text = ipv4(bytes).getHostAddress() + "/" + prefix;
            return new Address(bytes, text, text);
        });
        Arbitrary<Address> v6 = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(16).edgeCases(e -> e.add(new byte[16])),
                Arbitraries.integers().between(0, 128),
                Arbitraries.of(true, false)
        ).as((bytes, prefix, compressed) -> {
            InetAddress address = ipv6(bytes);
            String canonical = Endpoints.address(address) + "/" + prefix;
            String written = compressed ? canonical : address.getHostAddress().toUpperCase(Locale.ROOT) + "/" + prefix;
            return new Address(bytes, canonical, written);
        });
        return Arbitraries.oneOf(v4, v6);
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String publicKeyOf(byte[] privateKey) {
        try {
            return Base64.getEncoder().encodeToString(X25519PublicKey.of(privateKey));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
