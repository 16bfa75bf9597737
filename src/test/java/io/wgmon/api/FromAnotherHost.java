package io.wgmon.api;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import java.net.SocketException;
import java.net.URL;
import java.util.Optional;

/**
 * Both servers of the running application, and this host's own non-loopback address: requests to it
 * come from it, so to the gate they come from another host.
 */
abstract class FromAnotherHost {
    @TestHTTPResource("/")
    URL main;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    String stranger;

    @BeforeEach
    void aNonLoopbackAddressOfThisHost() throws SocketException {
        Optional<String> address = ThisHost.nonLoopbackAddress();
        Assumptions.assumeTrue(address.isPresent(), "this host has no non-loopback address to send from");
        stranger = address.get();
    }
}
