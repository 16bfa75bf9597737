package io.wgmon.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URL;
import java.util.Optional;

/** This host's own non-loopback address: a request sent to it comes from it, to a server another host. */
final class ThisHost {
    private ThisHost() {
    }

    static Optional<String> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(ThisHost::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }

    /** The URL of a path on a test server's port, at another address. */
    static String url(String host, URL server, String path) {
        return "http://" + host + ":" + server.getPort() + path;
    }

    private static boolean up(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
