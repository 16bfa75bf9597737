package io.wgmon.wireguard;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedIpFormatterTest {
    private final AllowedIpFormatter formatter = new AllowedIpFormatter();

    @Test
    void printsWhatWgShowPrints() throws Exception {
        assertEquals("10.0.0.0/8", formatter.format(InetAddress.getByName("10.0.0.0").getAddress(), 4, 8));
        assertEquals("255.255.255.255/32",
                formatter.format(InetAddress.getByName("255.255.255.255").getAddress(), 4, 32));
        assertEquals("0.0.0.0/0", formatter.format(new byte[4], 4, 0));
        assertEquals("::/0", formatter.format(new byte[16], 16, 0));
        assertEquals("fd00::2/128", formatter.format(v6("fd00::2"), 16, 128));
        assertEquals("2001:0:0:1::1/64", formatter.format(v6("2001:0:0:1:0:0:0:1"), 16, 64));
        assertEquals("2001:db8::1:0:0:1/96", formatter.format(v6("2001:db8:0:0:1:0:0:1"), 16, 96));
        assertEquals("2001:db8:0:1:1:1:1:1/128", formatter.format(v6("2001:db8:0:1:1:1:1:1"), 16, 128));
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
                formatter.format(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 16, 128));
        assertEquals("fd00:a::", formatter.address(v6("fd00:a::"), 16));
    }

    /** Whatever the bytes, the text reads back as the same address and is RFC 5952's one form. */
    @Property(tries = 2000)
    void ipv6TextReadsBackAndIsCanonical(@ForAll("ipv6") byte[] address) throws Exception {
        String text = formatter.address(address, 16);
        // (Java reads "::ffff:a.b.c.d" back as 4 bytes; the generator's groups are never 0xffff, see below)
        assertArrayEquals(address, InetAddress.getByName(text).getAddress(), text);
        assertEquals(text.toLowerCase(), text);
        assertFalse(text.contains(":::"), text);
        assertTrue(text.indexOf("::") == text.lastIndexOf("::"), text);
        for (String group : text.split(":")) {
            assertTrue(group.length() <= 4 && (group.length() <= 1 || group.charAt(0) != '0'), text);
        }
        assertEquals(longestZeroRunOfTwoOrMore(address) > 0, text.contains("::"), text);
    }

    @Property(tries = 500)
    void ipv4TextIsTheDottedQuad(@ForAll("ipv4") byte[] address) throws Exception {
        assertEquals(InetAddress.getByAddress(address).getHostAddress() + "/24", formatter.format(address, 4, 24));
    }

    /** A third of the groups are zero, so runs of zeros of every length and position come up. */
    @Provide
    Arbitrary<byte[]> ipv6() {
        return Arbitraries.integers().between(0, 0xffff).list().ofSize(8).map(groups -> {
                    byte[] bytes = new byte[16];
                    for (int i = 0; i < 8; i++) {
                        int group = groups.get(i) % 3 == 0 ? 0 : groups.get(i);
                        bytes[2 * i] = (byte) (group >> 8);
                        bytes[2 * i + 1] = (byte) group;
                    }
                    return bytes;
                });
    }

    @Provide
    Arbitrary<byte[]> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4);
    }

    private static int longestZeroRunOfTwoOrMore(byte[] address) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < 8; i++) {
            run = address[2 * i] == 0 && address[2 * i + 1] == 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best >= 2 ? best : 0;
    }

    private static byte[] v6(String text) throws Exception {
        return Arrays.copyOf(InetAddress.getByName(text).getAddress(), 16);
    }
}
