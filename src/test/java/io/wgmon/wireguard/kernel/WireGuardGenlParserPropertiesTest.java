package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.ReplyLimits;
import io.wgmon.wireguard.Device;
import io.wgmon.wireguard.Endpoints;
import io.wgmon.wireguard.Peer;
import io.wgmon.wireguard.WireGuardException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.wgmon.wireguard.kernel.KernelFixtures.datagram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Random devices through the kernel's encoding and back; random damage only ever gives a WireGuardException. */
class WireGuardGenlParserPropertiesTest {
    private static final int SEQ = 4;

    /** How the kernel side splits and decorates the dump. */
    record Encoding(int messageBudget, boolean padU64, boolean unknownAttributes) {
        KernelDeviceEncoder encoder() {
            return new KernelDeviceEncoder(messageBudget, padU64, unknownAttributes);
        }
    }

    record Damage(double position, int value, boolean truncate) {
    }

    @BeforeContainer
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the encoder writes x86-64 layouts");
    }

    @Property(tries = 60)
    void encodedDevicesParseBackEqual(@ForAll("devices") Device device, @ForAll("encodings") Encoding encoding)
            throws Exception {
        List<byte[]> messages = encoding.encoder().messages(device, SEQ);
        Statistics.label("peers").collect(device.peers().size() / 500 * 500);
        Statistics.label("messages").collect(messages.size() == 1 ? "1" : messages.size() < 100 ? "2-99" : "100+");
        ReplyDriver<Device> dump = new ReplyDriver<>(new DeviceDump(device.name(), KernelDeviceEncoder.FAMILY_ID, ReplyLimits.forThisHeap()), SEQ);
        for (byte[] message : messages) {
            dump.accept(datagram(message));
        }
        assertTrue(dump.accept(datagram(KernelDeviceEncoder.done(SEQ))));

        Device parsed = dump.result();

        assertEquals(device, parsed);
        KernelSecrets.assertAbsent(parsed.toString());
    }

    @Property(tries = 2000)
    void damagedRepliesFailOnlyWithWireGuardExceptionsThatQuoteNoSecret(
            @ForAll("smallDevices") Device device, @ForAll("encodings") Encoding encoding,
            @ForAll("damages") List<Damage> damages) {
        List<ByteBuffer> payloads = KernelDeviceEncoder.payloads(encoding.encoder().messages(device, SEQ));
        for (Damage damage : damages) {
            payloads = damage(payloads, damage);
        }
        try {
            WireGuardGenlParser.parse(device.name(), payloads);
            Statistics.label("outcome").collect("parsed");
        } catch (WireGuardException e) {
            Statistics.label("outcome").collect("WireGuardException");
            assertTrue(e.getMessage().startsWith(device.name() + ": malformed WireGuard netlink reply"), e.getMessage());
            KernelSecrets.assertAbsent(e.getMessage());
        }
    }

    @Provide
    Arbitrary<Device> devices() {
        return devices(2000);
    }

    @Provide
    Arbitrary<Device> smallDevices() {
        return devices(6);
    }

    @Provide
    Arbitrary<Encoding> encodings() {
        Arbitrary<Integer> budgets = Arbitraries.oneOf(Arbitraries.integers().between(640, 2048),
                Arbitraries.just(32 * 1024));
        return Combinators.combine(budgets, Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Encoding::new);
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 255),
                Arbitraries.of(true, false, false, false, false)).as(Damage::new).list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<Device> devices(int maxPeers) {
        Arbitrary<String> deviceKey = Arbitraries.oneOf(Arbitraries.just(null), keys());
        return Combinators.combine(deviceKey, Arbitraries.integers().between(0, 65535), Arbitraries.integers(),
                        peers().list().ofMaxSize(maxPeers).withSizeDistribution(RandomDistribution.uniform())
                                .uniqueElements(Peer::publicKey))
                .as((key, port, fwmark, peers) -> new Device("wg0", key, port, fwmark, peers));
    }

    private static Arbitrary<Peer> peers() {
        Arbitrary<Instant> handshakes = Arbitraries.oneOf(Arbitraries.just(null),
                Combinators.combine(Arbitraries.longs().between(0, 1L << 40), Arbitraries.integers().between(0, 999_999_999))
                        .filter((seconds, nanos) -> seconds != 0 || nanos != 0)
                        .as(Instant::ofEpochSecond));
        Arbitrary<Integer> protocolVersions = Arbitraries.oneOf(Arbitraries.just(1), Arbitraries.integers());
        return Combinators.combine(keys(), endpoints(), allowedIps().list().ofMaxSize(20), handshakes,
                        Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(0, 65535), protocolVersions)
                .as(Peer::new);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Base64.getEncoder()::encodeToString);
    }

    private static Arbitrary<InetSocketAddress> endpoints() {
        Arbitrary<Integer> ports = Arbitraries.integers().between(0, 65535);
        Arbitrary<InetSocketAddress> v4 = Combinators.combine(addresses(4), ports)
                .as((address, port) -> new InetSocketAddress(address, port));
        Arbitrary<InetSocketAddress> v6 = Combinators.combine(addresses(16), ports)
                .as((address, port) -> new InetSocketAddress(address, port));
        return Arbitraries.oneOf(Arbitraries.just(null), v4, v6);
    }

    private static Arbitrary<String> allowedIps() {
        Arbitrary<String> v4 = Combinators.combine(addresses(4), Arbitraries.integers().between(0, 32))
                .as((address, mask) -> address.getHostAddress() + "/" + mask);
        Arbitrary<String> v6 = Combinators.combine(addresses(16), Arbitraries.integers().between(0, 128))
                .as((address, mask) -> Endpoints.address(address) + "/" + mask);
        return Arbitraries.oneOf(v4, v6);
    }

    /** Random addresses, with zero runs common so that "::" forms come up. */
    private static Arbitrary<InetAddress> addresses(int length) {
        Arbitrary<Byte> octets = Arbitraries.oneOf(Arbitraries.just((byte) 0), Arbitraries.bytes());
        return octets.array(byte[].class).ofSize(length).map(bytes -> {
            try {
                return length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<ByteBuffer> damage(List<ByteBuffer> payloads, Damage damage) {
        List<ByteBuffer> damaged = new ArrayList<>(payloads);
        int total = payloads.stream().mapToInt(ByteBuffer::remaining).sum();
        int at = (int) (damage.position() * total);
        for (int i = 0; i < damaged.size(); i++) {
            ByteBuffer payload = damaged.get(i);
            if (at < payload.remaining()) {
                if (damage.truncate()) {
                    damaged.set(i, ByteBuffer.wrap(payload.array(), 0, at).slice());
                } else {
                    payload.put(at, (byte) damage.value());
                }
                break;
            }
            at -= payload.remaining();
        }
        return damaged;
    }
}
