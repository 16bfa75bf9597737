package io.wgmon.capture.pcap;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapStartErrorsTest {

    @Test
    void aMissingInterfaceListsTheOnesThatExist() {
        assertEquals("capture interface 'eth0' does not exist in this network namespace; interfaces here:"
                        + " lo, ens3, wg0; set wgmon.bpf.interface",
                PcapStartErrors.activation("eth0", Libpcap.ERROR_NO_SUCH_DEVICE, "No such device exists",
                        "SIOCGIFINDEX: No such device", List.of("lo", "ens3", "wg0")));
    }

    @Test
    void aMissingCapabilityIsNamedWithWaysToGrantIt() {
        String message = PcapStartErrors.activation("eth0", Libpcap.ERROR_PERM_DENIED, "permission denied",
                "socket: Operation not permitted", List.of());
        assertTrue(message.startsWith("capturing on 'eth0' needs CAP_NET_RAW"), message);
        assertTrue(message.contains("--cap-add NET_RAW"), message);
        assertTrue(message.endsWith("libpcap said: socket: Operation not permitted"), message);
    }

    @Test
    void refusedPromiscuousModePointsAtTheSetting() {
        String message = PcapStartErrors.activation("eth0", Libpcap.ERROR_PROMISC_PERM_DENIED, "x", "y", List.of());
        assertTrue(message.contains("wgmon.bpf.promiscuous=false"), message);
    }

    @Test
    void aDownInterfaceSaysHowToBringItUp() {
        assertEquals("capture interface 'eth1' is down: bring it up (ip link set eth1 up) or set wgmon.bpf.interface",
                PcapStartErrors.activation("eth1", Libpcap.ERROR_IFACE_NOT_UP, "x", "y", List.of()));
    }

    @Test
    void otherFailuresKeepLibpcapsWordsOnOneLine() {
        assertEquals("cannot capture on 'eth0': Generic error (line one line two)",
                PcapStartErrors.activation("eth0", Libpcap.ERROR, "Generic error", "line one\nline two", List.of()));
    }

    @Test
    void aBadFilterIsQuoted() {
        assertEquals("wgmon.bpf.filter 'udp and' is not a valid pcap filter: can't parse filter expression:"
                        + " syntax error (see man pcap-filter; the default is 'udp and dst port 3000 and (udp[8] = 1 or udp[8] = 2 or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0))')",
                PcapStartErrors.filter("udp and", "can't parse filter expression: syntax error"));
    }

    @Test
    void anUnknownLinkTypeIsNamed() {
        assertEquals("capture interface 'wlan0mon' has link type IEEE802_11_RADIO (DLT 127), which wgmon cannot read:"
                        + " use an Ethernet, Linux cooked (any) or raw IP interface in wgmon.bpf.interface",
                PcapStartErrors.linkType("wlan0mon", 127, "IEEE802_11_RADIO"));
        assertTrue(PcapStartErrors.linkType("x", 4242, null).contains("link type (DLT 4242)"));
    }

    @Test
    void aMissingLibraryNamesThePackages() {
        String message = PcapStartErrors.libraryMissing(LibpcapLoader.DEFAULT_NAMES);
        assertTrue(message.contains("tried libpcap.so.0.8, pcap, libpcap.so.1"), message);
        assertTrue(message.contains("apt-get install libpcap0.8"), message);
        assertTrue(message.contains("apk add libpcap"), message);
    }

    @Test
    void interfaceNamesFromProcNetDev() {
        String table = """
                Inter-|   Receive                            |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets
                    lo:       0       0    0    0    0     0          0         0        0       0
                br1a2b3: 1234      10    0    0    0     0          0         0      567       5
                  wg0:       0       0    0    0    0     0          0         0        0       0
                """;
        assertEquals(List.of("lo", "br1a2b3", "wg0"), NetworkInterfaces.fromProcNetDev(table));
    }
}
