package io.wgmon.capture;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointTableTest {
    private final EndpointTable table = new EndpointTable();

    private static ByteBuffer bytes(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length);
        for (int value : values) {
            buffer.put((byte) value);
        }
        return buffer;
    }

    @Test
    void theSameAddressAndPortGiveTheSameInstanceWhereverTheBytesLie() throws Exception {
        InetSocketAddress first = table.at(bytes(192, 0, 2, 2), 0, 4, 40000);
        InetSocketAddress again = table.at(bytes(9, 9, 9, 192, 0, 2, 2, 9), 3, 4, 40000);
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 40000), first);
        assertSame(first, again);
        assertEquals(1, table.size());
    }

    @Test
    void anotherPortOrAddressIsAnotherEndpoint() {
        InetSocketAddress first = table.at(bytes(192, 0, 2, 2), 0, 4, 40000);
        assertNotSame(first, table.at(bytes(192, 0, 2, 2), 0, 4, 40001));
        assertNotSame(first, table.at(bytes(192, 0, 2, 3), 0, 4, 40000));
        // the same low port byte, another high one
        assertNotSame(first, table.at(bytes(192, 0, 2, 2), 0, 4, 40000 ^ 0x100));
        assertEquals(4, table.size());
    }

    @Test
    void amongThousandsThatShareSlotsEachLookupFindsItsOwnEndpoint() {
        int count = EndpointTable.CAPACITY - 1;
        InetSocketAddress[] made = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            made[i] = table.at(bytes(192, 0, 2, 2), 0, 4, 40000 + i);
            assertEquals(40000 + i, made[i].getPort());
        }
        for (int i = 0; i < count; i++) {
            assertSame(made[i], table.at(bytes(192, 0, 2, 2), 0, 4, 40000 + i));
        }
    }

    @Test
    void ipv6AddressesAreKeptApartFromIpv4OnesOfTheSameLeadingBytes() throws Exception {
        ByteBuffer v6 = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        InetSocketAddress six = table.at(v6, 0, 16, 51820);
        InetSocketAddress four = table.at(v6, 0, 4, 51820);
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 51820), six);
        assertNotSame(six, four);
        assertSame(six, table.at(v6, 0, 16, 51820));
    }

    @Test
    void aFloodOfSourcesNeverHoldsMoreThanTheCapacity() throws Exception {
        for (int i = 0; i < EndpointTable.CAPACITY * 3 + 5; i++) {
            InetSocketAddress endpoint = table.at(bytes(10, i >>> 16 & 0xff, i >>> 8 & 0xff, i & 0xff), 0, 4, 1000);
            assertEquals(InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}),
                    endpoint.getAddress());
            assertTrue(table.size() <= EndpointTable.CAPACITY);
        }
        // started afresh on the way: still correct, and the last ones are shared again
        InetSocketAddress last = table.at(bytes(10, 0, 0x30, 4), 0, 4, 1000);
        assertSame(last, table.at(bytes(10, 0, 0x30, 4), 0, 4, 1000));
    }
}
